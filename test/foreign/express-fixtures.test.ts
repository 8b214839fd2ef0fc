/**
 * The foreign Express fixture corpus (test/fixtures/express/) holds up before anything patches it: each working
 * fixture installs from its own lockfile, passes its own type-check, lint and tests, builds, starts and answers its
 * probe with 200 JSON; each refusal fixture says what the refusal must mention and has no lockfile.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------------------------
// Local fixture harness, standing in for the shared test/helpers/fixtures.ts until it lands: same names, same
// signatures, same contract (install once per fixture, cached by package.json + lockfile; copy to a temp dir and
// link node_modules; scripts with Node 24 first on PATH and without NODE_TEST_CONTEXT; build, then start on a free
// 127.0.0.1 port until the probe answers). To switch, delete this section and import from '../helpers/fixtures.ts'.
// ---------------------------------------------------------------------------------------------------------------

type Framework = 'fastify' | 'express';
type PackageManager = 'npm' | 'pnpm';

interface FixtureBase {
  description: string;
  framework: Framework;
  frameworkMajor: number;
  packageManager: PackageManager;
}

interface WorkingFixtureSpec extends FixtureBase {
  scripts: { typecheck: string | null; test: string | null; build: string | null; lint: string | null };
  start: string[];
  probe: string;
  app: { file: string; holder: 'factory' | 'module' | 'class-field' | 'app-plugin' | 'router-function' };
}

interface RefusalFixtureSpec extends FixtureBase {
  refuse: string;
}

type Fixture = (WorkingFixtureSpec | RefusalFixtureSpec) & { name: string; dir: string };
type WorkingFixture = WorkingFixtureSpec & { name: string; dir: string };

interface StepResult {
  ok: boolean;
  ms: number;
  output: string;
}

interface FixtureServer {
  child: ChildProcess;
  url: string;
  port: number;
  output(): string;
  stop(): Promise<number | null>;
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
/** This repository's tools (Node 24 from the `node` devDependency) first on PATH. */
const toolsBin = path.join(repoRoot, 'node_modules/.bin');
const lockfiles = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock'];

function isWorking(fixture: Fixture): fixture is WorkingFixture {
  return !('refuse' in fixture);
}

function fixturesRoot(framework: Framework): string {
  return path.join(repoRoot, 'test/fixtures', framework);
}

