import type { ts as TypeScript } from 'ts-morph';
import { adaptSource } from '../project/adapt-source.ts';
import type { ProjectTarget } from './project-target.ts';
import type { RenderedFile } from './render.ts';

/**
 * Where a rendered template file goes in the target project, in what form; undefined: not written there.
 *
 * In our own projects, exactly where the template says. In a project we did not generate:
 * - code (`src/**`) goes into our folder (`src/foo.ts` -> `src/hardened-api/foo.ts`), so relative imports
 *   between our files keep working, rewritten into the project's import style and formatting;
 * - tests (`test/**`) and migrations are left out: they need our base's test helpers and database;
 * - everything else (ops/, deploy/, Dockerfile, workflows) goes where the template says.
 */
export function placeFile(file: RenderedFile, target: ProjectTarget, ts: typeof TypeScript | undefined): RenderedFile | undefined {
  if (target.kind === 'generated') return file;
  if (/^(test|migrations)\//.test(file.path)) return undefined;
  if (!file.path.startsWith('src/')) return file;
  const path = `${target.supportDir}/${file.path.slice('src/'.length)}`;
  if (!/\.[cm]?ts$/.test(file.path) || !ts) return { ...file, path };
  const content = adaptSource(file.content, { importExtension: target.facts.importExtension, style: target.facts.style }, ts);
  return { ...file, path, content };
}
