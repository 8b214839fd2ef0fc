/**
 * Foreign fixture projects (test/fixtures/<framework>/<name>/, contract in test/fixtures' fixture.json files):
 * listing them, installing each once, copying one into a scratch directory, running its scripts and serving it.
 *
 * Typical use:
 *   const dir = await preparedFixture('fastify', 'pnpm');            // copy + node_modules linked to the cached install
 *   const typecheck = await runFixtureScript(dir, 'typecheck');
 *   const server = await startFixture(dir, fixture);                 // build (if any), start, wait for the probe
 *   await fetch(`${server.url}${fixture.probe}`); await server.stop();
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot, tempDir } from './cli.ts';
import { projectEnv, runScript, type StepResult } from './generated.ts';
import { buildOnce } from './once.ts';
import { killGroup } from './processes.ts';
import type { GeneratedServer } from './server.ts';

export type Framework = 'fastify' | 'express';
export type PackageManager = 'npm' | 'pnpm';

/** fixture.json, common part. */
interface FixtureBase {
  description: string;
  framework: Framework;
  frameworkMajor: number;
  packageManager: PackageManager;
}

/** A project `add` must work on: its own scripts pass, it starts and answers `probe`. */
export interface WorkingFixtureSpec extends FixtureBase {
  /** The project's script name for each job, null when it has none. */
  scripts: { typecheck: string | null; test: string | null; build: string | null; lint: string | null };
  /** argv serving the (built) app; `${PORT}` in an argument is replaced by the port. */
  start: string[];
  /** An anonymous GET route answering 200 JSON. */
  probe: string;
  app: { file: string; holder: 'factory' | 'module' | 'class-field' | 'app-plugin' | 'router-function' };
}

/** A project `add` must refuse; never installed. */
export interface RefusalFixtureSpec extends FixtureBase {
  /** What the refusal message must mention. */
  refuse: string;
}

export type Fixture = (WorkingFixtureSpec | RefusalFixtureSpec) & { name: string; dir: string };
export type WorkingFixture = WorkingFixtureSpec & { name: string; dir: string };

export function isWorking(fixture: Fixture): fixture is WorkingFixture {
  return !('refuse' in fixture);
}

export function fixturesRoot(framework: Framework): string {
  return path.join(repoRoot, 'test/fixtures', framework);
}

