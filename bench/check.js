import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run, timeCommand } from './lib/process.js';
import { median, round } from './lib/stats.js';

const bin = path.resolve('bin/create-hardened-api.js');

/** TypeScript files check parses (tests are not application code). */
function codeFiles(dir) {
  return readdirSync(dir, { recursive: true }).filter(
    (f) => /\.ts$/.test(f) && !/^test\/|\.test\.ts$/.test(f) && statSync(path.join(dir, f)).isFile(),
  ).length;
}

/**
 * A project of `files` TypeScript files: the full preset, its items resource copied under new names
 * until the count is reached (so the files are real route, schema and data-access code).
 */
function projectOf(files) {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'bench-check-')), 'api');
  run(process.execPath, [bin, dir, '--yes', '--no-install', '--no-git', '--preset', 'full']);
  // A committed lockfile, as a real project has (check would otherwise report its absence).
  writeFileSync(path.join(dir, 'package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
  const items = path.join(dir, 'src/routes/v1/items');
  for (let copy = 1; codeFiles(dir) < files; copy++) cpSync(items, path.join(dir, `src/routes/v1/items${copy}`), { recursive: true });
  return dir;
}

/** Static `check` (whole process, npm audit off): median wall time over `runs`, after a warm-up. */
export function benchCheck({ runs, files = 200 }) {
  const dir = projectOf(files);
  const args = [bin, 'check', '--dir', dir, '--no-audit', '--format', 'json', '--fail-on', 'none'];
  timeCommand(process.execPath, args);
  const samples = Array.from({ length: runs }, () => timeCommand(process.execPath, args));
  const count = codeFiles(dir);
  rmSync(path.dirname(dir), { recursive: true, force: true });
  return {
    name: `check, ${count} TypeScript source files`,
    medianSeconds: round(median(samples), 3),
    minSeconds: round(Math.min(...samples), 3),
    maxSeconds: round(Math.max(...samples), 3),
    runs,
    budgetSeconds: 2,
  };
}
