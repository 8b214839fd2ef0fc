import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { presetFeatures, resolveFeatures } from '../../src/engine/resolve.ts';
import { features } from '../../src/features/index.ts';
import { PRESETS } from '../../src/features/types.ts';
import { cli, repoRoot, snapshot, tempDir } from '../helpers/cli.ts';

const QUIET = ['--no-install', '--no-git'];
const tempBase = path.join(repoRoot, 'templates/base/files');

async function create(args: string[]): Promise<string> {
  const dir = path.join(tempDir(), 'api');
  const result = await cli([dir, '--yes', ...QUIET, ...args]);
  assert.equal(result.exitCode, 0, result.stderr);
  return dir;
}

async function add(dir: string, ids: string[]): Promise<void> {
  const result = await cli(['add', ...ids, '--dir', dir, '--no-install']);
  assert.equal(result.exitCode, 0, result.stderr);
}

describe('create P, then add F == create P+F', () => {
  for (const feature of features) {
    for (const preset of PRESETS) {
      if (presetFeatures(preset, features).includes(feature.id)) continue;
      it(`${preset} + ${feature.id}`, async () => {
        const stepwise = await create(['--preset', preset]);
        await add(stepwise, [feature.id]);
        const direct = await create(['--preset', preset, '--features', feature.id]);
        assert.deepEqual(snapshot(stepwise), snapshot(direct));
      });
    }
  }
});

describe('add', () => {
  // The first feature that patches the app factory, and another one.
  const first = features.find((f) => f.patches.some((p) => p.role === 'app'));
  const second = features.find((f) => f !== first && f.patches.length > 0);

  it('twice changes nothing the second time', { skip: !first && 'needs a feature' }, async () => {
    if (!first) return;
    const dir = await create(['--preset', 'minimal']);
    await add(dir, [first.id]);
    const once = snapshot(dir);
    const again = await cli(['add', first.id, '--dir', dir, '--no-install']);
    assert.equal(again.exitCode, 0);
    assert.match(again.stderr, /already present/);
    assert.deepEqual(snapshot(dir), once);
  });

  it('--dry-run prints the diff and writes nothing', { skip: !first && 'needs a feature' }, async () => {
    if (!first) return;
    const dir = await create(['--preset', 'minimal']);
    const before = snapshot(dir);
    const result = await cli(['add', first.id, '--dir', dir, '--dry-run']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /^--- a\/src\/app\.ts$/m);
    assert.deepEqual(snapshot(dir), before);
  });

  it('patches a user-edited app factory in place, keeping the edit', { skip: !first && 'needs a feature' }, async () => {
    if (!first) return;
    const dir = await create(['--preset', 'minimal']);
    const app = path.join(dir, 'src/app.ts');
    const edited = readFileSync(app, 'utf8').replace('return app;', '// my own note\n  return app;');
    writeFileSync(app, edited);
    await add(dir, [first.id]);
    const after = readFileSync(app, 'utf8');
    assert.match(after, /\/\/ my own note/);
    assert.notEqual(after, edited);
  });

  it("keeps the user's edit to a feature's own file when another feature is added", { skip: !second && 'needs two features' }, async () => {
    if (!first || !second) return;
    const dir = await create(['--preset', 'minimal']);
    await add(dir, [first.id]);
    const manifest = JSON.parse(readFileSync(path.join(dir, '.hardened-api.json'), 'utf8')) as { files: Record<string, string> };
    const own = Object.keys(manifest.files).find((f) => f.startsWith('src/plugins/') && !existsSync(path.join(tempBase, f)));
    assert.ok(own, 'the first feature ships a plugin file');
    appendFileSync(path.join(dir, own), '// edited by the user\n');
    await add(
      dir,
      resolveFeatures([second.id], features)
        .map((f) => f.id)
        .filter((id) => id !== first.id),
    );
    assert.match(readFileSync(path.join(dir, own), 'utf8'), /edited by the user/);
  });
});
