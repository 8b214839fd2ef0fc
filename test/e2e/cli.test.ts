import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { features } from '../../src/features/index.ts';
import { cli, snapshot, tempDir } from '../helpers/cli.ts';

const QUIET = ['--no-install', '--no-git'];

describe('create', () => {
  it('creates the minimal project with the manifest and exits 0', async () => {
    const dir = path.join(tempDir(), 'my-api');
    const result = await cli([dir, '--yes', '--preset', 'minimal', ...QUIET]);
    assert.equal(result.exitCode, 0, result.stderr);
    const manifest = JSON.parse(readFileSync(path.join(dir, '.hardened-api.json'), 'utf8'));
    assert.equal(manifest.answers.name, 'my-api');
    assert.deepEqual(manifest.features, []);
    assert.ok(existsSync(path.join(dir, 'src/app.ts')));
    assert.ok(Object.keys(manifest.files).includes('src/app.ts'));
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).name, 'my-api');
  });

  it('--json prints exactly one JSON object on stdout', async () => {
    const dir = path.join(tempDir(), 'json-api');
    const result = await cli([dir, '--yes', '--json', ...QUIET]);
    assert.equal(result.exitCode, 0, result.stderr);
    const parsed = JSON.parse(result.stdout);
    assert.equal(parsed.ok, true);
    assert.ok(parsed.files.includes('package.json'));
    assert.ok(Array.isArray(parsed.nextSteps));
  });

  it('--dry-run prints the plan as a diff and writes nothing', async () => {
    const parent = tempDir();
    const dir = path.join(parent, 'dry');
    const result = await cli([dir, '--yes', '--dry-run', ...QUIET]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /create src\/app\.ts/);
    assert.match(result.stdout, /\+\+\+ b\/src\/app\.ts/);
    assert.equal(existsSync(dir), false);
  });

  it('uses an existing empty directory', async () => {
    const dir = path.join(tempDir(), 'empty');
    mkdirSync(dir);
    const result = await cli([dir, '--yes', ...QUIET]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(existsSync(path.join(dir, 'package.json')));
  });
});

describe('bad input: exit 1, one clear line, nothing written', () => {
  const cases: { name: string; args: (parent: string) => string[]; setup?: (parent: string) => void; message: RegExp }[] = [
    {
      name: 'non-empty directory',
      setup: (p) => {
        mkdirSync(path.join(p, 'full'));
        writeFileSync(path.join(p, 'full/keep.txt'), 'mine');
      },
      args: (p) => [path.join(p, 'full'), '--yes'],
      message: /is not empty/,
    },
    { name: 'invalid package name', args: (p) => [path.join(p, 'Bad Name'), '--yes'], message: /not a valid npm package name/ },
    {
      name: 'a file in the way',
      setup: (p) => writeFileSync(path.join(p, 'file'), 'x'),
      args: (p) => [path.join(p, 'file'), '--yes'],
      message: /exists and is not a directory/,
    },
    {
      name: 'parent that is a file',
      setup: (p) => writeFileSync(path.join(p, 'parent'), 'x'),
      args: (p) => [path.join(p, 'parent/api'), '--yes'],
      message: /is not a directory/,
    },
    {
      name: 'unknown feature',
      args: (p) => [path.join(p, 'api'), '--yes', '--features', 'kubernetes-operator'],
      message: /Unknown feature "kubernetes-operator"/,
    },
    { name: 'unknown preset', args: (p) => [path.join(p, 'api'), '--yes', '--preset', 'huge'], message: /Unknown preset "huge"/ },
    {
      name: 'unknown package manager',
      args: (p) => [path.join(p, 'api'), '--yes', '--pm', 'cargo'],
      message: /Unknown package manager "cargo"/,
    },
    { name: 'unknown option', args: (p) => [path.join(p, 'api'), '--yes', '--frobnicate'], message: /Unknown option '--frobnicate'/ },
    { name: 'no terminal and no --yes', args: (p) => [path.join(p, 'api')], message: /No terminal to ask questions on.*--pm/ },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const parent = tempDir();
      c.setup?.(parent);
      const before = snapshot(parent);
      const result = await cli([...c.args(parent), ...QUIET]);
      assert.equal(result.exitCode, 1, result.stderr);
      assert.match(result.stderr, c.message);
      assert.match(result.stderr, /^error: .+\nhint: .+/m);
      assert.deepEqual(snapshot(parent), before);
    });
  }

  it('an unwritable parent (/proc/1: even root may not create entries there)', async () => {
    const result = await cli(['/proc/1/api', '--yes', ...QUIET]);
    assert.equal(result.exitCode, 1, result.stderr);
    assert.match(result.stderr, /^error: Cannot write to \/proc\/1\.\nhint: /m);
  });

  it('add outside a project', async () => {
    const dir = tempDir();
    const result = await cli(['add', features[0]?.id ?? 'metrics', '--dir', dir, '--no-install']);
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, features[0] ? /No package.json in/ : /Unknown feature/);
    assert.deepEqual(snapshot(dir), {});
  });

  it('add with a broken manifest says which file', async () => {
    const dir = path.join(tempDir(), 'broken');
    assert.equal((await cli([dir, '--yes', ...QUIET])).exitCode, 0);
    writeFileSync(path.join(dir, '.hardened-api.json'), '{ not json');
    const feature = features[0];
    if (!feature) return;
    const before = snapshot(dir);
    const result = await cli(['add', feature.id, '--dir', dir, '--no-install']);
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, /\.hardened-api\.json is unreadable/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('add on a project that is not Fastify says what was looked for', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'package.json'), '{"name":"koa-thing","dependencies":{"koa":"3.0.0"}}\n');
    const feature = features[0];
    const result = await cli(['add', feature?.id ?? 'x', '--dir', dir, '--no-install']);
    assert.equal(result.exitCode, 1);
    assert.match(result.stderr, feature ? /looked for \.hardened-api\.json and for "fastify"/ : /Unknown feature/);
  });
});

describe('list', () => {
  it('--json lists exactly the registry, without the base', async () => {
    const result = await cli(['list', '--json']);
    assert.equal(result.exitCode, 0);
    const parsed = JSON.parse(result.stdout);
    assert.deepEqual(
      parsed.features.map((f: { id: string }) => f.id),
      features.map((f) => f.id),
    );
    for (const f of parsed.features) assert.deepEqual(Object.keys(f).sort(), ['description', 'id', 'presets', 'requires', 'title']);
  });

  it('the second bin name dispatches the same way', async () => {
    const { execa } = await import('execa');
    const { repoRoot } = await import('../helpers/cli.ts');
    const result = await execa(process.execPath, [path.join(repoRoot, 'bin/hardened-api.js'), '--version'], { reject: false });
    assert.equal(result.exitCode, 0);
    assert.match(result.stdout, /^\d+\.\d+\.\d+$/);
  });
});
