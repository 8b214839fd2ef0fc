import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import fs from 'fs-extra';
import { assertAllInsideProject, assertInsideProject } from './inside-project.ts';
import type { FileChange } from './tree.ts';

/** The file operations commit uses; tests substitute one that fails part-way. */
export interface CommitFs {
  outputFile(file: string, content: string, mode: number): Promise<void>;
  move(from: string, to: string): Promise<void>;
  remove(target: string): Promise<void>;
  exists(target: string): Promise<boolean>;
  mkdir(dir: string): Promise<void>;
  rmdirIfEmpty(dir: string): Promise<void>;
}

export const diskFs: CommitFs = {
  outputFile: (file, content, mode) => fs.outputFile(file, content, { mode }),
  move: (from, to) => fs.move(from, to, { overwrite: false }),
  remove: (target) => fs.remove(target),
  exists: (target) => fs.pathExists(target),
  mkdir: (dir) => fs.mkdir(dir),
  rmdirIfEmpty: async (dir) => {
    if ((await fs.readdir(dir)).length === 0) await fs.rmdir(dir);
  },
};

/**
 * Writes all changes or none. Every new content is first staged inside the project; then each file
 * is moved into place, the file it replaces moved aside, and each file in `removals` is moved aside
 * too. If anything fails, what was placed is removed, what was replaced or removed is restored, and
 * directories this commit created are removed: the project is left byte-for-byte as it was.
 */
export async function commitChanges(
  root: string,
  changes: readonly FileChange[],
  ops: CommitFs = diskFs,
  removals: readonly string[] = [],
): Promise<void> {
  assertAllInsideProject(root, [...changes.map((c) => c.path), ...removals]);
  const rootExisted = await ops.exists(root);
  if (!rootExisted) await fs.mkdirp(root);
  const stage = await mkdtemp(path.join(root, '.hardened-api-staging-'));
  const backup = path.join(stage, '.replaced');
  const placed: { target: string; backedUp: string | null }[] = [];
  const createdDirs: string[] = [];
  try {
    for (const [index, change] of changes.entries()) {
      await ops.outputFile(path.join(stage, String(index)), change.after, change.executable ? 0o755 : 0o644);
    }
    for (const [index, change] of changes.entries()) {
      const target = path.join(root, change.path);
      // Again right before writing: a link may have appeared since the plan was made.
      assertInsideProject(root, change.path);
      await ensureParents(root, path.dirname(target), createdDirs, ops);
      let backedUp: string | null = null;
      if (await ops.exists(target)) {
        backedUp = path.join(backup, String(index));
        await ops.move(target, backedUp);
      }
      placed.push({ target, backedUp });
      await ops.move(path.join(stage, String(index)), target);
    }
    for (const [index, file] of removals.entries()) {
      const target = path.join(root, file);
      assertInsideProject(root, file);
      if (!(await ops.exists(target))) continue;
      const backedUp = path.join(backup, `removed-${index}`);
      await ops.move(target, backedUp);
      placed.push({ target, backedUp });
    }
  } catch (error) {
    await rollBack(placed, createdDirs);
    await fs.remove(stage);
    if (!rootExisted) await fs.remove(root);
    throw error;
  }
  await fs.remove(stage);
}

async function ensureParents(root: string, dir: string, created: string[], ops: CommitFs): Promise<void> {
  const missing: string[] = [];
  for (let current = dir; current.length > root.length && !(await ops.exists(current)); current = path.dirname(current)) {
    missing.unshift(current);
  }
  for (const each of missing) {
    await ops.mkdir(each);
    created.push(each);
  }
}

/** Undo with plain fs (not the injectable ops): rollback must not be what fails. */
async function rollBack(placed: { target: string; backedUp: string | null }[], createdDirs: string[]): Promise<void> {
  for (const { target, backedUp } of placed.reverse()) {
    await fs.remove(target);
    if (backedUp && (await fs.pathExists(backedUp))) await fs.move(backedUp, target);
  }
  for (const dir of createdDirs.reverse()) {
    if (await fs.pathExists(dir)) await diskFs.rmdirIfEmpty(dir);
  }
}
