import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { rssOf, run, startServer, timeCommand } from './lib/process.js';
import { median, round } from './lib/stats.js';

const bin = path.resolve('bin/create-hardened-api.js');
const autocannonBin = path.resolve('node_modules/.bin/autocannon');
const cores = (await import('node:os')).availableParallelism();
const SERVER_CORE = cores > 1 ? 0 : undefined;
const LOAD_CORE = cores > 1 ? 1 : undefined;

/** Generates, installs (timed, warm cache) and builds one project; returns its directory and footprint. */
export function prepareProject(name, args) {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), `bench-${name}-`)), name);
  run(process.execPath, [bin, dir, '--yes', '--no-git', '--no-install', ...args]);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir });
  rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  const installSeconds = timeCommand('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir });
  run('npm', ['run', 'build'], { cwd: dir });
  const production = run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: dir }).trim().split('\n').length - 1;
  const bytes = Number(run('du', ['-sb', path.join(dir, 'node_modules')]).split('\t')[0]);
  const features = JSON.parse(readFileSync(path.join(dir, '.hardened-api.json'), 'utf8')).features;
  return {
    name,
    dir,
    features,
    footprint: { productionDependencies: production, nodeModulesMB: round(bytes / 1e6, 1), warmInstallSeconds: round(installSeconds, 1) },
  };
}

/** Production settings: info logs to /dev/null, limits so high they never trip but are still evaluated. */
function productionEnv(project, sqlitePath, port) {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    SQLITE_PATH: sqlitePath,
    DATABASE_URL: '',
    ...benchSettings(project),
  };
}

/** Feature settings a production start needs (secrets) and limits raised above the load. */
function benchSettings(project) {
  const env = {};
  if (project.features.includes('rate-limit')) Object.assign(env, { RATE_LIMIT_MAX: '100000000', RATE_LIMIT_SENSITIVE_MAX: '100000000' });
  if (project.features.includes('metrics')) env.METRICS_TOKEN = 'bench-metrics-token-of-at-least-32-characters';
  if (project.features.includes('auth')) {
    // The project's own key generator: production refuses to start without a signing key.
    const line = run(process.execPath, ['scripts/auth-keygen.ts'], { cwd: project.dir })
      .split('\n')
      .find((l) => l.startsWith('AUTH_JWT_PRIVATE_KEY='));
    env.AUTH_JWT_PRIVATE_KEY = line.slice('AUTH_JWT_PRIVATE_KEY='.length);
  }
  return env;
}

async function seed(url, headers) {
  for (let i = 0; i < 20; i++) {
    const response = await fetch(`${url}/v1/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ name: `item-${String(i).padStart(2, '0')}`, description: 'a bench row of moderate length' }),
    });
    if (response.status !== 201) throw new Error(`seeding failed: ${response.status} ${await response.text()}`);
  }
}

function autocannon(url, headers, seconds) {
  const args = ['-c', '50', '-d', String(seconds), '-j', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]), url];
  const command = LOAD_CORE === undefined ? [autocannonBin, args] : ['taskset', ['-c', String(LOAD_CORE), autocannonBin, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command[1], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon exited ${code}`))));
  });
}

/** Starts one server kind on the server core; returns its URL, the headers a client needs and a stop function. */
async function start(kind, project, port) {
  const sqlitePath = path.join(mkdtempSync(path.join(tmpdir(), 'bench-db-')), 'bench.db');
  if (kind === 'bare') {
    // The bare app has no migration step of its own: reuse the project's.
    run(process.execPath, ['dist/db/migrate-cli.js'], {
      cwd: project.dir,
      env: { ...process.env, ...productionEnv(project, sqlitePath, port) },
    });
    const server = await startServer({
      command: process.execPath,
      args: [path.resolve('bench/bare-app.js'), project.dir, sqlitePath, String(port)],
      url: `http://127.0.0.1:${port}/health/ready`,
      core: SERVER_CORE,
    });
    const url = `http://127.0.0.1:${port}`;
    await seedThroughProject(project, sqlitePath);
    return { ...server, url, headers: {} };
  }
  const server = await startProduction(project, sqlitePath, port, SERVER_CORE);
  const url = `http://127.0.0.1:${port}`;
  const headers = await clientHeaders(project, url);
  await seed(url, headers);
  return { ...server, url, headers };
}

