import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testDatabase } from '../helpers/database.ts';
import { startServer } from '../helpers/server.ts';

const script = fileURLToPath(new URL('../../src/healthcheck.ts', import.meta.url));

/** Runs the container's HEALTHCHECK command against the given port; resolves with its exit code. */
function healthcheck(port: string): Promise<number> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [script], { env: { ...process.env, PORT: port }, timeout: 10_000 });
    child.once('exit', (code) => resolve(code ?? -1));
  });
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<string> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return String(port);
}

describe('container healthcheck', () => {
  it('exits 0 while the API answers /health/live', async () => {
    const database = await testDatabase();
    const server = await startServer({ DATABASE_URL: database.url });
    try {
      assert.equal(await healthcheck(new URL(server.url).port), 0, server.output());
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
      await database.drop();
    }
  });

  it('exits 1 when /health/live answers with an error', async () => {
    const server = http.createServer((_request, response) => response.writeHead(503).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      assert.equal(await healthcheck(String((server.address() as net.AddressInfo).port)), 1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('exits 1 when nothing answers', async () => {
    assert.equal(await healthcheck(await closedPort()), 1);
  });
});
