import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildTestApp, createItem } from '../helpers/app.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('items', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp();
  });
  after(() => app.close());

  it('creates with 201, a Location and a random (UUIDv7) id', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/items',
      payload: { name: 'first', description: 'd' },
    });
    assert.equal(response.statusCode, 201);
    const item = response.json();
    assert.match(item.id, UUID);
    assert.equal(response.headers.location, `/v1/items/${item.id}`);
    assert.deepEqual(Object.keys(item).sort(), ['createdAt', 'description', 'id', 'name', 'status', 'updatedAt']);
    assert.equal(item.status, 'draft');
  });

  it('reads, updates and deletes', async () => {
    const item = await createItem(app, { name: 'crud' });
    assert.equal((await app.inject(`/v1/items/${item.id}`)).json().name, 'crud');
    const patched = await app.inject({ method: 'PATCH', url: `/v1/items/${item.id}`, payload: { status: 'active' } });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().status, 'active');
    assert.equal(patched.json().name, 'crud');
    assert.equal((await app.inject({ method: 'DELETE', url: `/v1/items/${item.id}` })).statusCode, 204);
    assert.equal((await app.inject(`/v1/items/${item.id}`)).statusCode, 404);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v1/items/${item.id}` })).statusCode, 404);
  });

  it('guessing a neighbouring id finds nothing', async () => {
    const item = await createItem(app);
    const last = Number.parseInt(item.id.slice(-1), 16);
    const neighbour = `${item.id.slice(0, -1)}${((last + 1) % 16).toString(16)}`;
    assert.equal((await app.inject(`/v1/items/${neighbour}`)).statusCode, 404);
  });

  it('filters by status and name prefix, and sorts', async () => {
    const fresh = await buildTestApp();
    for (const [name, status] of [
      ['alpha', 'active'],
      ['alpine', 'draft'],
      ['beta', 'active'],
      ['Alpha', 'active'],
    ]) {
      await createItem(fresh, { name, status });
    }
    const names = async (query: string) =>
      (await fresh.inject(`/v1/items?${query}`)).json().data.map((i: { name: string }) => i.name);
    assert.deepEqual(await names('status=active&sort=name'), ['Alpha', 'alpha', 'beta']);
    assert.deepEqual(await names('name=alp&sort=name'), ['alpha', 'alpine']);
    assert.deepEqual(await names('name=%25&sort=name'), []);
    assert.deepEqual(await names('sort=-name&limit=2'), ['beta', 'alpine']);
    await fresh.close();
  });

  it('walks every page exactly once, even with inserts during the walk', async () => {
    const fresh = await buildTestApp();
    const created = new Set<string>();
    for (let i = 0; i < 25; i++) created.add((await createItem(fresh, { name: `row-${i}` })).id);
    const seen: string[] = [];
    let url: string | undefined = '/v1/items?limit=7&sort=createdAt';
    let pages = 0;
    while (url) {
      const response: LightMyRequestResponse = await fresh.inject(url);
      assert.equal(response.statusCode, 200);
      const page = response.json();
      seen.push(...page.data.map((i: { id: string }) => i.id));
      await createItem(fresh, { name: `inserted-during-walk-${pages++}` });
      const link = response.headers.link as string | undefined;
      if (page.nextCursor) assert.match(link ?? '', /^<\/v1\/items\?.*cursor=[A-Za-z0-9_-]+>; rel="next"$/);
      url = link ? /^<([^>]+)>/.exec(link)?.[1] : undefined;
    }
    assert.equal(new Set(seen).size, seen.length, 'no row twice');
    for (const id of created) assert.ok(seen.includes(id), 'every row that existed at the start');
    await fresh.close();
  });

  it('rejects a tampered cursor, and a cursor made for another sort order', async () => {
    const response = await app.inject('/v1/items?cursor=bm90LWEtY3Vyc29y');
    assert.equal(response.statusCode, 400);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    await createItem(app);
    await createItem(app);
    const { nextCursor } = (await app.inject('/v1/items?limit=1&sort=name')).json();
    assert.equal((await app.inject(`/v1/items?limit=1&sort=name&cursor=${nextCursor}`)).statusCode, 200);
    assert.equal((await app.inject(`/v1/items?limit=1&sort=-createdAt&cursor=${nextCursor}`)).statusCode, 400);
  });

  it('rejects query values that are not exactly of their type', async () => {
    for (const query of ['limit=3.5', 'limit=0x10', 'limit=1e1', 'limit=5&limit=6']) {
      assert.equal((await app.inject(`/v1/items?${query}`)).statusCode, 400, query);
    }
  });
});
