import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cli, snapshot, tempDir } from '../helpers/cli.ts';

const QUIET = ['--no-install', '--no-git'];

async function minimalProject(): Promise<string> {
  const dir = path.join(tempDir(), 'api');
  const created = await cli([dir, '--yes', '--preset', 'minimal', ...QUIET]);
  assert.equal(created.exitCode, 0, created.stderr);
  return dir;
}

function assertOneLineError(result: { exitCode: number; stderr: string }, pattern: RegExp): void {
  assert.equal(result.exitCode, 1, result.stderr);
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('error:'));
  assert.equal(errors.length, 1, result.stderr);
  assert.match(errors[0] ?? '', pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

describe('flags are checked before anything is written', () => {
  it('add with an unknown --pm exits 1 and leaves the project as it was', async () => {
    const dir = await minimalProject();
    const before = snapshot(dir);
    const result = await cli(['add', 'metrics', '--dir', dir, '--pm', 'junk', '--no-install']);
    assertOneLineError(result, /Unknown package manager "junk"/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('a flag for another command is refused: create --dir', async () => {
    const parent = tempDir();
    const result = await cli([path.join(parent, 'x'), '--yes', '--dir', parent, ...QUIET]);
    assertOneLineError(result, /--dir does not apply to create/);
    assert.equal(existsSync(path.join(parent, 'x')), false);
  });

  it('a flag for another command is refused: add --preset', async () => {
    const dir = await minimalProject();
    const before = snapshot(dir);
    const result = await cli(['add', 'metrics', '--dir', dir, '--preset', 'full', '--no-install']);
    assertOneLineError(result, /--preset does not apply to add/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('a flag for another command is refused: add --no-git, upgrade --features', async () => {
    const dir = await minimalProject();
    assertOneLineError(await cli(['add', 'metrics', '--dir', dir, '--no-git']), /--git does not apply to add/);
    assertOneLineError(await cli(['upgrade', '--dir', dir, '--features', 'metrics']), /--features does not apply to upgrade/);
  });
});

describe('--features', () => {
  it('without --preset gives the standard preset plus the named features, as the README says', async () => {
    const standard = path.join(tempDir(), 'standard');
    const withExtra = path.join(tempDir(), 'extra');
    assert.equal((await cli([standard, '--yes', ...QUIET])).exitCode, 0);
    const result = await cli([withExtra, '--yes', '--features', 'k8s', ...QUIET]);
    assert.equal(result.exitCode, 0, result.stderr);
    const features = (dir: string): string[] => JSON.parse(readFileSync(path.join(dir, '.hardened-api.json'), 'utf8')).features;
    assert.ok(features(standard).length > 0);
    assert.deepEqual(
      features(withExtra).filter((id) => id !== 'k8s'),
      features(standard).filter((id) => id !== 'k8s'),
    );
    assert.ok(features(withExtra).includes('k8s'));
  });

  it("--features '' is an error and writes nothing", async () => {
    const dir = path.join(tempDir(), 'empty');
    assertOneLineError(await cli([dir, '--yes', '--features', '', ...QUIET]), /--features is empty/);
    assert.equal(existsSync(dir), false);
  });
});

describe('--json on error', () => {
  for (const [label, args] of [
    ['create with a bad preset', ['x', '--yes', '--preset', 'huge', '--json', ...QUIET]],
    ['create with an unknown flag', ['x', '--bogus', '--json']],
    ['add outside a project', ['add', 'metrics', '--dir', '/nonexistent-dir', '--json']],
    ['list with a flag of add', ['list', '--dir', '.', '--json']],
  ] as const) {
    it(`${label}: exactly one JSON object on stdout with ok false, a code, the message and the hint`, async () => {
      const result = await cli(args, { cwd: tempDir() });
      assert.equal(result.exitCode, 1, result.stderr);
      assert.equal(result.stdout.trim().split('\n').length, 1, result.stdout);
      const parsed = JSON.parse(result.stdout);
      assert.equal(parsed.ok, false);
      assert.equal(parsed.error.code, 'invalid-input');
      assert.ok(parsed.error.message.length > 0);
      assert.match(result.stderr, new RegExp(`error: ${parsed.error.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').slice(0, 40)}`));
      assert.ok(parsed.error.hint);
    });
  }

  it('list --json says ok', async () => {
    const parsed = JSON.parse((await cli(['list', '--json'])).stdout);
    assert.equal(parsed.ok, true);
    assert.ok(parsed.features.length > 0);
  });
});

describe('sub-choices of a feature the project already has', () => {
  it('add auth --auth mfa on a project with auth says it cannot change them, and writes nothing', async () => {
    const dir = path.join(tempDir(), 'api');
    assert.equal((await cli([dir, '--yes', '--preset', 'minimal', '--features', 'auth', '--auth', 'jwt', ...QUIET])).exitCode, 0);
    const before = snapshot(dir);
    const result = await cli(['add', 'auth', '--dir', dir, '--auth', 'mfa', '--no-install']);
    assertOneLineError(result, /auth is already in the project \(--auth jwt\); add cannot change its choices/);
    assert.deepEqual(snapshot(dir), before);
  });
});
