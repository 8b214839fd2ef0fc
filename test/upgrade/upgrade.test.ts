import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli, repoRoot, snapshot, tempDir } from '../helpers/cli.ts';
import { closeLocalRegistry, linkDependencies, lockDependencies, runScript, sharedNodeModules, testCounts } from '../helpers/generated.ts';
import { type LocalRegistry, startLocalRegistry } from '../helpers/local-registry.ts';

const FIXTURES = path.join(repoRoot, 'test/fixtures/upgrade');
const OLD = '0.1.0-dev.94';

let registry: LocalRegistry;
let env: Record<string, string>;
let oldCli: string;

/** The old version's package, unpacked with our own node_modules: to generate the "before" projects with. */
function unpack(version: string): string {
  const dir = tempDir('old-generator-');
  execFileSync('tar', ['-xzf', path.join(FIXTURES, `create-hardened-api-${version}.tgz`), '-C', dir]);
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'package/node_modules'), 'dir');
  return path.join(dir, 'package/bin/create-hardened-api.js');
}

async function generate(bin: string, preset: string): Promise<string> {
  const dir = path.join(tempDir('upgrade-'), 'api');
  execFileSync(process.execPath, [bin, dir, '--yes', '--preset', preset, '--no-install', '--no-git'], { stdio: 'ignore' });
  return dir;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', ...args], { cwd: dir, encoding: 'utf8' });
}

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--no-verify', '-m', message);
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  const full = path.join(dir, file);
  const before = readFileSync(full, 'utf8');
  const after = change(before);
  assert.notEqual(after, before, `the edit of ${file} found its place`);
  writeFileSync(full, after);
}

/** The user's own plugin, imported where Biome sorts it and registered before the routes. */
const AUDIT_PLUGIN = `import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Logs every write (our team's audit trail). */
export const auditTrail = fp(async (app: FastifyInstance) => {
  app.addHook('onResponse', async (request) => {
    if (request.method !== 'GET') request.log.info({ audit: true }, 'write');
  });
});
`;

/**
 * The edits a user makes after generating, each of a different kind. Applied to the old project
 * before the upgrade and to a fresh project of the new version for the expected result.
 */
function userEdits(dir: string, features: readonly string[]): void {
  // A new file of theirs, and its registration in the app factory (a file our patches edit).
  writeFileSync(path.join(dir, 'src/plugins/audit-trail.ts'), AUDIT_PLUGIN);
  edit(dir, 'src/app.ts', (text) => {
    const lines = text.split('\n');
    const plugins = lines.findIndex(
      (l) => /^import .* from '\.\/plugins\/(.+)\.ts';$/.test(l) && (l.split("'")[1] as string) > './plugins/audit-trail.ts',
    );
    lines.splice(plugins, 0, "import { auditTrail } from './plugins/audit-trail.ts';");
    return lines
      .join('\n')
      .replace('  await app.register(healthRoutes);', '  await app.register(auditTrail);\n  await app.register(healthRoutes);');
  });
  // A file we changed between the versions, in lines we did not change.
  edit(dir, 'src/lib/coerce.ts', (text) =>
    text.replace(' * Text in, typed values out:', ' * (Reviewed by our team.) Text in, typed values out:'),
  );
  if (features.includes('metrics')) {
    edit(dir, 'src/plugins/metrics.ts', (text) =>
      text.replace(
        "    app.addHook('onRequestAbort',",
        "    // An aborted request leaves the in-flight gauge here.\n    app.addHook('onRequestAbort',",
      ),
    );
  }
  // A file we did not change.
  edit(dir, 'src/routes/v1/items/index.ts', (text) => `// The core resource of our API.\n${text}`);
  // A dependency of theirs.
  edit(dir, 'package.json', (text) => text.replace('"dependencies": {\n', '"dependencies": {\n    "@arr/every": "1.0.1",\n'));
}

function featuresOf(dir: string): string[] {
  return (JSON.parse(readFileSync(path.join(dir, '.hardened-api.json'), 'utf8')) as { features: string[] }).features;
}

async function upgrade(dir: string, ...args: string[]) {
  const result = await cli(['upgrade', '--dir', dir, ...args], { env });
  return { ...result, report: args.includes('--json') && result.stdout ? (JSON.parse(result.stdout) as UpgradeJson) : undefined };
}

interface UpgradeJson {
  ok: boolean;
  from: string;
  to: string;
  updated: string[];
  merged: string[];
  conflicted: { path: string }[];
  kept: { path: string }[];
  created: string[];
  removed: string[];
  actions: string[];
}

const withoutGit = (file: string) => file === '.git' || file.startsWith('.git/') || file === 'node_modules';

