// `npm run load`: starts the API as its own process on an ephemeral loopback port, seeds 20 items,
// runs autocannon against GET /v1/items for LOAD_SECONDS (default 10), prints req/s and latency.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

const seconds = Number(process.env.LOAD_SECONDS ?? 10);
const sqlitePath = path.join(tmpdir(), `load-${process.pid}.db`);
const server = spawn(process.execPath, ['src/server.ts'], {
  env: {
    ...process.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    SQLITE_PATH: sqlitePath,
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve, reject) => {
  let output = '';
  server.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (match?.[1]) resolve(match[1]);
  });
  server.once('exit', (code) => reject(new Error(`server exited (${code})`)));
});
server.stdout.resume();

try {
  for (let i = 0; i < 20; i++) {
    await fetch(`${url}/v1/items`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `item-${i}`, description: 'seeded for the load test' }),
    });
  }
  const result = await autocannon({ url: `${url}/v1/items`, connections: 50, duration: seconds });
  const failed = result.non2xx + result.errors + result.timeouts;
  console.log(
    `GET /v1/items: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${failed} failed of ${result.requests.total}`,
  );
  process.exitCode = failed > 0 ? 1 : 0;
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${sqlitePath}${suffix}`, { force: true });
}
