#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --peers]`: generation time (ours and, with --peers, create-t3-app, Nest CLI
// and fastify-cli in the same interleaved rounds), the generated API's throughput against bare Fastify,
// cold start and footprint. Prints a markdown table and writes bench/results/<date>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { features } from '../dist/features/index.js';
import { benchThroughput, coldStart, prepareProject } from './api.js';
import { benchCheck } from './check.js';
import { benchGeneration, peerCommands } from './generation.js';
import { useLocalRegistry } from './lib/registry.js';
import { markdownTable } from './lib/stats.js';

const quick = process.argv.includes('--quick');
const withPeers = process.argv.includes('--peers');
const ids = features.map((f) => f.id);

console.error('Generation...');
const generation = benchGeneration({ runs: quick ? 5 : 9, features: ids, peers: peerCommands({ install: withPeers }) });

console.error('Check...');
const check = benchCheck({ runs: quick ? 5 : 9 });

console.error('Preparing projects (install, build)...');
// Generated projects depend on this generator (their lint runs `create-hardened-api check`): it is
// installed from this repository's packed tarball, through a local registry.
const stopRegistry = await useLocalRegistry();
// `full` answers repeated reads from its response cache; `full-no-cache` (every feature but caching) reads
// the database on every request, as bare Fastify does: the cost of the other layers alone.
const everythingButCaching = ids.filter((id) => id !== 'caching').join(',');
const projects = [
  prepareProject('base', ['--preset', 'minimal']),
  prepareProject('full', ['--preset', 'full']),
  prepareProject('full-no-cache', ['--preset', 'minimal', '--features', everythingButCaching]),
];
stopRegistry();

console.error('Throughput...');
const throughput = await benchThroughput(projects, { rounds: quick ? 2 : 4, seconds: quick ? 3 : 8 });

console.error('Cold start...');
const start = [];
for (const project of projects)
  start.push({ name: project.name, coldStartMs: await coldStart(project, quick ? 3 : 7), ...project.footprint });

const date = new Date().toISOString();
const report = [
  `# Benchmark ${date} (${(await import('node:os')).availableParallelism()} cores, Node ${process.version})`,
  '',
  '## Generation (no install, no git; median wall time of whole processes)',
  markdownTable(
    ['command', 'median s', 'min s', 'max s', 'runs', 'vs full preset'],
    generation.map((g) => [g.name, g.medianSeconds, g.minSeconds, g.maxSeconds, g.runs, g.ratioToFullPreset]),
  ),
  '',
  '## Static check (whole process, npm audit off; median wall time)',
  markdownTable(
    ['project', 'median s', 'min s', 'max s', 'runs', 'budget s'],
    [[check.name, check.medianSeconds, check.minSeconds, check.maxSeconds, check.runs, check.budgetSeconds]],
  ),
  '',
  '## GET /v1/items, 20 rows, autocannon -c 50 (ratios paired per round)',
  markdownTable(
    ['server', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'RSS MB', 'req/s vs bare', 'p99 vs bare'],
    throughput.map((t) => [t.name, t.reqPerSec, t.p50Ms, t.p99Ms, t.non2xx, t.rssMB, t.ratioToBare, t.p99RatioToBare]),
  ),
  '',
  '## Start and footprint',
  markdownTable(
    ['project', 'cold start to ready ms', 'production deps', 'node_modules MB', 'warm npm install s'],
    start.map((s) => [s.name, s.coldStartMs, s.productionDependencies, s.nodeModulesMB, s.warmInstallSeconds]),
  ),
].join('\n');
console.log(report);
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${date.slice(0, 19).replace(/:/g, '-')}.json`;
writeFileSync(file, `${JSON.stringify({ date, generation, check, throughput, start }, null, 2)}\n`);
console.error(`\nWrote ${file}`);
