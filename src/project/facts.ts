import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePackageJson } from '../engine/package-json.ts';
import type { Tree } from '../engine/tree.ts';
import type { PackageManager } from '../post/package-manager.ts';
import { type CodeStyle, detectCodeStyle } from './code-style.ts';
import { readTsconfig, type TsconfigFacts } from './tsconfig.ts';

export type Framework = 'fastify' | 'express';

/** What `add` needs to know about a project it did not generate, read once from its files. */
export interface ProjectFacts {
  root: string;
  packageJson: Record<string, unknown>;
  packageManager: PackageManager;
  /** The lockfile that decided the package manager, if any. */
  lockfile: string | undefined;
  framework: { name: Framework; major: number | undefined; range: string } | undefined;
  /** The compiler the project type-checks with: `typescript`'s tsc, or tsgo from @typescript/native-preview. */
  typescript: { package: string; range: string; major: number | undefined; minor: number | undefined } | undefined;
  tsconfig: TsconfigFacts | undefined;
  /** What the compiled code is at run time: ES modules (import.meta, top-level await) or CommonJS (__dirname). */
  moduleSystem: 'esm' | 'cjs';
  /** How the project's own relative imports end: `.js` (classic ESM), `.ts` (type stripping) or nothing. */
  importExtension: '.js' | '.ts' | '';
  style: CodeStyle;
  /** The Node.js major the project says it runs on (.nvmrc, .node-version, engines), if it says. */
  nodeMajor: { major: number; source: string } | undefined;
  /** The names of the project's own scripts for each job, when it has one. */
  scripts: ProjectScripts;
}

export interface ProjectScripts {
  typecheck?: string;
  lint?: string;
  test?: string;
  build?: string;
  start?: string;
}

const LOCKFILES: readonly [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

export async function readProjectFacts(tree: Tree): Promise<ProjectFacts> {
  const root = tree.root ?? '.';
  const packageJson = parsePackageJson(tree.read('package.json') ?? '{}');
  const dependencies = allDependencies(packageJson);
  const tsconfig = await readTsconfig(root);
  const files = tsconfig?.files ?? [];
  const moduleSystem = tsconfig?.moduleSystem ?? (packageJson.type === 'module' ? 'esm' : 'cjs');
  const lockfile = LOCKFILES.find(([file]) => tree.exists(file));
  const declaredManager = /^(npm|pnpm|yarn|bun)@/.exec(String(packageJson.packageManager ?? ''))?.[1] as PackageManager | undefined;
  return {
    root,
    packageJson,
    packageManager: declaredManager ?? lockfile?.[1] ?? 'npm',
    lockfile: lockfile?.[0],
    framework: detectFramework(root, dependencies),
    typescript: detectCompiler(dependencies),
    tsconfig,
    moduleSystem,
    importExtension: importExtensionOf(tree, files, tsconfig),
    style: detectCodeStyle(tree, files),
    nodeMajor: nodeMajorOf(tree, packageJson),
    scripts: scriptsOf(packageJson),
  };
}

export function allDependencies(pkg: Record<string, unknown>): Record<string, string> {
  const sections = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
  return Object.assign({}, ...sections.map((s) => (typeof pkg[s] === 'object' && pkg[s] !== null ? pkg[s] : {})));
}

/** The major and minor of a version range's lowest version (`^5.2.0` -> 5, 2), else undefined. */
export function versionOf(range: string): { major: number; minor: number } | undefined {
  const match = /(\d+)(?:\.(\d+|x|\*))?/.exec(range.replace(/^npm:[^@]+@/, ''));
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number.isNaN(Number(match[2])) ? 0 : Number(match[2] ?? 0) };
}

function detectFramework(root: string, dependencies: Record<string, string>): ProjectFacts['framework'] {
  for (const name of ['fastify', 'express'] as const) {
    const range = dependencies[name];
    if (range === undefined) continue;
    return { name, range, major: versionOf(range)?.major ?? installedMajor(root, name) };
  }
  return undefined;
}

function installedMajor(root: string, name: string): number | undefined {
  const file = path.join(root, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return undefined;
  return versionOf(String((JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? ''))?.major;
}

function detectCompiler(dependencies: Record<string, string>): ProjectFacts['typescript'] {
  for (const name of ['typescript', '@typescript/native-preview']) {
    const range = dependencies[name];
    if (range === undefined) continue;
    const version = versionOf(range);
    return { package: name, range, major: version?.major, minor: version?.minor };
  }
  return undefined;
}

/** The majority style of the project's relative imports, else what its module settings imply. */
function importExtensionOf(tree: Tree, files: readonly string[], tsconfig: TsconfigFacts | undefined): ProjectFacts['importExtension'] {
  const counts = { '.js': 0, '.ts': 0, '': 0 };
  for (const file of files.slice(0, 200)) {
    const text = tree.read(file) ?? '';
    for (const match of text.matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]*)['"]/g)) {
      const specifier = match[1] ?? '';
      if (/\.[cm]?js$/.test(specifier)) counts['.js']++;
      else if (/\.[cm]?ts$/.test(specifier)) counts['.ts']++;
      else if (!/\.\w+$/.test(specifier)) counts['']++;
    }
  }
  const best = (Object.entries(counts) as [ProjectFacts['importExtension'], number][]).sort((a, b) => b[1] - a[1])[0];
  if (best && best[1] > 0) return best[0];
  if (tsconfig?.allowsTsExtensions) return '.ts';
  return tsconfig?.requiresExtensions ? '.js' : '';
}

function nodeMajorOf(tree: Tree, pkg: Record<string, unknown>): ProjectFacts['nodeMajor'] {
  for (const file of ['.nvmrc', '.node-version']) {
    const major = /^\s*v?(\d+)/.exec(tree.read(file) ?? '')?.[1];
    if (major) return { major: Number(major), source: file };
  }
  const engines = (pkg.engines as { node?: unknown } | undefined)?.node;
  const major = typeof engines === 'string' ? versionOf(engines)?.major : undefined;
  return major === undefined ? undefined : { major, source: 'package.json engines.node' };
}

const SCRIPT_NAMES: Record<keyof ProjectScripts, readonly string[]> = {
  typecheck: ['typecheck', 'type-check', 'check-types', 'check:types', 'types', 'tsc', 'lint:types', 'types:check'],
  lint: ['lint'],
  test: ['test'],
  build: ['build'],
  start: ['start'],
};

function scriptsOf(pkg: Record<string, unknown>): ProjectScripts {
  const scripts = (typeof pkg.scripts === 'object' && pkg.scripts !== null ? pkg.scripts : {}) as Record<string, string>;
  const result: ProjectScripts = {};
  for (const [job, names] of Object.entries(SCRIPT_NAMES) as [keyof ProjectScripts, readonly string[]][]) {
    const name = names.find((n) => typeof scripts[n] === 'string');
    if (name) result[job] = name;
  }
  // A type-check under another name: a script that runs the compiler without emitting.
  result.typecheck ??= Object.keys(scripts).find((n) => /\b(tsc|tsgo)\b[^&|;]*--noEmit/.test(scripts[n] ?? ''));
  if (result.test && /no test specified/.test(scripts[result.test] ?? '')) delete result.test;
  return result;
}
