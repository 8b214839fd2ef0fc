// The Express foreign-fixture corpus (test/fixtures/express/*): every working fixture installs, passes its own
// type-check, lint, tests and build on Node 24, starts and answers its probe; every refusal fixture is well-formed.
// These are the projects `add` is tried on; this file only checks that the corpus itself is sound.
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
// Local fixture harness. It follows the contract of the shared module test/helpers/fixtures.ts (listFixtures,
// installedFixture, copyFixture, runFixtureScript, startFixture) and is meant to be replaced by it: nothing below
// the next section's line depends on anything but these exports' signatures.
// ---------------------------------------------------------------------------------------------------------------

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixturesRoot = path.join(repoRoot, 'test/fixtures');
const installsRoot = path.join(repoRoot, '.test-output/fixture-installs');
/** This repository's tools (Node 24 from the `node` devDependency, pnpm) first on PATH. */
const toolsBin = path.join(repoRoot, 'node_modules/.bin');

export type Framework = 'fastify' | 'express';

export interface FixtureManifest {
  description: string;
  framework: Framework;
  frameworkMajor: number;
  packageManager: 'npm' | 'pnpm';
  scripts?: { typecheck: string | null; test: string | null; build: string | null; lint: string | null };
  start?: string[];
  probe?: string;
  app?: { file: string; holder: 'factory' | 'module' | 'class-field' | 'app-plugin' | 'router-function' };
  refuse?: string;
}

export interface Fixture {
  framework: Framework;
  name: string;
  /** The fixture's directory in this repository (never run anything in it). */
  dir: string;
  manifest: FixtureManifest;
}

export interface ScriptResult {
  exitCode: number | null;
  output: string;
}

export interface RunningFixture {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<void>;
}

export function listFixtures(framework: Framework): Fixture[] {
  const root = path.join(fixturesRoot, framework);
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, 'fixture.json')))
    .map((entry) => {
      const dir = path.join(root, entry.name);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'fixture.json'), 'utf8')) as FixtureManifest;
      return { framework, name: entry.name, dir, manifest };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

const lockfiles = ['package-lock.json', 'pnpm-lock.yaml'];

function lockfileOf(dir: string): string | undefined {
  return lockfiles.find((file) => existsSync(path.join(dir, file)));
}

/** PATH and environment for a fixture's own commands: our Node 24 first, NODE_TEST_CONTEXT dropped. */
export function fixtureEnv(extra: Record<string, string> = {}, binDirs: string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    // NODE_TEST_CONTEXT, inherited from this runner, would turn a fixture's `node --test` into a silent child.
    if (value !== undefined && key !== 'NODE_TEST_CONTEXT') env[key] = value;
  }
  env.PATH = [...binDirs, toolsBin, process.env.PATH ?? ''].join(path.delimiter);
  env.NO_COLOR = '1';
  env.FORCE_COLOR = '0';
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    const timer = setTimeout(() => {
      output += `\n[harness] ${command} ${args.join(' ')} timed out after ${timeoutMs} ms\n`;
      killGroup(child);
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, output });
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

const pending = new Map<string, Promise<string>>();

/**
 * Installs a fixture's dependencies once, from its package.json and lockfile, into
 * .test-output/fixture-installs/<framework>-<name>-<hash of package.json + lockfile>/ and returns that directory
 * (its node_modules is what copies link to). A finished install is marked; an interrupted one is redone.
 */
export function installedFixture(framework: Framework, name: string): Promise<string> {
  const key = `${framework}/${name}`;
  let install = pending.get(key);
  if (!install) {
    install = installOnce(framework, name);
    pending.set(key, install);
  }
  return install;
}

