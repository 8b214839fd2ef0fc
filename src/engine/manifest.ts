import { createHash } from 'node:crypto';
import { manifestProblem } from './manifest-schema.ts';
import type { Tree } from './tree.ts';

export const MANIFEST_FILE = '.hardened-api.json';

export interface Answers {
  name: string;
  /** Sub-choices of features, by feature id (e.g. `{ auth: ['jwt'] }`). */
  options: Record<string, string[]>;
}

/** What we generated: lets `add` tell our files from the user's, and makes later updates possible. */
export interface Manifest {
  generator: 'create-hardened-api';
  version: string;
  /** Present (false) only for projects we did not generate: `add` then never renders the base. */
  base?: false;
  /** In a project we did not generate: the folder of ours that holds the code we added. */
  support?: string;
  features: string[];
  answers: Answers;
  /** sha256 of each file as we last wrote it. */
  files: Record<string, string>;
}

export function hashContent(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

export function readManifest(tree: Tree): Manifest | undefined {
  const raw = tree.read(MANIFEST_FILE);
  if (raw === null) return undefined;
  const parsed: unknown = JSON.parse(raw);
  const problem = manifestProblem(parsed);
  if (problem) throw new Error(`not a create-hardened-api manifest: ${problem}`);
  return parsed as Manifest;
}

export function serializeManifest(manifest: Manifest): string {
  const files = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify({ ...manifest, files }, null, 2)}\n`;
}

/** A file is ours to rewrite only while it still has the content we wrote. */
export function isPristine(manifest: Manifest | undefined, file: string, content: string | null): boolean {
  if (!manifest || content === null) return false;
  return manifest.files[file] === hashContent(content);
}
