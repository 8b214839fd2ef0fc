import type { Tree } from '../engine/tree.ts';
import { allDependencies, type ProjectFacts } from './facts.ts';

const TEST_PATH = /(^|\/)(test|tests|__tests__|spec|e2e)\/|\.(test|spec)\.[cm]?ts$/;

/**
 * Where the project already uses one of `packages` (a dependency that a source file imports):
 * `src/app.ts imports @fastify/helmet`; undefined when it uses none of them.
 */
export function findEquivalent(tree: Tree, facts: ProjectFacts, packages: readonly string[]): string | undefined {
  const dependencies = allDependencies(facts.packageJson);
  const candidates = packages.filter((p) => dependencies[p] !== undefined);
  if (candidates.length === 0) return undefined;
  for (const file of facts.tsconfig?.files ?? []) {
    if (TEST_PATH.test(file)) continue;
    const text = tree.read(file) ?? '';
    for (const pkg of candidates) {
      const quoted = `['"]${pkg.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&')}(/[^'"]*)?['"]`;
      if (new RegExp(`(\\bfrom\\s*|\\brequire\\(\\s*|\\bimport\\(\\s*|^\\s*import\\s*)${quoted}`, 'm').test(text)) {
        return `${file} imports ${pkg}`;
      }
    }
  }
  return undefined;
}
