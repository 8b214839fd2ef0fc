import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Runs `build` to fill `dir` once, whatever number of test processes ask at the same time (the runner
 * runs test files concurrently): one takes a lock file next to `dir`, the others wait for its marker.
 * A finished build (the marker) is kept between runs; a failed one leaves no marker and throws.
 */
export async function buildOnce(dir: string, build: () => Promise<void>, what: string): Promise<void> {
  const marker = path.join(dir, '.built');
  const lock = `${dir}.lock`;
  mkdirSync(path.dirname(dir), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  while (!existsSync(marker)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${lock})`);
    if (!takeLock(lock)) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    try {
      if (existsSync(marker)) break;
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      try {
        await build();
      } catch (error) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      writeFileSync(marker, `${new Date().toISOString()}\n`);
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

/** Creates the lock file with our pid; takes over a lock whose process is gone. */
function takeLock(lock: string): boolean {
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
    return true;
  } catch {
    try {
      const owner = Number(readFileSync(lock, 'utf8'));
      const stale = owner > 0 ? !isAlive(owner) : Date.now() - statSync(lock).mtimeMs > 10_000;
      if (stale) rmSync(lock, { force: true });
    } catch {
      // Released between our two looks: try again.
    }
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
