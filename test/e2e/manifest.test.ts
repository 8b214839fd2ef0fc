import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cli, snapshot, tempDir } from '../helpers/cli.ts';

const MANIFEST = '.hardened-api.json';

async function minimalProject(): Promise<string> {
  const dir = path.join(tempDir(), 'api');
  const created = await cli([dir, '--yes', '--preset', 'minimal', '--no-install', '--no-git']);
  assert.equal(created.exitCode, 0, created.stderr);
  return dir;
}

function editManifest(dir: string, edit: (manifest: Record<string, unknown>) => void): void {
  const file = path.join(dir, MANIFEST);
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  edit(manifest);
  writeFileSync(file, JSON.stringify(manifest));
}

async function assertRefused(dir: string, command: string[], pattern: RegExp): Promise<void> {
  const before = snapshot(dir);
  const result = await cli([...command, '--dir', dir]);
  assert.equal(result.exitCode, 1, result.stderr);
  assert.equal(result.stderr.split('\n').filter((l) => l.startsWith('error:')).length, 1, result.stderr);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
  assert.deepEqual(snapshot(dir), before);
}

describe('a project in a state the user caused is a one-line error, never a stack trace', () => {
  const ADD = ['add', 'metrics', '--no-install'];

  it('a manifest without answers says which field is wrong', async () => {
    const dir = await minimalProject();
    editManifest(dir, (m) => {
      delete m.answers;
    });
    await assertRefused(dir, ADD, /answers is missing/);
  });

  it('a manifest whose name is not a string says which field is wrong (add and upgrade)', async () => {
    const dir = await minimalProject();
    editManifest(dir, (m) => {
      (m.answers as Record<string, unknown>).name = 42;
    });
    await assertRefused(dir, ADD, /answers\.name is not a string/);
    await assertRefused(dir, ['upgrade'], /answers\.name is not a string/);
  });

  it('a manifest written by a newer version is refused, not downgraded', async () => {
    const dir = await minimalProject();
    editManifest(dir, (m) => {
      m.version = '99.0.0';
    });
    await assertRefused(dir, ADD, /written by create-hardened-api 99\.0\.0, newer than this one/);
  });

  for (const [label, content] of [
    ['is not JSON', '{'],
    ['is not an object', '[1]'],
  ] as const) {
    it(`a package.json that ${label} is a one-line error`, async () => {
      const dir = await minimalProject();
      writeFileSync(path.join(dir, 'package.json'), content);
      await assertRefused(dir, ADD, /package\.json is not (valid JSON|a JSON object)/);
    });
  }
});
