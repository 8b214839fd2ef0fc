import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { unifiedDiff } from '../../src/engine/diff.ts';
import { features as registry } from '../../src/features/index.ts';
import { cli, repoRoot, snapshot } from '../helpers/cli.ts';
import {
  copyFixture,
  installedFixture,
  installProject,
  isWorking,
  listFixtures,
  runFixtureScript,
  startFixture,
  type WorkingFixture,
} from '../helpers/fixtures.ts';
import { artifactChecks, liveChecks, startEnv } from './checks/index.ts';

/**
 * `add` on projects we did not generate (test/fixtures/fastify): for each fixture, every feature it
 * can have at once and then each feature alone: add -> (install with the project's package manager)
 * -> its own type-check, tests and lint -> it starts -> each feature works live -> add again changes
 * nothing -> --dry-run had shown exactly what was written. Refusal fixtures: exit 1, nothing written.
 */

const IGNORED = (file: string) => file === 'node_modules' || file.startsWith('node_modules/') || file.startsWith('dist');
const table: string[] = [];

/** Features `add` offers on this fixture (the rest refuse on projects we did not generate or on its Fastify major). */
function offered(fixture: WorkingFixture): string[] {
  return registry
    .filter((f) => !f.unsupportedForeign && !(fixture.frameworkMajor === 4 && f.fastify4 && 'unsupported' in f.fastify4))
    .map((f) => f.id);
}

async function addWithPlan(dir: string, ids: readonly string[]): Promise<{ stderr: string; changed: string[] }> {
  const before = snapshot(dir, IGNORED);
  const plan = await cli(['add', ...ids, '--dir', dir, '--dry-run', '--json']);
  assert.equal(plan.exitCode, 0, `add ${ids.join(' ')} --dry-run:\n${plan.stderr}`);
  assert.deepEqual(snapshot(dir, IGNORED), before, '--dry-run wrote nothing');
  const added = await cli(['add', ...ids, '--dir', dir, '--no-install']);
  assert.equal(added.exitCode, 0, `add ${ids.join(' ')}:\n${added.stderr}`);
  const after = snapshot(dir, IGNORED);
  const changed = Object.keys(after)
    .filter((f) => !f.endsWith('/') && after[f] !== before[f])
    .sort();
  const written = unifiedDiff(
    changed.map((f) => ({
      path: f,
      before: before[f] === undefined ? null : strip(before[f]),
      after: strip(after[f]),
      executable: isExecutable(after[f]),
    })),
  );
  assert.equal(written, (JSON.parse(plan.stdout) as { diff?: string }).diff ?? '', '--dry-run showed exactly what was written');
  const again = await cli(['add', ...ids, '--dir', dir, '--no-install']);
  assert.equal(again.exitCode, 0, again.stderr);
  assert.deepEqual(snapshot(dir, IGNORED), after, 'add again changes nothing');
  return { stderr: added.stderr, changed };
}

const strip = (content: string | undefined) => (content ?? '').replace(/^\[x\]/, '');
const isExecutable = (content: string | undefined) => (content ?? '').startsWith('[x]');

/** A change that can affect what the project's own jobs check (code, dependencies, compiler or formatter settings). */
const AFFECTS_JOBS = /\.[cm]?[jt]s$|(^|\/)(package\.json|tsconfig[^/]*\.json|\.prettier[^/]*|biome\.jsonc?)$/;

/**
 * The project's own jobs, then the app started with every feature's settings, then each feature's checks.
 * The jobs and the start are skipped only when `add` changed nothing they read (a feature that writes a
 * workflow or manifests alone): they would prove nothing new.
 */
