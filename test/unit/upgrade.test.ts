import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashContent } from '../../src/engine/manifest.ts';
import type { RenderedFile } from '../../src/engine/render.ts';
import { mergePackageJsonByMeaning } from '../../src/upgrade/merge-package-json.ts';
import { mergeText } from '../../src/upgrade/merge-text.ts';
import { planUpgrade, type UpgradeInput } from '../../src/upgrade/plan.ts';
import { formatReport, upgradeReport } from '../../src/upgrade/report.ts';
import { compareVersions } from '../../src/upgrade/versions.ts';

const LABELS = { yours: 'yours', base: 'create-hardened-api 1.0.0', ours: 'create-hardened-api 1.1.0' };

describe('compareVersions (semver 2 precedence)', () => {
  it('orders releases, pre-releases and numeric identifiers', () => {
    const ordered = [
      '0.1.0-dev.9',
      '0.1.0-dev.94',
      '0.1.0-dev.95',
      '0.1.0-rc',
      '0.1.0',
      '0.1.1',
      '0.2.0',
      '1.0.0-alpha',
      '1.0.0',
      '10.0.0',
    ];
    for (let i = 1; i < ordered.length; i++) {
      assert.ok(compareVersions(ordered[i - 1] as string, ordered[i] as string) < 0, `${ordered[i - 1]} < ${ordered[i]}`);
      assert.ok(compareVersions(ordered[i] as string, ordered[i - 1] as string) > 0, `${ordered[i]} > ${ordered[i - 1]}`);
    }
    assert.equal(compareVersions('1.2.3+build.5', '1.2.3'), 0);
  });
});

describe('mergeText', () => {
  const base = 'a\nb\nc\nd\ne\n';
  it('combines changes to different lines', () => {
    const merged = mergeText(base, 'a\nB\nc\nd\ne\n', 'a\nb\nc\nd\nE\n', LABELS);
    assert.deepEqual(merged, { text: 'a\nB\nc\nd\nE\n', conflicts: 0 });
  });

  it('writes git diff3-style markers where both changed the same lines differently', () => {
    const merged = mergeText(base, 'a\nb\nOURS\nd\ne\n', 'a\nb\nYOURS\nd\ne\n', LABELS);
    assert.equal(merged.conflicts, 1);
    assert.equal(
      merged.text,
      'a\nb\n<<<<<<< yours\nYOURS\n||||||| create-hardened-api 1.0.0\nc\n=======\nOURS\n>>>>>>> create-hardened-api 1.1.0\nd\ne\n',
    );
  });

  it('is not a conflict when both made the same change', () => {
    assert.deepEqual(mergeText(base, 'a\nX\nc\nd\ne\n', 'a\nX\nc\nd\ne\n', LABELS), { text: 'a\nX\nc\nd\ne\n', conflicts: 0 });
  });

  it('keeps both insertions at one place in block documents, ours first', () => {
    const ours = 'a\nb\nc\n\n# Ours\nOURS=1\nd\ne\n';
    const yours = 'a\nb\nc\n\n# Yours\nYOURS=1\nd\ne\n';
    assert.equal(mergeText(base, ours, yours, LABELS).conflicts, 1);
    assert.deepEqual(mergeText(base, ours, yours, LABELS, true), {
      text: 'a\nb\nc\n\n# Ours\nOURS=1\n\n# Yours\nYOURS=1\nd\ne\n',
      conflicts: 0,
    });
  });
});

const pkg = (value: Record<string, unknown>): string => `${JSON.stringify(value, null, 2)}\n`;

