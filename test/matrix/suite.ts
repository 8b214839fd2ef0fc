import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { features } from '../../src/features/index.ts';
import { repoRoot } from '../helpers/cli.ts';
import { type Combination, matrixCombinations } from '../helpers/combinations.ts';
import {
  closeLocalRegistry,
  generate,
  linkDependencies,
  lockDependencies,
  POSTGRES_URL,
  projectEnv,
  REDIS_URL,
  runScript,
  sharedNodeModules,
  testCounts,
  undeclaredImports,
} from '../helpers/generated.ts';
import { startProductionBuild } from '../helpers/production.ts';
import { ensurePostgres, ensureRedis } from '../helpers/services.ts';
import { validators } from './validators/index.ts';

const STEPS = [
  'generate',
  'imports',
  'check',
  'typecheck',
  'lint',
  'test (embedded)',
  'test (services)',
  'production',
  'validators',
] as const;
type Step = (typeof STEPS)[number];
const table = new Map<string, Partial<Record<Step, string>>>();

function tail(output: string): string {
  return output.split('\n').slice(-40).join('\n');
}

interface CheckReport {
  findings: { id: string; severity: string; location: { file?: string; line?: number; url?: string }; seen: string; accepted?: unknown }[];
}

/** `create-hardened-api check` as the project runs it (its own devDependency): what it finds at medium or above. */
async function hardeningFindings(project: string, ...args: string[]): Promise<string[]> {
  const result = await execa(
    'node_modules/.bin/create-hardened-api',
    ['check', '--no-audit', '--format', 'json', '--fail-on', 'none', ...args],
    {
      cwd: project,
      env: projectEnv(),
      reject: false,
      stdin: 'ignore',
    },
  );
  if (result.exitCode !== 0) return [`check exited ${result.exitCode}: ${result.stderr}`];
  return (JSON.parse(result.stdout) as CheckReport).findings
    .filter((f) => f.severity !== 'low' && !f.accepted)
    .map((f) => `${f.severity} ${f.id} ${f.location.url ?? `${f.location.file}:${f.location.line}`}: ${f.seen}`);
}

/** The production build (what `npm start` and the image run) starts, is ready, serves, and stops cleanly. */
async function productionProblems(project: string, features: readonly string[]): Promise<string[]> {
  const server = await startProductionBuild(project);
  const problems: string[] = [];
  try {
    const ready = await fetch(`${server.url}/health/ready`);
    if (ready.status !== 200) problems.push(`/health/ready answered ${ready.status}`);
    const expected = features.includes('auth') ? 401 : 200;
    const items = await fetch(`${server.url}/v1/items`);
    if (items.status !== expected) problems.push(`GET /v1/items answered ${items.status}, not ${expected}`);
    // The live checks, against the API as it runs in production.
    for (const finding of await hardeningFindings(project, '--url', `${server.url}/v1/items`)) problems.push(`check --url: ${finding}`);
  } finally {
    const code = await server.stop();
    if (code !== 0) problems.push(`SIGTERM: exit code ${code}, not 0`);
  }
  return problems.length > 0 ? [...problems, tail(server.output())] : [];
}

/**
 * The matrix's combinations split into `shards` groups of about equal cost (a combination costs about its
 * number of features): the test runner runs the shards' files concurrently, one per core.
 */
function shardOf(combinations: readonly Combination[], shard: number, shards: number): Combination[] {
  const loads = Array.from({ length: shards }, () => ({ cost: 0, combinations: [] as Combination[] }));
  for (const combination of [...combinations].sort((a, b) => b.features.length - a.features.length)) {
    const lightest = loads.reduce((min, load) => (load.cost < min.cost ? load : min));
    lightest.cost += 2 + combination.features.length;
    lightest.combinations.push(combination);
  }
  const mine = new Set(loads[shard]?.combinations ?? []);
  return combinations.filter((c) => mine.has(c));
}

/** Shard `shard` (0-based) of `shards` of the matrix; each test file runs one. */
export function matrixSuite(shard: number, shards: number): void {
  describe(`matrix ${shard + 1}/${shards}: every combination type-checks, lints and passes its own tests on the embedded defaults and on PostgreSQL + Redis`, () => {
    before(async () => {
      await Promise.all([ensurePostgres(), ensureRedis()]);
      await sharedNodeModules();
    });

    after(async () => {
      await closeLocalRegistry();
      const header = `| combination | ${STEPS.join(' | ')} |\n|---|${STEPS.map(() => '---').join('|')}|`;
      const rows = [...table].map(([name, cells]) => `| ${name} | ${STEPS.map((s) => cells[s] ?? '-').join(' | ')} |`);
      const markdown = `${header}\n${rows.join('\n')}\n`;
      mkdirSync(path.join(repoRoot, '.test-output'), { recursive: true });
      writeFileSync(path.join(repoRoot, `.test-output/matrix-${shard + 1}.md`), markdown);
      process.stdout.write(`\n${markdown}`);
    });

    // MATRIX_FILTER=<regex> runs the matching combinations only (while working on one feature).
    const filter = process.env.MATRIX_FILTER ? new RegExp(process.env.MATRIX_FILTER) : undefined;
    for (const combination of shardOf(matrixCombinations(features), shard, shards).filter((c) => !filter || filter.test(c.name))) {
      const choices = Object.entries(combination.options ?? {}).map(([id, values]) => ` --${id} ${values.join(',')}`);
      const label = `${combination.name} [${combination.features.join(',') || 'base'}${choices.join('')}]`;
      it(label, async () => {
        const cells: Partial<Record<Step, string>> = {};
        table.set(label, cells);
        const mark = (step: Step, ok: boolean, ms: number) => {
          cells[step] = `${ok ? 'ok' : 'FAIL'} ${(ms / 1000).toFixed(1)}s`;
        };
        let started = Date.now();
        const project = await generate(combination.features, 'api', combination.options);
        await linkDependencies(project);
        await lockDependencies(project);
        mark('generate', true, Date.now() - started);

        started = Date.now();
        const undeclared = undeclaredImports(project);
        mark('imports', undeclared.length === 0, Date.now() - started);
        assert.deepEqual(undeclared, [], 'every import is a declared dependency');

        // Lint runs it too; this step names what it finds (if anything appears, the template or the check is wrong).
        started = Date.now();
        const findings = await hardeningFindings(project);
        mark('check', findings.length === 0, Date.now() - started);
        assert.deepEqual(findings, [], `create-hardened-api check in ${project}: 0 findings at medium or above`);

        for (const [step, script, env] of [
          ['typecheck', 'typecheck', {}],
          ['lint', 'lint', {}],
          ['test (embedded)', 'test', {}],
          ['test (services)', 'test', { DATABASE_URL: POSTGRES_URL, REDIS_URL }],
        ] as const) {
          const result = await runScript(project, script, env);
          const ranTests = script !== 'test' || testCounts(result.output).passed > 0;
          mark(step, result.ok && ranTests, result.ms);
          assert.ok(result.ok, `${step} failed in ${project}:\n${tail(result.output)}`);
          assert.ok(ranTests, `${step} ran no test in ${project}:\n${tail(result.output)}`);
        }

        started = Date.now();
        const production = await productionProblems(project, combination.features);
        mark('production', production.length === 0, Date.now() - started);
        assert.deepEqual(production, [], `the production build in ${project}`);

        started = Date.now();
        for (const id of combination.features) await validators[id]?.(project);
        mark('validators', true, Date.now() - started);
      });
    }
  });
}
