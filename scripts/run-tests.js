#!/usr/bin/env node
// Runs the test suites with node's test runner (spec output on the terminal, TAP kept for the count)
// and ends with the line CI reads: "N passed, N failed". `npm test -- test/unit` runs a subset.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const suites = process.argv.slice(2);
const patterns =
  suites.length > 0
    ? suites.map((s) => (s.endsWith('.ts') ? s : `${s.replace(/\/$/, '')}/**/*.test.ts`))
    : ['test/!(fixtures)/**/*.test.ts'];
mkdirSync('.test-output', { recursive: true });
const tap = '.test-output/results.tap';
const result = spawnSync(
  process.execPath,
  [
    '--test',
    // Two test files at a time (the matrix is split in two files, the foreign add suites are separate): each
    // mostly drives one child process at a time, so two use both cores of the CI machine.
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...patterns,
  ],
  { stdio: 'inherit' },
);
const text = readFileSync(tap, 'utf8');
const count = (name) => [...text.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].map((m) => Number(m[1])).at(-1) ?? 0;
const passed = count('pass');
const failed = count('fail') + count('cancelled');
console.log(`${passed} passed, ${failed} failed`);
process.exit(result.status === 0 && failed === 0 ? 0 : 1);