describe('mergePackageJsonByMeaning', () => {
  const base = pkg({
    name: 'api',
    scripts: { build: 'tsc', test: 'node --test' },
    dependencies: { fastify: '5.0.0', pino: '9.0.0', undici: '7.0.0' },
  });
  const ours = pkg({
    name: 'api',
    scripts: { test: 'node --test', build: 'tsc -p tsconfig.build.json', migrate: 'node migrate.ts' },
    dependencies: { fastify: '5.1.0', pino: '9.1.0', typebox: '1.4.3' },
  });

  it('moves our versions forward, keeps the user’s own dependencies and pins, and reports both', () => {
    const yours = pkg({
      name: 'my-api',
      scripts: { build: 'tsc', test: 'node --test', seed: 'node seed.ts' },
      dependencies: { 'left-pad': '1.3.0', fastify: '5.0.0', pino: '9.0.1', undici: '7.0.0' },
    });
    const merged = mergePackageJsonByMeaning(base, ours, yours);
    assert.equal(
      merged.text,
      pkg({
        name: 'my-api',
        // seed follows test, as in the user's file (scripts are not sorted).
        scripts: { test: 'node --test', seed: 'node seed.ts', build: 'tsc -p tsconfig.build.json', migrate: 'node migrate.ts' },
        dependencies: { fastify: '5.1.0', 'left-pad': '1.3.0', pino: '9.0.1', typebox: '1.4.3' },
      }),
    );
    assert.deepEqual(merged.kept, [{ key: 'dependencies.pino', yours: '9.0.1', ours: '9.1.0' }]);
    assert.deepEqual(
      merged.applied.filter((c) => c.section === 'dependencies'),
      [
        { section: 'dependencies', name: 'fastify', from: '5.0.0', to: '5.1.0' },
        { section: 'dependencies', name: 'undici', from: '7.0.0', to: undefined },
        { section: 'dependencies', name: 'typebox', from: undefined, to: '1.4.3' },
      ],
    );
  });

  it('keeps a dependency we dropped when the user changed it, and a removal the user made', () => {
    const yours = pkg({ name: 'api', scripts: { build: 'tsc', test: 'node --test' }, dependencies: { fastify: '5.0.0', undici: '7.1.0' } });
    const merged = JSON.parse(mergePackageJsonByMeaning(base, ours, yours).text) as { dependencies: Record<string, string> };
    assert.deepEqual(merged.dependencies, { fastify: '5.1.0', typebox: '1.4.3', undici: '7.1.0' });
  });

  it('keeps the user’s indentation', () => {
    const yours = JSON.stringify(JSON.parse(base), null, 4);
    assert.match(mergePackageJsonByMeaning(base, ours, yours).text, /^ {4}"name": "api",$/m);
  });
});

function rendered(files: Record<string, string>): Map<string, RenderedFile> {
  return new Map(Object.entries(files).map(([path, content]) => [path, { path, content, executable: false }]));
}

function input(base: Record<string, string>, next: Record<string, string>, disk: Record<string, string>): UpgradeInput {
  return {
    base: rendered(base),
    next: rendered(next),
    read: (path) => disk[path] ?? null,
    recorded: Object.fromEntries(Object.entries(base).map(([path, content]) => [path, hashContent(content)])),
    isOurs: () => true,
    labels: { base: 'create-hardened-api 1.0.0', next: 'create-hardened-api 1.1.0' },
  };
}