function listFixtures(framework: Framework): Fixture[] {
  const root = fixturesRoot(framework);
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, 'fixture.json')))
    .map((entry) => getFixture(framework, entry.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function getFixture(framework: Framework, name: string): Fixture {
  const dir = path.join(fixturesRoot(framework), name);
  const spec = JSON.parse(readFileSync(path.join(dir, 'fixture.json'), 'utf8')) as WorkingFixtureSpec | RefusalFixtureSpec;
  return { ...spec, name, dir };
}

function lockfileOf(dir: string): string | undefined {
  return lockfiles.find((file) => existsSync(path.join(dir, file)));
}

/** The environment of a fixture's own commands: Node 24 first on PATH, NODE_TEST_CONTEXT dropped. */
function fixtureEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Inherited from this runner, NODE_TEST_CONTEXT would turn a fixture's `node --test` into a silent child.
    if (value !== undefined && key !== 'NODE_TEST_CONTEXT') env[key] = value;
  }
  return { ...env, PATH: `${toolsBin}${path.delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** Runs a command without a terminal in its own process group (killed whole on timeout). */
function runCommand(command: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<StepResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const append = (chunk: Buffer) => {
      output += chunk;
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const timer = setTimeout(() => {
      output += `\n[harness] ${command} ${args.join(' ')} timed out after ${timeoutMs} ms\n`;
      killGroup(child);
    }, timeoutMs);
    child.once('error', (error) => {
      output += `\n${error.message}`;
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, ms: Date.now() - started, output });
    });
  });
}

/** Every package path and version a package-lock.json resolves, as one comparable string. */
function lockedVersions(file: string): string {
  const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages?: Record<string, { version?: string }> };
  return Object.entries(lock.packages ?? {})
    .map(([at, entry]) => `${at}@${entry.version ?? ''}`)
    .sort()
    .join('\n');
}

const installs = new Map<string, Promise<string>>();

/**
 * Installs a fixture's dependencies once, from its package.json and lockfile, into
 * .test-output/fixture-installs/<framework>-<name>-<hash of package.json + lockfile>/ (kept between runs) and
 * resolves that install's node_modules. A finished install is marked; an interrupted one is redone.
 */
function installedFixture(framework: Framework, name: string): Promise<string> {
  const key = `${framework}/${name}`;
  let install = installs.get(key);
  if (!install) {
    install = installOnce(getFixture(framework, name));
    installs.set(key, install);
  }
  return install;
}

async function installOnce(fixture: Fixture): Promise<string> {
  const lockfile = lockfileOf(fixture.dir);
  if (!lockfile || !isWorking(fixture)) throw new Error(`${fixture.name}: refusal fixtures (no lockfile) are never installed`);
  const hash = createHash('sha256')
    .update(readFileSync(path.join(fixture.dir, 'package.json')))
    .update('\0')
    .update(readFileSync(path.join(fixture.dir, lockfile)))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(repoRoot, '.test-output/fixture-installs', `${fixture.framework}-${fixture.name}-${hash}`);
  const marker = path.join(dir, '.installed');
  if (existsSync(marker)) return path.join(dir, 'node_modules');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of ['package.json', lockfile, '.npmrc', 'pnpm-workspace.yaml']) {
    if (existsSync(path.join(fixture.dir, file))) cpSync(path.join(fixture.dir, file), path.join(dir, file));
  }
  const [command, args] =
    fixture.packageManager === 'pnpm' ? ['pnpm', ['install', '--frozen-lockfile']] : ['npm', ['install', '--no-audit', '--no-fund']];
  const result = await runCommand(command, args, dir, fixtureEnv(), 300_000);
  if (!result.ok) throw new Error(`${command} install failed for ${fixture.name}:\n${result.output}`);
  if (lockfile === 'package-lock.json' && lockedVersions(path.join(dir, lockfile)) !== lockedVersions(path.join(fixture.dir, lockfile))) {
    throw new Error(`${fixture.name}: npm install changed package-lock.json: the committed lockfile is out of date`);
  }
  writeFileSync(marker, JSON.stringify({ installedAt: new Date().toISOString(), ms: result.ms }));
  return path.join(dir, 'node_modules');
}

/** Copies a fixture's files (without node_modules and build output) into a fresh temp directory named after it. */
function copyFixture(framework: Framework, name: string): string {
  const source = getFixture(framework, name).dir;
  const target = path.join(mkdtempSync(path.join(tmpdir(), `${framework}-fixture-copy-`)), name);
  const skip = new Set(['node_modules', 'dist', 'build', 'coverage']);
  cpSync(source, target, { recursive: true, filter: (from) => path.dirname(from) !== source || !skip.has(path.basename(from)) });
  return target;
}

/** copyFixture + a node_modules symlink to the fixture's cached install: ready for its own scripts. */
async function preparedFixture(framework: Framework, name: string): Promise<string> {
  const nodeModules = await installedFixture(framework, name);
  const dir = copyFixture(framework, name);
  symlinkSync(nodeModules, path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** `npm run <script>` (pnpm for a pnpm fixture) with Node 24 first on PATH and without NODE_TEST_CONTEXT. */
function runFixtureScript(dir: string, scriptName: string, env: Record<string, string> = {}): Promise<StepResult> {
  const packageManager = existsSync(path.join(dir, 'pnpm-lock.yaml')) ? 'pnpm' : 'npm';
  return runCommand(packageManager, ['run', scriptName], dir, fixtureEnv(env), 240_000);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Serves a fixture the way its fixture.json says: `build` (when it has one), then the `start` argv with PORT on a
 * free 127.0.0.1 port and HOST=127.0.0.1 (PATH = the project's node_modules/.bin, then ours). Resolves once the probe
 * answers at all (the caller asserts the status); throws with the output when the process exits or stays silent.
 */
async function startFixture(
  dir: string,
  fixture: WorkingFixtureSpec,
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<FixtureServer> {
  if (fixture.scripts.build) {
    const build = await runFixtureScript(dir, fixture.scripts.build, options.env);
    if (!build.ok) throw new Error(`build failed:\n${build.output}`);
  }
  const port = await freePort();
  // biome-ignore lint/suspicious/noTemplateCurlyInString: fixture.json's literal placeholder
  const [command, ...args] = fixture.start.map((arg) => arg.replaceAll('${PORT}', String(port)));
  if (!command) throw new Error('fixture.json has an empty start');
  const env = fixtureEnv({ ...options.env, HOST: '127.0.0.1', PORT: String(port) });
  env.PATH = `${path.join(dir, 'node_modules/.bin')}${path.delimiter}${env.PATH}`;
  const child = spawn(command, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exited = false;
  const exit = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      output += `\n${error.message}`;
      exited = true;
      resolve(null);
    });
    child.once('exit', (code) => {
      exited = true;
      resolve(code);
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const server: FixtureServer = {
    child,
    url,
    port,
    output: () => output,
    stop: async () => {
      if (!exited) killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child), 5_000);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${fixture.start.join(' ')} exited before answering:\n${output}`);
    try {
      const response = await fetch(url + fixture.probe, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      return server;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await server.stop();
  throw new Error(`${fixture.start.join(' ')}: GET ${fixture.probe} got no answer:\n${output}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The checks.
// ---------------------------------------------------------------------------------------------------------------

const fixtures = listFixtures('express');
const working = fixtures.filter(isWorking);
const refusals = fixtures.filter((fixture) => !isWorking(fixture));

function tail(text: string, lines = 60): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

describe('the foreign Express fixture corpus', () => {
  it('has the working shapes and the refusals the add issue names', () => {
    assert.ok(working.length >= 8, `${working.length} working fixtures`);
    assert.deepEqual(new Set(working.map((f) => f.app.holder)), new Set(['factory', 'module', 'class-field', 'router-function']));
    assert.deepEqual(new Set(working.map((f) => f.frameworkMajor)), new Set([4, 5]));
    assert.ok(refusals.length >= 2, `${refusals.length} refusal fixtures`);
    for (const fixture of refusals) assert.match(fixture.name, /^refuse-/);
  });

  for (const fixture of fixtures) {
    it(`${fixture.name}: the contract's static part (fixture.json, exact pins, .gitignore, lockfile or not)`, () => {
      assert.equal(fixture.framework, 'express');
      assert.equal(fixture.packageManager, 'npm');
      assert.ok(fixture.description.length > 20, 'a one-line description');
      const pkg = JSON.parse(readFileSync(path.join(fixture.dir, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const deps = { ...pkg.dependencies, ...pkg.devDependencies };
      for (const [name, version] of Object.entries(deps)) {
        assert.match(version, /^(\d+\.\d+\.\d+(-[\w.]+)?|file:.+)$/, `${name}@${version} is pinned exactly`);
      }
      assert.equal(Number(deps.express?.split('.')[0]), fixture.frameworkMajor, 'frameworkMajor is the express major in package.json');
      const ignored = readFileSync(path.join(fixture.dir, '.gitignore'), 'utf8').split('\n');
      assert.ok(ignored.includes('node_modules/'), '.gitignore has node_modules/');
      if (!isWorking(fixture)) {
        assert.ok(fixture.refuse.length > 0, 'refuse says what the refusal message must mention');
        assert.equal(lockfileOf(fixture.dir), undefined, 'a refusal fixture has no lockfile');
        return;
      }
      assert.equal(lockfileOf(fixture.dir), 'package-lock.json', 'package-lock.json committed');
      assert.ok(existsSync(path.join(fixture.dir, 'tsconfig.json')), 'tsconfig.json');
      assert.ok(fixture.scripts.typecheck && fixture.scripts.test, 'a typecheck and a test script');
      for (const script of Object.values(fixture.scripts)) if (script) assert.ok(pkg.scripts?.[script], `script ${script} exists`);
      if (fixture.scripts.build) assert.ok(ignored.includes('dist/'), '.gitignore has dist/');
      assert.ok(fixture.start.length > 0, 'a start argv');
      assert.match(fixture.probe, /^\//);
      assert.ok(existsSync(path.join(fixture.dir, fixture.app.file)), `app.file ${fixture.app.file} exists`);
    });
  }
});

describe('each working Express fixture installs, checks, tests, builds and serves', { concurrency: 2 }, () => {
  for (const fixture of working) {
    it(fixture.name, { timeout: 600_000 }, async (t) => {
      const dir = await preparedFixture('express', fixture.name);
      let failed = false;
      const step = (name: string, skip: boolean, body: () => Promise<void>) =>
        t.test(name, { skip }, async () => {
          try {
            await body();
          } catch (error) {
            failed = true;
            throw error;
          }
        });
      const script = (job: 'typecheck' | 'lint' | 'test') =>
        step(job, fixture.scripts[job] === null, async () => {
          const name = fixture.scripts[job] ?? '';
          const result = await runFixtureScript(dir, name);
          assert.ok(result.ok, `npm run ${name} failed in ${dir}:\n${tail(result.output)}`);
        });
      await script('typecheck');
      await script('lint');
      await script('test');
      await step(`${fixture.scripts.build ? 'build, ' : ''}start, GET ${fixture.probe} answers 200 JSON`, false, async () => {
        const server = await startFixture(dir, fixture);
        try {
          const response = await fetch(server.url + fixture.probe);
          assert.equal(response.status, 200, server.output());
          assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
          const body: unknown = await response.json();
          assert.equal(typeof body, 'object');
        } finally {
          await server.stop();
        }
      });
      // Only a passing copy is removed: a failing one stays for a look (its path is in the messages above).
      if (!failed) rmSync(path.dirname(dir), { recursive: true, force: true });
    });
  }
});
