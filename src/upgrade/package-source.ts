import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../errors.ts';
import { generatorVersion, packageRoot } from '../paths.ts';

const PACKAGE = 'create-hardened-api';
const COMPLETE = '.complete';

/**
 * The CLI of create-hardened-api at `version`: this one, or that exact version from the npm registry,
 * installed once into the user's cache (`$XDG_CACHE_HOME/create-hardened-api/versions/<version>`, else
 * `~/.cache/...`) and reused. A version is immutable on the registry, so the cache never goes stale.
 */
export async function generatorCli(version: string): Promise<string> {
  if (version === generatorVersion) return path.join(packageRoot, 'bin', `${PACKAGE}.js`);
  const versions = path.join(cacheRoot(), 'versions');
  const home = path.join(versions, version);
  const cli = path.join(home, 'node_modules', PACKAGE, 'bin', `${PACKAGE}.js`);
  if (existsSync(path.join(home, COMPLETE))) return cli;

  mkdirSync(versions, { recursive: true });
  // Installed beside the cache entry, then renamed into place: an interrupted install is never reused.
  const staging = await mkdtemp(path.join(versions, `.${version}-`));
  try {
    writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify({ private: true }, null, 2)}\n`);
    await npm(
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--omit=dev', '--no-package-lock', `${PACKAGE}@${version}`],
      staging,
    ).catch((error: Error & { stderr?: string }) => {
      const reason = (error.stderr ?? error.message).split('\n').find((l) => /npm (error|ERR!)/.test(l)) ?? error.message;
      throw new UserError(
        `Could not fetch ${PACKAGE}@${version} (the version that generated this project) from the npm registry: ${reason.trim()}`,
        'upgrade needs it to tell your edits from ours. Check the registry settings (npm config get registry) and try again.',
      );
    });
    const installed = JSON.parse(readFileSync(path.join(staging, 'node_modules', PACKAGE, 'package.json'), 'utf8')) as { version: string };
    if (installed.version !== version) throw new Error(`npm installed ${PACKAGE}@${installed.version} for ${version}`);
    writeFileSync(path.join(staging, COMPLETE), `${new Date().toISOString()}\n`);
    if (existsSync(home)) rmSync(home, { recursive: true, force: true });
    renameSync(staging, home);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return cli;
}

function cacheRoot(): string {
  const base = process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : undefined);
  return path.join(base || path.join(homedir(), '.cache'), PACKAGE);
}

/** npm as it ran us (npx sets npm_execpath), else the one on PATH. */
function npm(args: readonly string[], cwd: string): Promise<unknown> {
  const run = promisify(execFile);
  const npmCli = process.env.npm_execpath;
  const options = { cwd, maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' };
  if (npmCli && /npm-cli\.[cm]?js$/.test(npmCli)) return run(process.execPath, [npmCli, ...args], { ...options, shell: false });
  return run('npm', [...args], options);
}
