import { type FileRole, IDENTITY_PATHS, type ProjectPaths } from '../patch/types.ts';
import type { EnvSchemaLocation } from '../project/env-schema/find-env-schema.ts';
import type { ProjectFacts } from '../project/facts.ts';
import type { FastifyAppLocation } from '../project/fastify/find-app.ts';

/** A project we generate (or generated): the base is ours, files sit where the templates put them. */
export interface GeneratedTarget {
  kind: 'generated';
}

/**
 * A project we did not generate: its app was found (`app`), and everything we write that is code goes
 * into one folder of ours (`supportDir`, e.g. `src/hardened-api`), in the project's own conventions.
 */
export interface ForeignTarget {
  kind: 'foreign';
  framework: 'fastify';
  facts: ProjectFacts;
  app: FastifyAppLocation;
  supportDir: string;
  /** The project's own environment schema, when it has one we can extend with our (non-secret) variables. */
  envSchema: EnvSchemaLocation | undefined;
}

export type ProjectTarget = GeneratedTarget | ForeignTarget;

export const GENERATED: GeneratedTarget = { kind: 'generated' };

/** The file a patch addresses by role: the app factory and the configuration schema. */
export function fileForRole(target: ProjectTarget, role: FileRole): string {
  if (target.kind === 'generated') return role === 'app' ? 'src/app.ts' : 'src/config.ts';
  return role === 'app' ? `${target.supportDir}/index.ts` : `${target.supportDir}/config.ts`;
}

/**
 * What templates may ask about the project (`project.*`): for our own projects, what the base
 * writes; for others, what they have. Docker, CI and the like read it instead of assuming our layout.
 */
export function projectContext(target: ProjectTarget): Record<string, unknown> {
  if (target.kind === 'generated') {
    return { generated: true, esm: true, src: 'src', packageManager: 'npm' };
  }
  return {
    generated: false,
    esm: target.facts.moduleSystem === 'esm',
    src: target.supportDir,
    packageManager: target.facts.packageManager,
  };
}

/** Where template paths (`src/...`) are in the target: the same in ours, under our folder in others. */
export function projectPaths(target: ProjectTarget): ProjectPaths {
  if (target.kind === 'generated') return IDENTITY_PATHS;
  const folder = `${target.supportDir}/`;
  return {
    toProject: (p) => (p.startsWith('src/') ? `${folder}${p.slice(4)}` : p),
    toTemplate: (p) => (p.startsWith(folder) ? `src/${p.slice(folder.length)}` : p),
  };
}
