import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';

describe('server timeouts', () => {
  it('a client that never finishes its headers is cut off after HEADERS_TIMEOUT_MS', async () => {
    const app = await buildTestApp({ HEADERS_TIMEOUT_MS: '1000' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as net.AddressInfo;
    const started = Date.now();
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk;
    });
    // Slowloris: headers trickle in and never end. The drip stops before the deadline: bytes still
    // arriving when the server closes would make its kernel answer with a reset, losing the 408.
    socket.write('GET /v1/items HTTP/1.1\r\nHost: localhost\r\n');
    const drip = setInterval(() => {
      if (Date.now() - started < 700) socket.write('X-Slow: 1\r\n');
    }, 200);
    await new Promise((resolve) => socket.once('close', resolve));
    clearInterval(drip);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 900 && elapsed < 5000, `closed after ${elapsed} ms`);
    assert.match(received, /^HTTP\/1\.1 408 /);
    await app.close();
  });
});