describe('upgrade from a real earlier version (0.1.0-dev.94, commit 39aaa1d) to this one', () => {
  before(async () => {
    registry = await startLocalRegistry([
      path.join(FIXTURES, `create-hardened-api-${OLD}.tgz`),
      path.join(FIXTURES, 'create-hardened-api-0.1.0-dev.95.tgz'),
    ]);
    env = { npm_config_registry: registry.url, XDG_CACHE_HOME: tempDir('upgrade-cache-') };
    oldCli = unpack(OLD);
    await sharedNodeModules();
  });
  // The shared install's registry too: an open server keeps this test process alive.
  after(() => Promise.all([registry.close(), closeLocalRegistry()]));

  for (const preset of ['minimal', 'standard', 'full'] as const) {
    it(`${preset}: equals create with this version plus the user's edits; type-checks, lints, passes its tests; a second upgrade changes nothing`, async () => {
      const project = await generate(oldCli, preset);
      const features = featuresOf(project);
      userEdits(project, features);
      git(project, 'init', '-q');
      commitAll(project, 'generated by 0.1.0-dev.94, then edited');

      const expected = await generate(path.join(repoRoot, 'bin/create-hardened-api.js'), preset);
      userEdits(expected, features);

      const dry = await upgrade(project, '--dry-run');
      assert.equal(dry.exitCode, 0, dry.stderr);
      assert.match(dry.stdout, /^diff --git a\/src\/config\.ts b\/src\/config\.ts$/m);
      assert.match(dry.stdout, /^\+\+\+ b\/src\/lib\/environment\.ts$/m);
      assert.equal(git(project, 'status', '--porcelain'), '', '--dry-run wrote nothing');

      const result = await upgrade(project, '--json');
      assert.equal(result.exitCode, 0, `${result.stderr}${result.stdout}`);
      const report = result.report as UpgradeJson;
      assert.equal(report.from, OLD);
      assert.deepEqual(report.conflicted, []);
      assert.ok(report.merged.includes('src/lib/coerce.ts'), JSON.stringify(report));
      // package.json changed between the versions only where features add scripts (their order).
      assert.ok([...report.merged, ...report.kept.map((k) => k.path)].includes('package.json'), JSON.stringify(report));
      assert.ok(report.updated.includes('src/config.ts') && report.created.includes('src/lib/environment.ts'), JSON.stringify(report));
      assert.ok(
        report.kept.some((k) => k.path === 'src/routes/v1/items/index.ts'),
        JSON.stringify(report),
      );
      if (features.includes('metrics')) assert.ok(report.merged.includes('src/app.ts') && report.merged.includes('src/plugins/metrics.ts'));
      if (features.includes('ci')) assert.ok(report.created.includes('.github/workflows/upgrade.yml'));
      assert.deepEqual(snapshot(project, withoutGit), snapshot(expected, withoutGit));

      commitAll(project, 'upgraded');
      const again = await upgrade(project, '--json');
      assert.equal(again.exitCode, 0, again.stderr);
      const second = again.report as UpgradeJson;
      assert.deepEqual([second.updated, second.merged, second.conflicted, second.created, second.removed], [[], [], [], [], []]);
      assert.equal(git(project, 'status', '--porcelain'), '', 'a second upgrade changes nothing');

      await linkDependencies(project);
      await lockDependencies(project);
      for (const script of ['typecheck', 'lint', 'test']) {
        const run = await runScript(project, script);
        assert.ok(run.ok, `${script} failed in ${project}:\n${run.output.split('\n').slice(-40).join('\n')}`);
        if (script === 'test') assert.ok(testCounts(run.output).passed > 0, 'the tests ran');
      }
    });
  }

  it('writes a conflict only where both changed the same lines, everything else too, and exits 1', async () => {
    const project = await generate(oldCli, 'minimal');
    // The new version rewrote this doc comment; the user edits the same line.
    edit(project, 'src/config.ts', (text) =>
      text.replace('start-up. Give each a `default`', 'start-up (our team: see docs/config.md). Give each a `default`'),
    );
    edit(project, 'src/routes/v1/items/index.ts', (text) => `// Ours.\n${text}`);
    git(project, 'init', '-q');
    commitAll(project, 'edited');
    const result = await upgrade(project, '--json');
    assert.equal(result.exitCode, 1, result.stderr);
    const report = result.report as UpgradeJson;
    assert.deepEqual(
      report.conflicted.map((c) => c.path),
      ['src/config.ts'],
    );
    assert.ok(report.created.includes('src/lib/environment.ts'), 'the rest was written');
    assert.match(report.actions[0] ?? '', /Resolve the conflicts .* src\/config\.ts/);
    const config = readFileSync(path.join(project, 'src/config.ts'), 'utf8');
    assert.match(config, /^<<<<<<< yours\n \* start-up \(our team: see docs\/config\.md\)\./m);
    assert.match(config, /^\|\|\|\|\|\|\| create-hardened-api 0\.1\.0-dev\.94$/m);
    assert.match(config, /^>>>>>>> create-hardened-api 0\.1\.0$/m);
    assert.equal(config.match(/^<<<<<<< /gm)?.length, 1, 'one conflict region');
  });

  it('refuses a dirty work tree (naming the files), a downgrade, and a project without a manifest', async () => {
    const project = await generate(oldCli, 'minimal');
    git(project, 'init', '-q');
    commitAll(project, 'generated');
    writeFileSync(path.join(project, 'notes.md'), 'draft\n');
    const dirty = await upgrade(project);
    assert.equal(dirty.exitCode, 1);
    assert.match(dirty.stderr, /uncommitted changes: notes\.md\./);
    const dryRun = await upgrade(project, '--dry-run');
    assert.equal(dryRun.exitCode, 0, `a dry run writes nothing, so it goes ahead: ${dryRun.stderr}`);

    const downgrade = await upgrade(project, '--allow-dirty', '--to', '0.1.0-dev.9');
    assert.equal(downgrade.exitCode, 1);
    assert.match(downgrade.stderr, /0\.1\.0-dev\.9 is older, and upgrade does not downgrade/);

    const empty = tempDir('not-ours-');
    mkdirSync(path.join(empty, 'src'));
    writeFileSync(path.join(empty, 'package.json'), '{"name":"x"}\n');
    const none = await upgrade(empty);
    assert.equal(none.exitCode, 1);
    assert.match(none.stderr, /No \.hardened-api\.json/);
  });
});

