import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { testDatabase } from '../helpers/database.ts';
import { credentialsFor, startServer } from '../helpers/server.ts';

describe('graceful shutdown', () => {
  it('SIGTERM: the in-flight request completes, new connections are refused, exit 0', async () => {
    const database = await testDatabase();
    const server = await startServer({ DATABASE_URL: database.url });
    const { port } = new URL(server.url);
    const body = JSON.stringify({ name: 'in flight during shutdown' });
    const credentials = Object.entries(await credentialsFor(server.url))
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');

    // A request whose body is still arriving is genuinely in flight: no test-only route needed.
    const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let response = '';
    socket.on('data', (chunk) => {
      response += chunk;
    });
    socket.write(
      `POST /v1/items HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${credentials}\r\n`,
    );
    socket.write(body.slice(0, 10));
    await sleep(100);

    server.child.kill('SIGTERM');
    await sleep(300);
    const refused = await fetch(server.url).then(
      () => false,
      () => true,
    );
    assert.ok(refused, 'new connections are refused once shutdown began');

    socket.write(body.slice(10));
    const exitCode = await server.exited;
    assert.match(response, /^HTTP\/1\.1 201 /, server.output());
    assert.match(response, /in flight during shutdown/);
    assert.equal(exitCode, 0, server.output());
    await database.drop();
  });
});