/** Every fixture of a framework with its parsed fixture.json, sorted by name. */
export function listFixtures(framework: Framework): Fixture[] {
  const root = fixturesRoot(framework);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, 'fixture.json')))
    .map((entry) => {
      const dir = path.join(root, entry.name);
      const spec = JSON.parse(readFileSync(path.join(dir, 'fixture.json'), 'utf8')) as Fixture;
      return { ...spec, name: entry.name, dir };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function getFixture(framework: Framework, name: string): Fixture {
  const fixture = listFixtures(framework).find((f) => f.name === name);
  if (!fixture) throw new Error(`no fixture ${framework}/${name}`);
  return fixture;
}

const LOCKFILES: Record<PackageManager, string> = { npm: 'package-lock.json', pnpm: 'pnpm-lock.yaml' };
/** Files besides package.json and the lockfile that change what an install produces. */
const INSTALL_INPUTS = ['pnpm-workspace.yaml', '.npmrc'];

/** The project's package manager: its lockfile says. */
export function packageManagerOf(dir: string): PackageManager {
  return existsSync(path.join(dir, LOCKFILES.pnpm)) ? 'pnpm' : 'npm';
}

const installs = new Map<string, Promise<string>>();

/**
 * Installs a fixture's dependencies once, with its own package manager and lockfile, into
 * .test-output/fixture-installs/<framework>-<name>-<hash of the install inputs>/ (kept between runs), and
 * returns that node_modules. Concurrent callers, in this process or in other test files' processes, share
 * one install (a lock file, then the `.installed` marker).
 *
 * The install is shared: never run an install in a project whose node_modules links to it.
 */
export function installedFixture(framework: Framework, name: string): Promise<string> {
  const key = `${framework}/${name}`;
  let pending = installs.get(key);
  if (!pending) {
    pending = install(getFixture(framework, name));
    installs.set(key, pending);
  }
  return pending;
}

async function install(fixture: Fixture): Promise<string> {
  if (!isWorking(fixture)) throw new Error(`${fixture.name} is a refusal fixture: it is never installed`);
  const pm = fixture.packageManager;
  const inputs = ['package.json', LOCKFILES[pm], ...INSTALL_INPUTS].filter((file) => existsSync(path.join(fixture.dir, file)));
  if (!inputs.includes(LOCKFILES[pm])) throw new Error(`${fixture.name} has no ${LOCKFILES[pm]}`);
  const hash = createHash('sha256');
  for (const file of inputs) hash.update(`${file}\0${readFileSync(path.join(fixture.dir, file))}\0`);
  const dir = path.join(
    repoRoot,
    '.test-output/fixture-installs',
    `${fixture.framework}-${fixture.name}-${hash.digest('hex').slice(0, 16)}`,
  );
  await buildOnce(
    dir,
    async () => {
      for (const file of inputs) cpSync(path.join(fixture.dir, file), path.join(dir, file));
      const args = pm === 'pnpm' ? ['install', '--frozen-lockfile'] : ['install', '--no-audit', '--no-fund'];
      const result = await execa(pm, args, { cwd: dir, env: projectEnv(), extendEnv: false, all: true, reject: false, stdin: 'ignore' });
      if (result.exitCode !== 0) throw new Error(`${pm} ${args.join(' ')} failed for fixture ${fixture.name}:\n${result.all}`);
    },
    `the install of ${fixture.name}`,
  );
  return path.join(dir, 'node_modules');
}

/** Copies a fixture's files (without node_modules and build output) into a fresh temp directory named after it. */
export function copyFixture(framework: Framework, name: string): string {
  const source = getFixture(framework, name).dir;
  const target = path.join(tempDir(`fixture-${name}-`), name);
  const skip = new Set(['node_modules', 'dist', 'build', 'coverage']);
  cpSync(source, target, {
    recursive: true,
    filter: (from) => path.dirname(from) !== source || !skip.has(path.basename(from)),
  });
  return target;
}

/** copyFixture + a node_modules symlink to the fixture's cached install: ready for its own scripts. */
export async function preparedFixture(framework: Framework, name: string): Promise<string> {
  const nodeModules = await installedFixture(framework, name);
  const dir = copyFixture(framework, name);
  symlinkSync(nodeModules, path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/**
 * Runs a package.json script with the project's package manager, Node 24 first on PATH and without this
 * runner's NODE_TEST_CONTEXT (see projectEnv).
 */
export function runFixtureScript(dir: string, scriptName: string, env: Record<string, string> = {}): Promise<StepResult> {
  return runScript(dir, scriptName, { ...borrowedInstallEnv(dir), ...env }, 240_000, packageManagerOf(dir));
}

/**
 * A copy whose node_modules links another copy's install has a lockfile that does not describe it: pnpm's
 * check before `run` would try to install (and, under CI, refuse the frozen lockfile).
 */
function borrowedInstallEnv(dir: string): Record<string, string> {
  const modules = path.join(dir, 'node_modules');
  if (!existsSync(modules) || !lstatSync(modules).isSymbolicLink()) return {};
  return { pnpm_config_verify_deps_before_run: 'false', npm_config_verify_deps_before_run: 'false' };
}

/**
 * Installs a project's dependencies in place with its own package manager, updating its lockfile as a
 * developer's install would (after `add` changed package.json). Never on a linked node_modules.
 */
export async function installProject(dir: string): Promise<StepResult> {
  const pm = packageManagerOf(dir);
  const args = pm === 'pnpm' ? ['install', '--no-frozen-lockfile'] : ['install', '--no-audit', '--no-fund'];
  const started = Date.now();
  const result = await execa(pm, args, { cwd: dir, env: projectEnv(), extendEnv: false, all: true, reject: false, stdin: 'ignore' });
  return { ok: result.exitCode === 0, ms: Date.now() - started, output: result.all ?? '' };
}

export interface StartFixtureOptions {
  env?: Record<string, string>;
  /** How long the probe may take to answer after the start (default 20 s). */
  timeoutMs?: number;
}

/**
 * Serves a fixture project the way its fixture.json says: `build` (when it has one), then the `start` argv on a
 * free 127.0.0.1 port (PATH = the project's node_modules/.bin, then ours). Resolves once `probe` answers at all
 * (any status: the caller asserts it); throws with the output when the process exits or the probe stays silent.
 * stop() sends SIGTERM to the started process, SIGKILLs its process group after 5 s, and resolves its exit code.
 */
export async function startFixture(dir: string, fixture: WorkingFixtureSpec, options: StartFixtureOptions = {}): Promise<GeneratedServer> {
  if (fixture.scripts.build) {
    const build = await runFixtureScript(dir, fixture.scripts.build, options.env);
    if (!build.ok) throw new Error(`build failed:\n${build.output}`);
  }
  const port = await freePort();
  // biome-ignore lint/suspicious/noTemplateCurlyInString: fixture.json's literal placeholder
  const [command, ...args] = fixture.start.map((arg) => arg.replaceAll('${PORT}', String(port)));
  if (!command) throw new Error('fixture.json has an empty start');
  const env = projectEnv({ ...options.env, HOST: '127.0.0.1', PORT: String(port) });
  env.PATH = `${path.join(dir, 'node_modules/.bin')}:${env.PATH}`;
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
  const server: GeneratedServer = {
    child,
    url,
    port,
    output: () => output,
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(child), 5_000);
      const code = await exit;
      clearTimeout(timer);
      killGroup(child); // whatever the started process left behind in its group (tsx's child, a CLI's worker)
      return code;
    },
  };

  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  while (!exited && Date.now() < deadline) {
    try {
      await fetch(`${url}${fixture.probe}`, { signal: AbortSignal.timeout(2_000) });
      return server;
    } catch {
      await sleep(100);
    }
  }
  await server.stop();
  throw new Error(`${fixture.start.join(' ')} did not answer ${fixture.probe} on port ${port}:\n${output}`);
}

/** A port nothing listens on right now (the kernel's pick). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