describe('upgrade of a project we did not generate, which add wrote into (0.1.0-dev.95, commit 0bfc9a6, to this one)', () => {
  const FIXTURE = path.join(repoRoot, 'test/fixtures/fastify/factory-typeprovider');

  /** The fixture with metrics added by `bin`, then the user's edits: one in our folder, their own file, a dependency. */
  function addedTo(bin: string): string {
    const dir = path.join(tempDir('upgrade-foreign-'), 'bookshelf');
    cpSync(FIXTURE, dir, { recursive: true });
    execFileSync(process.execPath, [bin, 'add', 'metrics', '--dir', dir, '--no-install'], { stdio: 'ignore' });
    edit(dir, 'src/hardened-api/plugins/metrics.ts', (text) =>
      text.replace(
        "    app.addHook('onRequestAbort',",
        "    // An aborted request leaves the in-flight gauge here.\n    app.addHook('onRequestAbort',",
      ),
    );
    writeFileSync(path.join(dir, 'src/routes/authors.ts'), 'export const authors = [];\n');
    edit(dir, 'package.json', (text) => text.replace('"dependencies": {\n', '"dependencies": {\n    "@arr/every": "1.0.1",\n'));
    return dir;
  }

  let ownRegistry: LocalRegistry;
  before(async () => {
    ownRegistry = await startLocalRegistry([path.join(FIXTURES, 'create-hardened-api-0.1.0-dev.95.tgz')]);
    env = { npm_config_registry: ownRegistry.url, XDG_CACHE_HOME: tempDir('upgrade-cache-') };
  });
  after(() => ownRegistry.close());

  it('touches only our files and the entries add made; equals add with this version plus the edits; again changes nothing', async () => {
    const project = addedTo(unpack('0.1.0-dev.95'));
    git(project, 'init', '-q');
    commitAll(project, 'metrics added by 0.1.0-dev.95, then edited');
    const expected = addedTo(path.join(repoRoot, 'bin/create-hardened-api.js'));

    const result = await upgrade(project, '--json');
    assert.equal(result.exitCode, 0, `${result.stderr}${result.stdout}`);
    const report = result.report as UpgradeJson;
    assert.deepEqual(report.merged, ['src/hardened-api/plugins/metrics.ts']);
    assert.ok(report.updated.includes('src/hardened-api/lib/coerce.ts'), JSON.stringify(report));
    // Outside our folder, only the files where this version's add makes its entries (the app's
    // registration, the project's env schema).
    const original = snapshot(FIXTURE);
    const added = snapshot(expected, withoutGit);
    const addEdits = Object.keys(added).filter((file) => !file.startsWith('src/hardened-api/') && original[file] !== added[file]);
    const touched = [...report.updated, ...report.merged, ...report.created, ...report.removed];
    assert.deepEqual(
      touched.filter((file) => !file.startsWith('src/hardened-api/') && !addEdits.includes(file)),
      [],
      'only our folder and the entries add makes',
    );
    assert.deepEqual(snapshot(project, withoutGit), snapshot(expected, withoutGit));

    commitAll(project, 'upgraded');
    const again = await upgrade(project, '--json');
    assert.equal(again.exitCode, 0, again.stderr);
    assert.equal(git(project, 'status', '--porcelain'), '', 'a second upgrade changes nothing');
  });
});
