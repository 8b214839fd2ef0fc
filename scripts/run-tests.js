#!/usr/bin/env node
// Runs the test files with node's test runner, two at a time (TEST_CONCURRENCY), longest first, and ends
// with the line CI reads: "N passed, N failed". Each file's spec output is printed whole when it finishes,
// so that two files never interleave. `npm test -- test/unit` (or a file) runs a subset.
import { spawn } from 'node:child_process';
import { globSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const suites = process.argv.slice(2);
const patterns =
  suites.length > 0
    ? suites.map((s) => (s.endsWith('.ts') ? s : `${s.replace(/\/$/, '')}/**/*.test.ts`))
    : ['test/!(fixtures)/**/*.test.ts'];
const files = [...new Set(patterns.flatMap((p) => globSync(p)))].sort();

// The long suites first, so that the two lanes end together: the matrix shards, then the foreign-project suites.
const WEIGHTS = [
  [/\/matrix\//, 3],
  [/\/foreign\//, 2],
  [/\/e2e\//, 1],
];
const weight = (file) => WEIGHTS.find(([pattern]) => pattern.test(file))?.[1] ?? 0;
const queue = [...files].sort((a, b) => weight(b) - weight(a));

const out = '.test-output/runs';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const totals = { passed: 0, failed: 0 };
let exitCode = 0;

function runFile(file) {
  const base = path.join(out, file.replace(/[/\\]/g, '_'));
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--test',
        '--test-reporter=spec',
        `--test-reporter-destination=${base}.spec`,
        '--test-reporter=tap',
        `--test-reporter-destination=${base}.tap`,
        file,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.on('exit', (code) => {
      const read = (suffix) => {
        try {
          return readFileSync(`${base}${suffix}`, 'utf8');
        } catch {
          return '';
        }
      };
      process.stdout.write(`\n━━ ${file}\n${read('.spec')}`);
      const tap = read('.tap');
      const count = (name) => Number([...tap.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
      const failed = count('fail') + count('cancelled');
      totals.passed += count('pass');
      totals.failed += failed;
      // A file that crashed before reporting counts as one failure.
      if (code !== 0 && failed === 0) totals.failed += 1;
      if (code !== 0) exitCode = 1;
      resolve();
    });
  });
}

async function lane() {
  for (let file = queue.shift(); file; file = queue.shift()) await runFile(file);
}

const lanes = Math.max(1, Number(process.env.TEST_CONCURRENCY ?? 2));
await Promise.all(Array.from({ length: lanes }, lane));
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(exitCode === 0 && totals.failed === 0 ? 0 : 1);
