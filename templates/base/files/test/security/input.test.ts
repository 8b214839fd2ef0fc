import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, createItem } from '../helpers/app.ts';

describe('input validation', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp();
  });
  after(() => app.close());

  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/v1/items',
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('rejects unknown properties (mass assignment) with a JSON pointer', async () => {
    const response = await post({
      name: 'x',
      id: '00000000-0000-7000-8000-000000000000',
      createdAt: '2000-01-01T00:00:00Z',
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.json().errors[0].pointer, /^#\/(id|createdAt)$/);
    const item = await createItem(app);
    const patch = await app.inject({
      method: 'PATCH',
      url: `/v1/items/${item.id}`,
      payload: { id: 'other', ownerId: 'me' },
    });
    assert.equal(patch.statusCode, 400);
  });

  it('rejects wrong types without coercing bodies', async () => {
    for (const payload of [{ name: 5 }, { name: ['x'] }, { name: 'x', status: 'deleted' }, [{ name: 'x' }], 'null']) {
      const response = await post(payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.ok(Array.isArray(response.json().errors) || response.json().detail, JSON.stringify(payload));
    }
  });

  it('bounds strings', async () => {
    assert.equal((await post({ name: '' })).statusCode, 400);
    assert.equal((await post({ name: 'x'.repeat(101) })).statusCode, 400);
    assert.equal((await post({ name: 'x', description: 'y'.repeat(1001) })).statusCode, 400);
  });

  it('rejects a 10k-element array and prototype pollution payloads', async () => {
    assert.equal((await post(Array.from({ length: 10_000 }, () => ({ name: 'x' })))).statusCode, 400);
    for (const payload of [
      '{"name":"x","__proto__":{"admin":true}}',
      '{"name":"x","constructor":{"prototype":{"admin":true}}}',
    ]) {
      const response = await post(payload);
      assert.equal(response.statusCode, 400, payload);
      assert.equal(({} as Record<string, unknown>).admin, undefined);
    }
  });

  it('caps page size: limit=100000 is a 400, not a huge page', async () => {
    for (const query of ['limit=100000', 'limit=0', 'limit=-1', 'limit=abc', 'sort=password', 'status=deleted']) {
      assert.equal((await app.inject(`/v1/items?${query}`)).statusCode, 400, query);
    }
  });

  it('rejects unknown query parameters (filters are whitelisted)', async () => {
    const response = await app.inject('/v1/items?ownerId=someone');
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().errors[0].pointer, '#/ownerId');
  });

  it('bounds path parameters', async () => {
    const long = await app.inject(`/v1/items/${'a'.repeat(200)}`);
    assert.equal(long.statusCode, 414);
    assert.match(String(long.headers['content-type']), /^application\/problem\+json/);
    assert.equal((await app.inject('/v1/items/not-a-uuid')).statusCode, 400);
  });

  it('stores an XSS payload as data and returns it only as JSON with nosniff', async () => {
    const script = '<script>alert(document.cookie)</script>';
    const item = await createItem(app, { name: script });
    const response = await app.inject(`/v1/items/${item.id}`);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.json().name, script);
  });
});
