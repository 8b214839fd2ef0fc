import assert from 'node:assert/strict';
import { readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cli, snapshot, tempDir } from '../helpers/cli.ts';

describe('add never writes outside the project', () => {
  it('refuses a feature whose files would go through a directory link that points elsewhere (plan time, --dry-run too)', async () => {
    const dir = path.join(tempDir(), 'api');
    assert.equal((await cli([dir, '--yes', '--preset', 'minimal', '--no-install', '--no-git'])).exitCode, 0);
    const elsewhere = tempDir('elsewhere-');
    symlinkSync(elsewhere, path.join(dir, 'ops'));
    const notTheLink = (file: string): boolean => file === 'ops';
    const before = snapshot(dir, notTheLink);
    for (const extra of [['--dry-run'], []]) {
      const result = await cli(['add', 'metrics', '--dir', dir, '--no-install', ...extra]);
      assert.equal(result.exitCode, 1, result.stderr);
      assert.match(result.stderr, /error: Refusing to write ops\/.* outside the project/);
      assert.doesNotMatch(result.stdout, /grafana/);
    }
    assert.deepEqual(readdirSync(elsewhere), []);
    assert.deepEqual(snapshot(dir, notTheLink), before);
  });
});