async function installOnce(framework: Framework, name: string): Promise<string> {
  const source = path.join(fixturesRoot, framework, name);
  const manifest = JSON.parse(readFileSync(path.join(source, 'fixture.json'), 'utf8')) as FixtureManifest;
  const lockfile = lockfileOf(source);
  if (!lockfile) throw new Error(`${framework}/${name} has no lockfile: refusal fixtures are never installed`);
  const hash = createHash('sha256')
    .update(readFileSync(path.join(source, 'package.json')))
    .update('\0')
    .update(readFileSync(path.join(source, lockfile)))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(installsRoot, `${framework}-${name}-${hash}`);
  const marker = path.join(dir, '.installed');
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of ['package.json', lockfile, '.npmrc', 'pnpm-workspace.yaml']) {
    if (existsSync(path.join(source, file))) cpSync(path.join(source, file), path.join(dir, file));
  }
  const [command, args] =
    manifest.packageManager === 'pnpm' ? ['pnpm', ['install', '--frozen-lockfile']] : ['npm', ['install', '--no-audit', '--no-fund']];
  const started = Date.now();
  const result = await run(command, args, dir, fixtureEnv(), 300_000);
  if (result.exitCode !== 0) throw new Error(`${command} install failed for ${framework}/${name}:\n${result.output}`);
  if (lockfile === 'package-lock.json' && lockedVersions(path.join(dir, lockfile)) !== lockedVersions(path.join(source, lockfile))) {
    throw new Error(`${framework}/${name}: npm install changed package-lock.json: the committed lockfile is out of date`);
  }
  writeFileSync(marker, JSON.stringify({ installedAt: new Date().toISOString(), ms: Date.now() - started }));
  return dir;
}

/** Every package path and version a package-lock.json resolves, as one comparable string. */
function lockedVersions(file: string): string {
  const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages?: Record<string, { version?: string }> };
  return Object.entries(lock.packages ?? {})
    .map(([at, entry]) => `${at}@${entry.version ?? ''}`)
    .sort()
    .join('\n');
}

/**
 * Copies a fixture (without node_modules or build output) to a fresh temporary directory and links the cached
 * install's node_modules into it. Returns the copy's directory.
 */
