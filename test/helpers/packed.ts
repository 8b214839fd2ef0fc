import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot, tempDir } from './cli.ts';

/** What `npm pack` ships (package.json "files"): a change in any of them is a new tarball. */
const SHIPPED = ['package.json', 'bin', 'dist', 'templates'];

function contentHash(): string {
  const hash = createHash('sha256');
  const add = (relative: string): void => {
    const full = path.join(repoRoot, relative);
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full).sort()) add(path.join(relative, entry));
    } else hash.update(relative).update('\0').update(readFileSync(full)).update('\0');
  };
  for (const entry of SHIPPED) if (existsSync(path.join(repoRoot, entry))) add(entry);
  return hash.digest('hex').slice(0, 16);
}

let packed: Promise<string> | undefined;

/**
 * This repository as `npm publish` would ship it: packed once per content (every test process of a
 * run shares the tarball under .test-output/pack/), after `npm run build`.
 */
export function packedTarball(): Promise<string> {
  packed ??= (async () => {
    const directory = path.join(repoRoot, '.test-output/pack', contentHash());
    const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const tarball = path.join(directory, `create-hardened-api-${version}.tgz`);
    if (existsSync(tarball)) return tarball;
    const scratch = tempDir('pack-');
    await execa('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: repoRoot, stdin: 'ignore' });
    mkdirSync(directory, { recursive: true });
    // Another test process may have packed the same content meanwhile: the rename makes either copy whole.
    renameSync(path.join(scratch, path.basename(tarball)), tarball);
    rmSync(scratch, { recursive: true, force: true });
    return tarball;
  })();
  return packed;
}
