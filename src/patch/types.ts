import type { SourceFile } from 'ts-morph';

/** The files a patch can address by role; where they are depends on the project (see engine/project-target.ts). */
export type FileRole = 'app' | 'config';

/**
 * Sort keys of everything features insert, so that the result does not depend on the order in which
 * features were added: `create P+F` and `create P` then `add F` give the same bytes.
 */
export interface OrderKeys {
  of(kind: string, identity: string): readonly number[] | undefined;
}

export interface PatchContext {
  file: SourceFile;
  path: string;
  order: OrderKeys;
  /** The key of the item this patch inserts. */
  key: readonly number[];
  /** Templates name files as in our projects (`src/plugins/x.ts`); where they are in this one, and back. */
  paths: ProjectPaths;
}

export interface ProjectPaths {
  toProject(templatePath: string): string;
  toTemplate(projectPath: string): string;
}

export const IDENTITY_PATHS: ProjectPaths = { toProject: (p) => p, toTemplate: (p) => p };

/** A small, named, idempotent edit of a TypeScript file, located by meaning rather than by line. */
export interface Patch {
  /** What it does, in words: shown in plans and errors. */
  readonly description: string;
  readonly role: FileRole;
  /** Kind and identity of what it inserts, for ordering (e.g. `plugin`, `./plugins/metrics.ts`). */
  readonly kind: string;
  readonly identity: string;
  /** Applied only when this sub-choice of the feature is selected (see `forChoice`). */
  readonly choice?: string;
  apply(context: PatchContext): Promise<void> | void;
}

/** The patch, applied only when `choice` (a sub-choice of its feature) is selected. */
export function forChoice(choice: string, patch: Patch): Patch {
  return { ...patch, choice, apply: (context) => patch.apply(context) };
}