export async function copyFixture(framework: Framework, name: string): Promise<string> {
  const installed = await installedFixture(framework, name);
  const source = path.join(fixturesRoot, framework, name);
  const dir = path.join(mkdtempSync(path.join(tmpdir(), `${framework}-fixture-copy-`)), name);
  const skip = new Set(['node_modules', 'dist', 'coverage', '.test-output']);
  cpSync(source, dir, { recursive: true, filter: (file) => !skip.has(path.basename(file)) || path.dirname(file) !== source });
  symlinkSync(path.join(installed, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** `npm run <script>` (or pnpm) in a copied fixture, with Node 24 first on PATH. */
export function runFixtureScript(dir: string, script: string, timeoutMs = 180_000): Promise<ScriptResult> {
  const pnpm = existsSync(path.join(dir, 'pnpm-lock.yaml'));
  return run(pnpm ? 'pnpm' : 'npm', ['run', script], dir, fixtureEnv(), timeoutMs);
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
 * Runs the fixture's `start` argv (built beforehand when it has a build script) with PORT on a free 127.0.0.1 port
 * and HOST=127.0.0.1, and waits until its probe answers 200. Throws with the server's output otherwise.
 */
export async function startFixture(dir: string, manifest: FixtureManifest, timeoutMs = 20_000): Promise<RunningFixture> {
  if (!manifest.start || !manifest.probe) throw new Error('a refusal fixture cannot be started');
  const port = await freePort();
  // biome-ignore lint/suspicious/noTemplateCurlyInString: fixture.json's placeholder, not a template
  const [command, ...args] = manifest.start.map((arg) => arg.replaceAll('${PORT}', String(port)));
  if (command === undefined) throw new Error('fixture.json start is empty');
  const env = fixtureEnv({ PORT: String(port), HOST: '127.0.0.1' }, [path.join(dir, 'node_modules/.bin')]);
  const child = spawn(command, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child), 3_000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${manifest.start.join(' ')} exited (${child.exitCode ?? child.signalCode}) before answering:\n${output}`);
    }
    try {
      const response = await fetch(url + manifest.probe, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) return { url, port, output: () => output, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`${manifest.start.join(' ')}: GET ${manifest.probe} did not answer 200 within ${timeoutMs} ms:\n${output}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The checks.
// ---------------------------------------------------------------------------------------------------------------

const HOLDERS = ['factory', 'module', 'class-field', 'app-plugin', 'router-function'];
const fixtures = listFixtures('express');
const working = fixtures.filter((f) => f.manifest.refuse === undefined);
const refusals = fixtures.filter((f) => f.manifest.refuse !== undefined);

function tail(text: string, lines = 60): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function script(dir: string, name: string | null | undefined, label: string): Promise<void> {
  if (!name) return;
  const result = await runFixtureScript(dir, name);
  assert.equal(result.exitCode, 0, `${label} (npm run ${name}) failed in ${dir}:\n${tail(result.output)}`);
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

describe('express fixtures: the corpus', () => {
  it('has working and refusal fixtures', () => {
    assert.ok(working.length >= 8, `working fixtures: ${working.map((f) => f.name).join(', ')}`);
    assert.ok(refusals.length >= 2, `refusal fixtures: ${refusals.map((f) => f.name).join(', ')}`);
    for (const f of refusals) assert.match(f.name, /^refuse-/);
  });

  for (const fixture of fixtures) {
    it(`${fixture.name}: fixture.json and package.json follow the contract`, () => {
      const { manifest, dir } = fixture;
      assert.equal(manifest.framework, 'express');
      assert.equal(manifest.packageManager, 'npm');
      assert.ok(manifest.description.length > 20, 'a one-line description');
      const pkg = readJson(path.join(dir, 'package.json'));
      const deps = { ...(pkg.dependencies as Record<string, string>), ...(pkg.devDependencies as Record<string, string>) };
      for (const [name, version] of Object.entries(deps)) {
        assert.match(version, /^(\d+\.\d+\.\d+|file:.+)$/, `${name}@${version} is not pinned to an exact version`);
      }
      assert.equal(Number(deps.express?.split('.')[0]), manifest.frameworkMajor, 'frameworkMajor is the express major in package.json');
      const ignored = readFileSync(path.join(dir, '.gitignore'), 'utf8');
      assert.match(ignored, /^\/?node_modules\/?$/m);
      if (manifest.refuse !== undefined) {
        assert.ok(manifest.refuse.length > 0, 'refuse names what the message must mention');
        assert.equal(lockfileOf(dir), undefined, 'refusal fixtures have no lockfile');
        assert.equal(manifest.scripts, undefined);
        assert.equal(manifest.start, undefined);
        assert.equal(manifest.probe, undefined);
        return;
      }
      assert.ok(lockfileOf(dir), 'a lockfile');
      assert.match(ignored, /^\/?dist\/?$/m);
      assert.ok(existsSync(path.join(dir, 'tsconfig.json')), 'tsconfig.json');
      assert.ok(manifest.scripts, 'scripts');
      const scripts = pkg.scripts as Record<string, string>;
      for (const job of ['typecheck', 'test', 'build', 'lint'] as const) {
        const name = manifest.scripts[job];
        assert.ok(name === null || scripts[name], `scripts.${job} names ${name}, which package.json does not have`);
      }
      assert.ok(manifest.scripts.typecheck && manifest.scripts.test, 'a typecheck and a test script');
      assert.ok(Array.isArray(manifest.start) && manifest.start.length > 0, 'start argv');
      assert.match(manifest.probe ?? '', /^\//);
      assert.ok(manifest.app && existsSync(path.join(dir, manifest.app.file)), `app.file ${manifest.app?.file} exists`);
      assert.ok(HOLDERS.includes(manifest.app.holder), `app.holder ${manifest.app.holder}`);
    });
  }
});

describe('express fixtures: each working fixture installs, checks, tests, builds and serves', { concurrency: 2 }, () => {
  for (const fixture of working) {
    it(fixture.name, { timeout: 600_000 }, async (t) => {
      const { manifest } = fixture;
      const dir = await copyFixture('express', fixture.name);
      const scripts = manifest.scripts;
      assert.ok(scripts);
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
      await step('typecheck', false, () => script(dir, scripts.typecheck, 'typecheck'));
      await step('lint', scripts.lint === null, () => script(dir, scripts.lint, 'lint'));
      await step('test', false, () => script(dir, scripts.test, 'tests'));
      await step('build', scripts.build === null, () => script(dir, scripts.build, 'build'));
      await step(`start, GET ${manifest.probe} answers 200 JSON`, false, async () => {
        const server = await startFixture(dir, manifest);
        try {
          const response = await fetch(server.url + manifest.probe);
          assert.equal(response.status, 200);
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
