import type { PackageAdditions } from './package-json.ts';
import type { ProjectTarget } from './project-target.ts';

interface Declares {
  dependencies?: Readonly<Record<string, string>>;
  devDependencies?: Readonly<Record<string, string>>;
  scripts?: Readonly<Record<string, string>>;
  fastify4?: { dependencies: Readonly<Record<string, string>> } | { unsupported: string };
}

const NONE = {};

/**
 * What a feature adds to package.json in this project. Ours get its dependencies, dev tools and
 * scripts. A project we did not generate gets only the packages our code imports, in the versions for
 * its Fastify major: our scripts and dev tools assume our layout.
 */
export function dependenciesFor(feature: Declares, target: ProjectTarget): PackageAdditions {
  if (target.kind === 'generated') {
    return {
      dependencies: feature.dependencies ?? NONE,
      devDependencies: feature.devDependencies ?? NONE,
      scripts: feature.scripts ?? NONE,
    };
  }
  const overrides =
    target.facts.framework?.major === 4 && feature.fastify4 && 'dependencies' in feature.fastify4 ? feature.fastify4.dependencies : NONE;
  return { dependencies: { ...(feature.dependencies ?? NONE), ...overrides }, devDependencies: NONE, scripts: NONE };
}
