import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, createItem } from '../helpers/app.ts';

const PAYLOADS = [
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE items; --",
  '" OR ""="',
  "1' UNION SELECT name, name, name, name, name, name FROM sqlite_master --",
  '1; SELECT pg_sleep(2) --',
  "\\'; DELETE FROM items WHERE '1'='1",
  '%',
  '_',
];

const SQL_LEAK = /syntax error|sqlite|postgres|SELECT |relation |near "/i;

describe('SQL injection: every string parameter and filter', () => {
  let app: FastifyInstance;
  let total: number;
  before(async () => {
    app = await buildTestApp();
    for (let i = 0; i < 5; i++) await createItem(app, { name: `safe-${i}`, status: 'active' });
    total = (await app.inject('/v1/items?limit=100')).json().data.length;
  });
  after(() => app.close());

  for (const payload of PAYLOADS) {
    it(`payload ${payload}`, async () => {
      const encoded = encodeURIComponent(payload);
      const probes = [
        await app.inject(`/v1/items?name=${encoded}`),
        await app.inject(`/v1/items?status=${encoded}`),
        await app.inject(`/v1/items?sort=${encoded}`),
        await app.inject(`/v1/items?cursor=${encoded}`),
        await app.inject(`/v1/items/${encoded}`),
        await app.inject({ method: 'PATCH', url: `/v1/items/${encoded}`, payload: { name: 'x' } }),
        await app.inject({ method: 'DELETE', url: `/v1/items/${encoded}` }),
      ];
      for (const response of probes) {
        assert.ok(response.statusCode < 500, `${response.statusCode} ${response.body}`);
        const { instance: _echoedPath, ...body } = response.json();
        assert.doesNotMatch(JSON.stringify(body), SQL_LEAK);
        if (response.statusCode === 200)
          assert.equal(response.json().data.length, 0, 'a filter payload matches nothing');
      }
      const stored = await app.inject({ method: 'POST', url: '/v1/items', payload: { name: payload.slice(0, 100) } });
      assert.equal(stored.statusCode, 201);
      assert.equal(stored.json().name, payload.slice(0, 100), 'stored verbatim, as data');
      await app.inject({ method: 'DELETE', url: `/v1/items/${stored.json().id}` });
      assert.equal((await app.inject('/v1/items?limit=100')).json().data.length, total, 'the table is intact');
    });
  }
});
