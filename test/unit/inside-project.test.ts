import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type CommitFs, commitChanges, diskFs } from '../../src/engine/commit.ts';
import type { FileChange } from '../../src/engine/tree.ts';
import { UserError } from '../../src/errors.ts';
import { tempDir } from '../helpers/cli.ts';

const change = (file: string): FileChange => ({ path: file, before: null, after: 'written\n', executable: false });

function projectWithLink(linkTarget: (root: string) => string): { root: string; elsewhere: string } {
  const root = tempDir('inside-');
  const elsewhere = tempDir('elsewhere-');
  mkdirSync(path.join(root, 'real'));
  symlinkSync(linkTarget(root) || elsewhere, path.join(root, 'ops'));
  return { root, elsewhere };
}

describe('commit never writes outside the project', () => {
  it('refuses a directory link that points outside the project, and writes nothing anywhere', async () => {
    const { root, elsewhere } = projectWithLink(() => '');
    await assert.rejects(commitChanges(root, [change('a.txt'), change('ops/grafana/api.json')]), (error: Error) => {
      assert.ok(error instanceof UserError);
      assert.match(error.message, /ops\/grafana\/api\.json.*outside the project/);
      return true;
    });
    assert.deepEqual(readdirSync(elsewhere), []);
    assert.equal(existsSync(path.join(root, 'a.txt')), false);
  });

  it('refuses a link to nowhere on the way', async () => {
    const { root } = projectWithLink((r) => path.join(r, 'missing'));
    await assert.rejects(commitChanges(root, [change('ops/x.txt')]), UserError);
  });

  it('writes through a link that resolves inside the project', async () => {
    const { root } = projectWithLink((r) => path.join(r, 'real'));
    await commitChanges(root, [change('ops/grafana/api.json')]);
    assert.equal(readFileSync(path.join(root, 'real/grafana/api.json'), 'utf8'), 'written\n');
  });

  it('checks again at commit time: a link that appears after the plan is refused and everything is rolled back', async () => {
    const root = tempDir('inside-');
    const elsewhere = tempDir('elsewhere-');
    // The link appears while the commit is staging (after every path was checked once).
    const racing: CommitFs = {
      ...diskFs,
      outputFile: async (file, content, mode) => {
        if (!existsSync(path.join(root, 'ops'))) symlinkSync(elsewhere, path.join(root, 'ops'));
        await diskFs.outputFile(file, content, mode);
      },
    };
    await assert.rejects(commitChanges(root, [change('a.txt'), change('ops/x.txt')], racing), UserError);
    assert.deepEqual(readdirSync(elsewhere), []);
    assert.deepEqual(readdirSync(root), ['ops']);
  });
});
