import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type CommitFs, commitChanges, diskFs } from '../../src/engine/commit.ts';
import type { FileChange } from '../../src/engine/tree.ts';

/** A snapshot of every file and directory under root, with contents. */
function snapshot(root: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const key = path.relative(root, full);
      if (entry.isDirectory()) {
        result[`${key}/`] = '';
        walk(full);
      } else result[key] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return result;
}

function failingAfter(moves: number): CommitFs {
  let count = 0;
  return {
    ...diskFs,
    move: async (from, to) => {
      if (++count > moves) throw new Error('injected failure');
      await diskFs.move(from, to);
    },
  };
}

function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'commit-test-'));
  mkdirSync(path.join(root, 'src'));
  writeFileSync(path.join(root, 'src/app.ts'), 'original app\n');
  writeFileSync(path.join(root, 'package.json'), '{"name":"x"}\n');
  return root;
}

const changes: FileChange[] = [
  { path: 'package.json', before: '{"name":"x"}\n', after: '{"name":"x","dependencies":{}}\n', executable: false },
  { path: 'src/app.ts', before: 'original app\n', after: 'patched app\n', executable: false },
  { path: 'src/plugins/metrics.ts', before: null, after: 'new plugin\n', executable: false },
  { path: 'scripts/dev-cert.sh', before: null, after: '#!/bin/sh\n', executable: true },
];

describe('commitChanges', () => {
  it('writes every change and leaves no staging behind', async () => {
    const root = project();
    await commitChanges(root, changes);
    assert.equal(readFileSync(path.join(root, 'src/app.ts'), 'utf8'), 'patched app\n');
    assert.equal(readFileSync(path.join(root, 'src/plugins/metrics.ts'), 'utf8'), 'new plugin\n');
    assert.equal(statSync(path.join(root, 'scripts/dev-cert.sh')).mode & 0o111, 0o111);
    assert.deepEqual(readdirSync(root).sort(), ['package.json', 'scripts', 'src']);
  });

  for (const moves of [0, 1, 2, 3, 4, 5]) {
    it(`leaves the project byte-for-byte unchanged when move #${moves + 1} fails`, async () => {
      const root = project();
      const before = snapshot(root);
      await assert.rejects(commitChanges(root, changes, failingAfter(moves)), /injected failure/);
      assert.deepEqual(snapshot(root), before);
    });
  }

  it('removes the files it is asked to remove, and restores them when a later step fails', async () => {
    const root = project();
    writeFileSync(path.join(root, 'src/old.ts'), 'no longer shipped\n');
    await commitChanges(root, changes.slice(0, 1), diskFs, ['src/old.ts', 'src/never-there.ts']);
    assert.deepEqual(readdirSync(path.join(root, 'src')), ['app.ts']);

    const again = project();
    writeFileSync(path.join(again, 'src/old.ts'), 'no longer shipped\n');
    writeFileSync(path.join(again, 'src/other.ts'), 'also removed\n');
    const before = snapshot(again);
    // Moves 1-2 replace package.json, move 3 sets src/old.ts aside; the fourth (src/other.ts) fails.
    await assert.rejects(commitChanges(again, changes.slice(0, 1), failingAfter(3), ['src/old.ts', 'src/other.ts']), /injected failure/);
    assert.deepEqual(snapshot(again), before);
  });

  it('removes a directory it created when the commit fails', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'commit-test-'));
    const root = path.join(parent, 'new-project');
    await assert.rejects(
      commitChanges(
        root,
        changes.filter((c) => c.before === null),
        failingAfter(1),
      ),
    );
    assert.deepEqual(readdirSync(parent), []);
  });
});