describe('planUpgrade', () => {
  it('decides each file: update, keep, merge, conflict, create, remove', () => {
    const base = {
      'untouched.ts': 'old\n',
      'edited-unchanged.ts': 'same\n',
      'edited-changed.ts': 'one\ntwo\nthree\nfour\n',
      'both-same-line.ts': 'x\n',
      'removed-untouched.ts': 'gone\n',
      'removed-edited.ts': 'gone\n',
      'deleted-by-you.ts': 'v1\n',
    };
    const next = {
      'untouched.ts': 'new\n',
      'edited-unchanged.ts': 'same\n',
      'edited-changed.ts': 'ONE\ntwo\nthree\nfour\n',
      'both-same-line.ts': 'x ours\n',
      'deleted-by-you.ts': 'v2\n',
      'new.ts': 'fresh\n',
      'new-taken.ts': 'ours\n',
      'migrations/002_fix.sql': 'ALTER TABLE items ADD x int;\n',
    };
    const disk = {
      'untouched.ts': 'old\n',
      'edited-unchanged.ts': 'same, edited\n',
      'edited-changed.ts': 'one\ntwo\nthree\nFOUR\n',
      'both-same-line.ts': 'x yours\n',
      'removed-untouched.ts': 'gone\n',
      'removed-edited.ts': 'mine now\n',
      'new-taken.ts': 'theirs\n',
      'my-own.ts': 'mine\n',
    };
    const plan = planUpgrade(input(base, next, disk));
    const actions = Object.fromEntries(plan.files.map((f) => [f.path, f.action]));
    assert.deepEqual(actions, {
      'both-same-line.ts': 'conflict',
      'deleted-by-you.ts': 'keep',
      'edited-changed.ts': 'merge',
      'edited-unchanged.ts': 'keep',
      'migrations/002_fix.sql': 'create',
      'new-taken.ts': 'conflict',
      'new.ts': 'create',
      'removed-edited.ts': 'keep',
      'removed-untouched.ts': 'remove',
      'untouched.ts': 'update',
    });
    const written = Object.fromEntries(plan.writes.map((w) => [w.path, w.content]));
    assert.equal(written['edited-changed.ts'], 'ONE\ntwo\nthree\nFOUR\n');
    assert.equal(written['untouched.ts'], 'new\n');
    assert.match(
      written['new-taken.ts'] ?? '',
      /^<<<<<<< yours\ntheirs\n\|\|\|\|\|\|\| create-hardened-api 1\.0\.0\n=======\nours\n>>>>>>> /,
    );
    assert.deepEqual(plan.removals, ['removed-untouched.ts']);
    assert.deepEqual(plan.newMigrations, ['migrations/002_fix.sql']);
    assert.equal('my-own.ts' in actions, false, 'a file we never wrote is not ours to report');
  });

  it('never rewrites a migration that exists, and lists a name clash as a conflict', () => {
    const plan = planUpgrade(
      input(
        { 'migrations/001_items.sql': 'CREATE TABLE items (id text);\n' },
        { 'migrations/001_items.sql': 'CREATE TABLE items (id text, x int);\n', 'migrations/002_x.sql': 'ours\n' },
        { 'migrations/001_items.sql': 'CREATE TABLE items (id text);\n', 'migrations/002_x.sql': 'the user’s own 002\n' },
      ),
    );
    assert.deepEqual(
      plan.files.map((f) => [f.path, f.action]),
      [
        ['migrations/001_items.sql', 'keep'],
        ['migrations/002_x.sql', 'conflict'],
      ],
    );
    assert.deepEqual(plan.writes, []);
  });

  it('reports new environment variables, migrations and dependency moves as actions', () => {
    const base = { '.env.example': '# Base\nPORT=3000\n', 'package.json': pkg({ dependencies: { fastify: '5.0.0' } }) };
    const next = {
      '.env.example': '# Base\nPORT=3000\n# Audit\nAUDIT_LOG=\n',
      'package.json': pkg({ dependencies: { fastify: '5.1.0' } }),
      'migrations/002_audit.sql': 'CREATE TABLE audit (id text);\n',
    };
    const plan = planUpgrade(input(base, next, { ...base }));
    const report = upgradeReport(plan, '1.0.0', '1.1.0');
    assert.deepEqual(report.updated, ['.env.example', 'package.json']);
    assert.deepEqual(report.dependencies.updated, [{ name: 'fastify', section: 'dependencies', from: '5.0.0', to: '5.1.0' }]);
    assert.deepEqual(report.actions, [
      'Run `npm install`: package.json changed.',
      'Set AUDIT_LOG where the API runs, if the default does not suit (see .env.example).',
      'Run `npm run migrate` where the API runs: new migrations migrations/002_audit.sql.',
    ]);
    assert.match(formatReport(report, plan, false), /^- dependencies\.fastify: 5\.0\.0 -> 5\.1\.0$/m);
  });
});