async function prove(dir: string, fixture: WorkingFixture, ids: readonly string[], changed: readonly string[]): Promise<void> {
  const affected = changed.some((file) => AFFECTS_JOBS.test(file));
  for (const job of affected ? (['typecheck', 'test', 'lint'] as const) : []) {
    const script = fixture.scripts[job];
    if (!script) continue;
    const result = await runFixtureScript(dir, script);
    assert.ok(result.ok, `${fixture.name}: ${job} (${script}) failed after add ${ids.join(' ')}:\n${result.output.slice(-4000)}`);
  }
  const manifest = path.join(dir, '.hardened-api.json');
  const features = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')).features as string[]) : [];
  const added = ids.filter((id) => features.includes(id));
  for (const id of added) await artifactChecks[id]?.({ dir, probe: fixture.probe, features });
  if (!affected && !added.some((id) => liveChecks[id])) return;
  const env = Object.assign({}, ...features.map((id) => startEnv[id] ?? {}));
  const server = await startFixture(dir, fixture, { env });
  try {
    for (const id of added) await liveChecks[id]?.({ dir, url: server.url, probe: fixture.probe, features });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- server output ---\n${server.output().slice(-3000)}`);
  } finally {
    await server.stop();
  }
}

describe('add on Fastify projects we did not generate', () => {
  after(() => process.stdout.write(`\n${table.join('\n')}\n`));
  const fixtures = listFixtures('fastify');

  for (const fixture of fixtures) {
    if (isWorking(fixture)) continue;
    it(`${fixture.name}: refused (${fixture.refuse})`, async () => {
      const dir = copyFixture('fastify', fixture.name);
      const before = snapshot(dir);
      const result = await cli(['add', 'metrics', '--dir', dir, '--no-install']);
      assert.equal(result.exitCode, 1, result.stderr);
      assert.match(result.stderr, new RegExp(fixture.refuse, 'i'));
      assert.equal(result.stderr.trim().split('\n').length, 2, 'one line and a hint');
      assert.deepEqual(snapshot(dir), before, 'nothing written');
    });
  }

  for (const fixture of fixtures) {
    if (!isWorking(fixture)) continue;
    describe(fixture.name, () => {
      const ids = offered(fixture);
      /** node_modules with every feature's packages, installed by the project's own package manager. */
      let everything: string | undefined;

      it(`every feature at once: ${ids.join(' ')}`, async () => {
        const started = Date.now();
        const dir = copyFixture('fastify', fixture.name);
        cpSync(await installedFixture('fastify', fixture.name), path.join(dir, 'node_modules'), {
          recursive: true,
          verbatimSymlinks: true,
        });
        const { changed } = await addWithPlan(dir, ids);
        const install = await installProject(dir);
        assert.ok(install.ok, `install with ${fixture.packageManager}:\n${install.output.slice(-3000)}`);
        await prove(dir, fixture, ids, changed);
        // A folder named node_modules: packages resolve their own dependencies from it, not from ours above it.
        const installs = path.join(repoRoot, '.test-output/fixture-installs', `fastify-${fixture.name}-all-features`);
        rmSync(installs, { recursive: true, force: true });
        mkdirSync(installs, { recursive: true });
        everything = path.join(installs, 'node_modules');
        cpSync(path.join(dir, 'node_modules'), everything, { recursive: true, verbatimSymlinks: true });
        table.push(`${fixture.name} [all] ${((Date.now() - started) / 1000).toFixed(1)}s`);
      });

      for (const id of ids) {
        it(id, async () => {
          assert.ok(everything && existsSync(everything), 'the all-features install exists');
          const started = Date.now();
          const dir = copyFixture('fastify', fixture.name);
          symlinkSync(everything, path.join(dir, 'node_modules'), 'dir');
          const { stderr, changed } = await addWithPlan(dir, [id]);
          const manifest = path.join(dir, '.hardened-api.json');
          const added = existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')).features as string[]).includes(id);
          if (!added)
            assert.match(stderr, new RegExp(`${id}: the project already has it`), `${id} was neither added nor found there already`);
          await prove(dir, fixture, [id], changed);
          table.push(`${fixture.name} ${id} ${((Date.now() - started) / 1000).toFixed(1)}s`);
        });
      }
    });
  }
});
