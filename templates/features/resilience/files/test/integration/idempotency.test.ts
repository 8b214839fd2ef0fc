import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { buildTestApp } from '../helpers/app.ts';

describe('Idempotency-Key on POST /v1/items', () => {
  let app: FastifyInstance;

  before(async () => {
    app = await buildTestApp();
  });
  after(() => app.close());

  const create = (payload: Record<string, unknown>, key?: string) =>
    app.inject({
      method: 'POST',
      url: '/v1/items',
      payload,
      headers: key === undefined ? {} : { 'idempotency-key': key },
    });

  async function countNamed(name: string): Promise<number> {
    const response = await app.inject({ method: 'GET', url: `/v1/items?name=${encodeURIComponent(name)}&limit=100` });
    return (response.json() as { data: unknown[] }).data.length;
  }

  it('the same key and body replay the first response instead of creating again', async () => {
    const key = randomUUID();
    const name = `replayed-${key}`;
    const first = await create({ name }, key);
    assert.equal(first.statusCode, 201);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    const second = await create({ name }, key);
    assert.equal(second.statusCode, 201);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(second.body, first.body);
    assert.equal(second.headers.location, first.headers.location);
    assert.match(String(second.headers['content-type']), /^application\/json/);
    assert.equal(await countNamed(name), 1);
  });

  it('the same key with a different body is 422 problem+json', async () => {
    const key = randomUUID();
    assert.equal((await create({ name: 'first body' }, key)).statusCode, 201);
    const conflict = await create({ name: 'another body' }, key);
    assert.equal(conflict.statusCode, 422);
    assert.match(String(conflict.headers['content-type']), /^application\/problem\+json/);
    assert.equal(await countNamed('another body'), 0);
  });

  it('without a key, or with different keys, every POST creates', async () => {
    const name = `unkeyed-${randomUUID()}`;
    await create({ name });
    await create({ name });
    await create({ name }, randomUUID());
    await create({ name }, randomUUID());
    assert.equal(await countNamed(name), 4);
  });

  it('concurrent requests with one key create one item', async () => {
    const key = randomUUID();
    const name = `concurrent-${key}`;
    const responses = await Promise.all(Array.from({ length: 5 }, () => create({ name }, key)));
    const statuses = responses.map((r) => r.statusCode);
    assert.ok(
      statuses.every((s) => s === 201 || s === 409),
      `statuses: ${statuses.join(', ')}`,
    );
    for (const response of responses.filter((r) => r.statusCode === 409)) {
      assert.equal(response.headers['retry-after'], '1');
    }
    assert.equal(await countNamed(name), 1);
  });

  it('a request refused by validation does not use up the key', async () => {
    const key = randomUUID();
    assert.equal((await create({ name: 42 }, key)).statusCode, 400);
    assert.equal((await create({ name: `valid-${key}` }, key)).statusCode, 201);
  });

  it('rejects a malformed key with 400', async () => {
    for (const key of ['x'.repeat(256), 'has space']) {
      const response = await create({ name: 'bad key' }, key);
      assert.equal(response.statusCode, 400, key);
    }
  });
});

describe('Idempotency-Key when the client goes away', () => {
  it('the operation completes and a retry with the key gets its response, without running it again', async () => {
    const app = await buildTestApp();
    let runs = 0;
    app.post(
      '/test/slow',
      { schema: { body: Type.Object({ n: Type.Integer() }), response: { 201: Type.Object({ run: Type.Integer() }) } } },
      async (_request, reply) => {
        runs += 1;
        await sleep(200);
        return reply.code(201).send({ run: runs });
      },
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { port } = app.server.address() as AddressInfo;
      const key = randomUUID();
      const sent = request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/test/slow',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
      });
      sent.on('error', () => {});
      sent.end(JSON.stringify({ n: 1 }));
      await sleep(50);
      sent.destroy();
      await sleep(300);

      const retry = await app.inject({
        method: 'POST',
        url: '/test/slow',
        payload: { n: 1 },
        headers: { 'idempotency-key': key },
      });
      assert.equal(retry.statusCode, 201);
      assert.equal(retry.headers['idempotent-replayed'], 'true');
      assert.deepEqual(retry.json(), { run: 1 });
      assert.equal(runs, 1);
    } finally {
      await app.close();
    }
  });
});
