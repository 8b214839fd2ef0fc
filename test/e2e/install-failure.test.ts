import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cli, tempDir } from '../helpers/cli.ts';

/** A PATH with only a failing `npm` on it (and no pnpm). */
function pathWithFailingNpm(): string {
  const bin = path.join(tempDir('fake-bin-'), 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'npm'), '#!/bin/sh\necho "ERR! registry unreachable" >&2\nexit 3\n');
  chmodSync(path.join(bin, 'npm'), 0o755);
  return bin;
}

describe('a failed install after the files were written', () => {
  it('--json: one object saying what was written, where, and the command to finish; exit 1', async () => {
    const dir = path.join(tempDir(), 'api');
    const result = await cli([dir, '--yes', '--preset', 'minimal', '--no-git', '--pm', 'npm', '--json'], {
      env: { PATH: pathWithFailingNpm() },
    });
    assert.equal(result.exitCode, 1, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 1);
    const parsed = JSON.parse(result.stdout);
    assert.equal(parsed.ok, false);
    assert.equal(parsed.error.code, 'install-failed');
    assert.match(parsed.error.message, /exit code 3/);
    assert.equal(parsed.directory, dir);
    assert.ok(parsed.files.includes('package.json'));
    assert.equal(parsed.finish, `cd ${dir} && npm install --no-audit --no-fund`);
    assert.ok(existsSync(path.join(dir, 'package.json')), 'the files stay');
    assert.match(result.stderr, /ERR! registry unreachable/, 'the log tail is shown');
  });

  it('a package manager that is not installed is named, with the command to finish', async () => {
    const dir = path.join(tempDir(), 'api');
    const result = await cli([dir, '--yes', '--preset', 'minimal', '--no-git', '--pm', 'pnpm'], { env: { PATH: pathWithFailingNpm() } });
    assert.equal(result.exitCode, 1, result.stderr);
    assert.match(
      result.stderr,
      /error: Dependency install failed \(pnpm install: pnpm was not found on the PATH\)\. The files were written: \d+ in /,
    );
    assert.match(result.stderr, new RegExp(`hint: .*then finish by hand: cd ${dir} && pnpm install`));
    assert.doesNotMatch(result.stderr, /n\/a/);
  });
});
