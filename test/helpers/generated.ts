import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { features } from '../../src/features/index.ts';
import { cli, repoRoot, tempDir } from './cli.ts';
import { matrixCombinations } from './combinations.ts';
import { type LocalRegistry, startLocalRegistry } from './local-registry.ts';
import { buildOnce } from './once.ts';
import { packedTarball } from './packed.ts';

/** Node 24 (from the `node` package) first on PATH, so generated projects never run on the machine's old Node. */
export const toolEnv = {
  PATH: `${path.join(repoRoot, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
  NO_COLOR: '1',
  FORCE_COLOR: '0',
};

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Generates a project (no install, no git) and returns its directory. */
export async function generate(ids: readonly string[], name = 'api', options: Record<string, string[]> = {}): Promise<string> {
  const dir = path.join(tempDir('matrix-'), name);
  const args = [dir, '--yes', '--no-install', '--no-git', '--preset', 'minimal'];
  if (ids.length > 0) args.push('--features', ids.join(','));
  for (const [id, values] of Object.entries(options)) {
    const flag = features.find((f) => f.id === id)?.option?.flag ?? id;
    args.push(`--${flag}`, values.join(','));
  }
  const result = await cli(args);
  if (result.exitCode !== 0) throw new Error(`generation failed (${ids.join(',') || 'base'}): ${result.stderr}`);
  return dir;
}

let shared: Promise<string> | undefined;
let registry: Promise<LocalRegistry> | undefined;

/** One local registry per test process (see local-registry.ts), started when first needed. */
export function localRegistry(): Promise<LocalRegistry> {
  registry ??= startLocalRegistry();
  return registry;
}

export async function closeLocalRegistry(): Promise<void> {
  if (registry) await (await registry).close();
  registry = undefined;
}

/**
 * One install of the union of every combination's dependencies (they only ever add to each other),
 * cached by the dependency set (and shared by concurrent test files): every generated project links to
 * it instead of installing again. The generator itself (a devDependency of every project) comes from
 * this repository's packed tarball, refreshed on every run; the cache key holds its dependencies rather
 * than its content.
 */
export function sharedNodeModules(): Promise<string> {
  shared ??= (async () => {
    const everything = matrixCombinations(features).reduce((all, c) => (c.features.length > all.length ? c.features : all), [] as string[]);
    const source = await generate(everything, 'deps');
    const pkg = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')) as Record<string, unknown>;
    const deps = { dependencies: pkg.dependencies, devDependencies: pkg.devDependencies };
    const generator = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: unknown };
    const hash = createHash('sha256')
      .update(JSON.stringify({ ...deps, generator: generator.dependencies }))
      .digest('hex')
      .slice(0, 16);
    const dir = path.join(repoRoot, '.test-output/deps', hash);
    await buildOnce(
      dir,
      async () => {
        writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'matrix-deps', private: true, ...deps }, null, 2));
        await execa('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
          cwd: dir,
          env: { ...toolEnv, npm_config_registry: (await localRegistry()).url },
          stdin: 'ignore',
        });
      },
      'the matrix install',
    );
    await refreshGenerator(path.join(dir, 'node_modules/create-hardened-api'));
    return path.join(dir, 'node_modules');
  })();
  return shared;
}

/**
 * Points the installed generator at the current packed tarball (the install may be older than the code):
 * the tarball is unpacked once per content, and the link is swapped by a rename, which concurrent test
 * processes can do at the same time.
 */
async function refreshGenerator(target: string): Promise<void> {
  const tarball = await packedTarball();
  const unpacked = path.join(path.dirname(tarball), 'create-hardened-api');
  await buildOnce(
    unpacked,
    () => execa('tar', ['-xzf', tarball, '--strip-components=1', '-C', unpacked]).then(() => undefined),
    'the generator',
  );
  const link = `${target}.${process.pid}`;
  rmSync(link, { recursive: true, force: true });
  symlinkSync(unpacked, link, 'dir');
  if (existsSync(target) && !lstatSync(target).isSymbolicLink()) rmSync(target, { recursive: true, force: true });
  renameSync(link, target);
}

/**
 * The lockfile `npm install` would have written (the matrix links node_modules instead of installing):
 * resolved from the registry, with the generator served by the local registry.
 */
export async function lockDependencies(project: string): Promise<void> {
  await execa('npm', ['install', '--package-lock-only', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: project,
    env: { ...toolEnv, npm_config_registry: (await localRegistry()).url },
    stdin: 'ignore',
  });
}

export async function linkDependencies(project: string): Promise<void> {
  symlinkSync(await sharedNodeModules(), path.join(project, 'node_modules'), 'dir');
}

/**
 * The environment for a generated project's own commands. NODE_TEST_CONTEXT is dropped: inherited from
 * this suite's runner, it would turn the project's `node --test` into a silent child that runs nothing.
 */
export function projectEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && key !== 'NODE_TEST_CONTEXT') env[key] = value;
  return { ...env, ...toolEnv, ...extra };
}

/** How many tests a node:test run reported as passed and failed (spec or TAP output). */
export function testCounts(output: string): { passed: number; failed: number } {
  const last = (name: string) => Number([...output.matchAll(new RegExp(`^(?:ℹ|#) ${name} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
  return { passed: last('pass'), failed: last('fail') };
}

export interface StepResult {
  ok: boolean;
  ms: number;
  output: string;
}

/** Runs a package.json script with the project's package manager (npm unless told), without a terminal. */
export async function runScript(
  project: string,
  script: string,
  env: Record<string, string> = {},
  timeoutMs = 240_000,
  packageManager: 'npm' | 'pnpm' = 'npm',
): Promise<StepResult> {
  const started = Date.now();
  const result = await execa(packageManager, ['run', '--silent', script], {
    cwd: project,
    env: projectEnv(env),
    extendEnv: false,
    all: true,
    reject: false,
    stdin: 'ignore',
    timeout: timeoutMs,
  });
  return { ok: result.exitCode === 0, ms: Date.now() - started, output: result.all ?? '' };
}

/** Bare imports in src/ and test/ that package.json does not declare (the shared install would hide them). */
export function undeclaredImports(project: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
  const missing = new Set<string>();
  const scan = (file: string): void => {
    const text = readFileSync(file, 'utf8');
    const statics = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm)];
    const bare = [...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)];
    const dynamics = [...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)];
    for (const match of [...statics, ...bare, ...dynamics]) {
      const specifier = match[1] as string;
      if (specifier.startsWith('node:') || specifier.startsWith('.')) continue;
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] as string);
      if (!declared.has(name)) missing.add(`${name} (${path.relative(project, file)})`);
    }
  };
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js|mjs)$/.test(entry.name)) scan(full);
    }
  };
  for (const dir of ['src', 'test', 'scripts']) walk(path.join(project, dir));
  if (existsSync(path.join(project, 'plopfile.js'))) scan(path.join(project, 'plopfile.js'));
  return [...missing];
}
