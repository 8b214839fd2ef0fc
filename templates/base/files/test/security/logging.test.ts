import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, createItem } from '../helpers/app.ts';
import { LogCapture } from '../helpers/logs.ts';

const SECRETS = [
  'Bearer eyJhbGciOiJFUzI1NiJ9.secret-token',
  'session=cookie-secret-value',
  'key_live_0123456789abcdef',
  'hunter2-password',
];

describe('logs', () => {
  it('one completion line per request: request id, route template, status, duration', async () => {
    const logs = new LogCapture();
    const app = await buildTestApp({ LOG_LEVEL: 'info' }, { logStream: logs });
    const item = await createItem(app);
    await app.inject({ url: `/v1/items/${item.id}`, headers: { 'x-request-id': 'trace-abc-123' } });
    const lines = logs.lines.filter((l) => l.msg === 'request completed');
    assert.equal(lines.length, 2);
    const line = lines[1] as Record<string, unknown>;
    assert.equal(line.reqId, 'trace-abc-123');
    assert.equal(line.route, '/v1/items/:id');
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, 'number');
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await app.close();
  });

  it('echoes a safe request id and replaces unsafe ones', async () => {
    const app = await buildTestApp();
    assert.equal(
      (await app.inject({ url: '/health/live', headers: { 'x-request-id': 'abc-123' } })).headers['x-request-id'],
      'abc-123',
    );
    for (const unsafe of ['evil\r\nset-cookie: a=b', 'x'.repeat(65), '<script>']) {
      const echoed = (await app.inject({ url: '/health/live', headers: { 'x-request-id': unsafe } })).headers[
        'x-request-id'
      ];
      assert.notEqual(echoed, unsafe);
      assert.match(String(echoed), /^[0-9a-f-]{36}$/);
    }
    await app.close();
  });

  it('never writes credentials or passwords, on any path', async () => {
    const logs = new LogCapture();
    const app = await buildTestApp({ LOG_LEVEL: 'trace' }, { logStream: logs });
    app.get('/test-only/boom', async () => {
      throw new Error('failed');
    });
    const headers = {
      authorization: SECRETS[0] as string,
      cookie: SECRETS[1] as string,
      'x-api-key': SECRETS[2] as string,
    };
    await app.inject({ url: '/v1/items', headers });
    await app.inject({ method: 'POST', url: '/v1/items', headers, payload: { name: 'x', password: SECRETS[3] } });
    await app.inject({ url: '/test-only/boom', headers });
    await app.inject({ url: '/nope', headers });
    app.log.info({ req: { headers }, body: { password: SECRETS[3], token: SECRETS[0] } }, 'something logged a request');
    assert.ok(logs.lines.length >= 5);
    for (const secret of SECRETS) assert.equal(logs.text.includes(secret), false, `log contains ${secret}`);
    assert.match(logs.text, /\[redacted\]/);
    await app.close();
  });
});
