import { hashContent, MANIFEST_FILE } from '../engine/manifest.ts';
import type { RenderedFile } from '../engine/render.ts';
import { type EntryChange, type KeptValue, mergePackageJsonByMeaning } from './merge-package-json.ts';
import { mergeText } from './merge-text.ts';

/** A version's render of the project: every file by path. */
export type RenderedProject = ReadonlyMap<string, RenderedFile>;

export type FileAction = 'update' | 'merge' | 'conflict' | 'keep' | 'create' | 'remove';

export interface FileOutcome {
  path: string;
  action: FileAction;
  /** Why, in words, for `keep` and `conflict` (and merges by meaning). */
  reason?: string;
}

export interface UpgradeInput {
  base: RenderedProject;
  next: RenderedProject;
  /** The project's file as it is now (null: missing). */
  read(path: string): string | null;
  /** sha256 per file as we last wrote it (the manifest's `files`). */
  recorded: Readonly<Record<string, string>>;
  /** Files we own in this project; in our own projects everything we render. */
  isOurs(path: string): boolean;
  labels: { base: string; next: string };
}

export interface UpgradePlan {
  files: FileOutcome[];
  writes: { path: string; content: string; executable: boolean }[];
  removals: string[];
  dependencies: { applied: EntryChange[]; kept: KeptValue[] };
  /** Variables the new version documents in .env.example that the old one did not. */
  newEnvironment: string[];
  /** Migrations the new version adds. */
  newMigrations: string[];
}

/** Documents that grow by blocks (a feature's variables, a README section): two insertions at one place keep both. */
const BLOCK_DOCUMENT = /(^|\/)(README\.md|\.env\.example)$/;
const MIGRATION = /(^|\/)migrations\/[^/]+\.sql$/;

/**
 * Decides, file by file, how the project moves from the old version's render (`base`) to the new one's
 * (`next`) while keeping the user's edits (see docs/architecture.md, "Upgrading"). Pure: reads the project
 * through `read`, returns what to write and remove.
 */
export function planUpgrade(input: UpgradeInput): UpgradePlan {
  const { base, next, read, labels } = input;
  const plan: UpgradePlan = {
    files: [],
    writes: [],
    removals: [],
    dependencies: { applied: [], kept: [] },
    newEnvironment: [],
    newMigrations: [],
  };
  const note = (path: string, action: FileAction, reason?: string): void => {
    plan.files.push(reason === undefined ? { path, action } : { path, action, reason });
  };
  const write = (path: string, content: string, action: FileAction, reason?: string): void => {
    plan.writes.push({ path, content, executable: next.get(path)?.executable ?? false });
    note(path, action, reason);
  };
  const pristine = (path: string, content: string): boolean =>
    content === base.get(path)?.content || input.recorded[path] === hashContent(content);
  const markers = { yours: 'yours', base: labels.base, ours: labels.next };

  const paths = [...new Set([...base.keys(), ...next.keys()])].filter((p) => p !== MANIFEST_FILE).sort();
  for (const path of paths) {
    const before = base.get(path)?.content ?? null;
    const after = next.get(path)?.content ?? null;
    const current = read(path);
    if (before === after) {
      if (current !== null && current !== after && input.isOurs(path)) note(path, 'keep', `edited by you; unchanged in ${labels.next}`);
      continue;
    }
    if (after === null) {
      if (current === null) continue;
      if (pristine(path, current)) {
        plan.removals.push(path);
        note(path, 'remove');
      } else if (input.isOurs(path)) {
        note(path, 'keep', `${labels.next} no longer has this file; you edited it, so it stays`);
      }
      continue;
    }
    if (current === after) continue;
    if (MIGRATION.test(path) && current !== null) {
      // A migration that exists may have run: it is never rewritten, only new ones are added.
      if (before === null) note(path, 'conflict', `${labels.next} adds a migration of this name; yours was left as it is`);
      else note(path, 'keep', `a migration is never rewritten once it may have run; ${labels.next} changed it`);
      continue;
    }
    if (current === null) {
      if (before === null) {
        write(path, after, 'create');
        if (MIGRATION.test(path)) plan.newMigrations.push(path);
      } else if (input.isOurs(path)) {
        note(path, 'keep', `deleted by you; ${labels.next} changed it`);
      }
      continue;
    }
    const untouched = before !== null && pristine(path, current);
    if (path === 'package.json' && before !== null) {
      const merged = mergePackageJsonByMeaning(before, after, untouched ? before : current);
      plan.dependencies = { applied: merged.applied, kept: merged.kept };
      if (untouched) write(path, after, 'update');
      else if (merged.text !== current) write(path, merged.text, 'merge', 'entry by entry: your dependencies and scripts kept');
      continue;
    }
    if (untouched) {
      write(path, after, 'update');
      continue;
    }
    const merged = mergeText(before ?? '', after, current, markers, BLOCK_DOCUMENT.test(path));
    if (merged.text === current) continue;
    if (merged.conflicts > 0) {
      const reason = before === null ? `you have a file where ${labels.next} adds one` : 'you and the new version changed the same lines';
      write(path, merged.text, 'conflict', reason);
    } else write(path, merged.text, 'merge');
  }
  plan.newEnvironment = newVariables(base.get('.env.example')?.content, next.get('.env.example')?.content);
  return plan;
}

function newVariables(before: string | undefined, after: string | undefined): string[] {
  const names = (text: string | undefined) => new Set([...(text ?? '').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string));
  const old = names(before);
  return [...names(after)].filter((name) => !old.has(name));
}