/** Migrates (the release step), then starts the production build (`npm start`'s command) with production settings. */
function startProduction(project, sqlitePath, port, core) {
  const env = productionEnv(project, sqlitePath, port);
  run(process.execPath, ['dist/db/migrate-cli.js'], { cwd: project.dir, env: { ...process.env, ...env } });
  return startServer({
    command: process.execPath,
    args: ['dist/bundle/server.js'],
    cwd: project.dir,
    env,
    url: `http://127.0.0.1:${port}/health/ready`,
    core,
  });
}

/** The bare app only reads: write its 20 rows with the project's own data access. */
async function seedThroughProject(project, sqlitePath) {
  const { pathToFileURL } = await import('node:url');
  const { openDatabase } = await import(pathToFileURL(path.join(project.dir, 'dist/db/database.js')).href);
  const { itemsRepository } = await import(pathToFileURL(path.join(project.dir, 'dist/routes/v1/items/repository.js')).href);
  const db = await openDatabase({ databaseUrl: '', sqlitePath });
  const items = itemsRepository(db);
  for (let i = 0; i < 20; i++)
    await items.create({}, { name: `item-${String(i).padStart(2, '0')}`, description: 'a bench row of moderate length' });
  await db.close();
}

/** Credentials for projects with auth: a real user and a real access token, as a client would use. */
async function clientHeaders(project, url) {
  if (!project.features.includes('auth')) return {};
  const { authenticate } = await import('./auth-client.js');
  return authenticate(url);
}

/** Cold start: process spawn to the first 200 on /health/ready, production settings, embedded database. */
export async function coldStart(project, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const sqlitePath = path.join(mkdtempSync(path.join(tmpdir(), 'bench-cold-')), 'cold.db');
    const server = await startProduction(project, sqlitePath, 3400 + i);
    samples.push(server.readyMs);
    await server.stop();
  }
  return round(median(samples), 0);
}

/**
 * Throughput of GET /v1/items: bare Fastify and each hardened project, interleaved in every round so
 * that the ratio compares runs made under the same machine load.
 */
export async function benchThroughput(projects, { rounds, seconds }) {
  const kinds = [
    { label: 'bare Fastify (same data access)', kind: 'bare', project: projects[0] },
    ...projects.map((p) => ({ label: p.name, kind: 'hardened', project: p })),
  ];
  const results = Object.fromEntries(kinds.map((k) => [k.label, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [i, k] of kinds.entries()) {
      const server = await start(k.kind, k.project, 3300 + i);
      await autocannon(`${server.url}/v1/items`, server.headers, 1);
      const started = performance.now();
      const result = await autocannon(`${server.url}/v1/items`, server.headers, seconds);
      results[k.label].push({
        reqPerSec: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx + result.errors + result.timeouts,
        rssMB: round(rssOf(server.child.pid), 0),
        seconds: (performance.now() - started) / 1000,
      });
      await server.stop();
    }
  }
  const bare = results[kinds[0].label];
  return kinds.map((k) => {
    const samples = results[k.label];
    return {
      name: k.label,
      reqPerSec: round(median(samples.map((s) => s.reqPerSec)), 0),
      p50Ms: median(samples.map((s) => s.p50)),
      p99Ms: median(samples.map((s) => s.p99)),
      non2xx: samples.reduce((sum, s) => sum + s.non2xx, 0),
      rssMB: median(samples.map((s) => s.rssMB)),
      ratioToBare: round(median(samples.map((s, i) => s.reqPerSec / bare[i].reqPerSec)), 2),
      p99RatioToBare: round(median(samples.map((s, i) => s.p99 / Math.max(bare[i].p99, 1))), 2),
    };
  });
}
