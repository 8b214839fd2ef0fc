/**
 * The foreign fixture corpus (test/fixtures/fastify/, test/fixtures/express/) holds up before anything patches
 * it: each working fixture installs from its own lockfile, passes its own type-check, tests and lint, builds,
 * starts and answers its probe with 200 JSON; each refusal fixture says what the refusal must mention and has
 * no lockfile.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  type Fixture,
  type Framework,
  isWorking,
  listFixtures,
  preparedFixture,
  runFixtureScript,
  startFixture,
  type WorkingFixture,
} from '../helpers/fixtures.ts';
import { testCounts } from '../helpers/generated.ts';

/** What each corpus must cover (the add issues name these shapes). */
const COVERAGE: Record<Framework, { working: number; holders: string[]; majors: number[]; refusals: number }> = {
  fastify: { working: 10, holders: ['factory', 'module', 'class-field', 'app-plugin'], majors: [4, 5], refusals: 4 },
  express: { working: 8, holders: ['factory', 'module', 'class-field', 'router-function'], majors: [4, 5], refusals: 2 },
};

/** Tests that really ran: node:test's summary (spec or TAP), vitest's, jest's or mocha's. */
function passedTests(output: string): number {
  const summary = /Tests:?\s+(\d+) passed/.exec(output) ?? /^\s*(\d+) passing/m.exec(output);
  return summary ? Number(summary[1]) : testCounts(output).passed;
}

for (const framework of ['fastify', 'express'] as const) {
  const fixtures = listFixtures(framework);
  const working = fixtures.filter(isWorking);
  const refusals = fixtures.filter((fixture) => !isWorking(fixture));
  corpus(framework, working, refusals);
  for (const fixture of working) serves(framework, fixture);
}

function corpus(framework: Framework, working: WorkingFixture[], refusals: Fixture[]): void {
  describe(`the foreign ${framework} fixture corpus`, () => {
    it('has the working shapes and the refusals the add issues name', () => {
      const expected = COVERAGE[framework];
      assert.ok(working.length >= expected.working, `${working.length} working fixtures`);
      assert.deepEqual(new Set(working.map((f) => f.app.holder)), new Set(expected.holders));
      assert.deepEqual(new Set(working.map((f) => f.frameworkMajor)), new Set(expected.majors));
      if (framework === 'fastify') assert.ok(working.some((f) => f.packageManager === 'pnpm'));
      assert.ok(refusals.length >= expected.refusals, `${refusals.length} refusal fixtures`);
    });

    for (const fixture of refusals) {
      it(`${fixture.name}: a refusal fixture, never installed (no lockfile)`, () => {
        assert.ok('refuse' in fixture && fixture.refuse.length > 0);
        for (const lockfile of ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'])
          assert.ok(!existsSync(path.join(fixture.dir, lockfile)), lockfile);
      });
    }

    for (const fixture of working) {
      it(`${fixture.name}: the contract's static part (lockfile, exact pins, .gitignore, named files and scripts)`, () => {
        const lockfile = fixture.packageManager === 'pnpm' ? 'pnpm-lock.yaml' : 'package-lock.json';
        assert.ok(existsSync(path.join(fixture.dir, lockfile)), `${lockfile} committed`);
        const pkg = JSON.parse(readFileSync(path.join(fixture.dir, 'package.json'), 'utf8')) as {
          scripts?: Record<string, string>;
          dependencies?: Record<string, string>;
          devDependencies?: Record<string, string>;
        };
        for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
          assert.match(version, /^(\d+\.\d+\.\d+(-[\w.]+)?|file:.+)$/, `${name}@${version} is pinned exactly`);
        }
        for (const script of Object.values(fixture.scripts)) if (script) assert.ok(pkg.scripts?.[script], `script ${script} exists`);
        assert.ok(existsSync(path.join(fixture.dir, fixture.app.file)), fixture.app.file);
        const ignored = readFileSync(path.join(fixture.dir, '.gitignore'), 'utf8').split('\n');
        assert.ok(ignored.includes('node_modules/'), '.gitignore has node_modules/');
        if (fixture.scripts.build) assert.ok(ignored.includes('dist/'), '.gitignore has dist/');
        const major = Number({ ...pkg.dependencies, ...pkg.devDependencies }[framework]?.split('.')[0]);
        assert.equal(major, fixture.frameworkMajor, `frameworkMajor is the ${framework} major in package.json`);
      });
    }
  });
}

function serves(framework: Framework, fixture: WorkingFixture): void {
  describe(`fixture ${framework}/${fixture.name} (${fixture.packageManager}, ${framework} ${fixture.frameworkMajor}, ${fixture.app.holder})`, () => {
    let dir = '';

    before(async () => {
      dir = await preparedFixture(framework, fixture.name);
    });

    // The copy's temp folder only: its node_modules is a link, which rm removes without following.
    after(() => {
      if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
    });

    for (const job of ['typecheck', 'test', 'lint'] as const) {
      const script = fixture.scripts[job];
      if (!script) continue;
      it(`its own ${job} passes (${script})`, async () => {
        const result = await runFixtureScript(dir, script);
        assert.ok(result.ok, result.output);
        if (job === 'test') assert.ok(passedTests(result.output) >= 3, `3 or more tests ran:\n${result.output}`);
      });
    }

    it(`${fixture.scripts.build ? 'builds, ' : ''}starts and answers ${fixture.probe} with 200 JSON`, async () => {
      const server = await startFixture(dir, fixture);
      try {
        const response = await fetch(`${server.url}${fixture.probe}`);
        assert.equal(response.status, 200, server.output());
        assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
        await response.json();
      } finally {
        await server.stop();
      }
    });
  });
}
