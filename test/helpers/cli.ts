import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const bin = path.join(repoRoot, 'bin/create-hardened-api.js');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI the way a user does, without a terminal. */
export async function cli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { npm_config_user_agent: '', ...options.env },
    reject: false,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = 'cha-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Every file under root with its content (and every directory), for byte-equal comparisons. */
export function snapshot(root: string, ignore: (file: string) => boolean = () => false): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const key = path.relative(root, full);
      if (ignore(key)) continue;
      if (entry.isDirectory()) {
        result[`${key}/`] = '';
        walk(full);
      } else result[key] = `${statSync(full).mode & 0o111 ? '[x]' : ''}${readFileSync(full, 'utf8')}`;
    }
  };
  walk(root);
  return result;
}
