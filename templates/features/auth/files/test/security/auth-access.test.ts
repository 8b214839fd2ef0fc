import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type Account, FAST_HASHING, signUp } from '../helpers/accounts.ts';
import { buildTestApp } from '../helpers/app.ts';
import { injectAnonymously } from '../helpers/auth.ts';

const ANY_ID = '01900000-0000-7000-8000-000000000000';
const concrete = (url: string, id = ANY_ID) => url.replace(/:[A-Za-z]+/g, id);

describe("deny by default, and one user never reaches another user's data", () => {
  let app: FastifyInstance;
  let alice: Account;
  let bob: Account;
  before(async () => {
    app = await buildTestApp(FAST_HASHING);
    await app.ready();
    alice = await signUp(app);
    bob = await signUp(app);
  });
  after(() => app.close());

  it('every route that is not public answers 401 without credentials', async () => {
    const closed = app.routeAccess.filter((r) => !r.public);
    assert.ok(closed.length >= 5, 'the route table was read');
    for (const route of closed) {
      const response = await injectAnonymously(app, {
        method: route.method as 'GET',
        url: concrete(route.url),
        ...(['POST', 'PATCH', 'PUT'].includes(route.method) ? { payload: {} } : {}),
      });
      assert.equal(response.statusCode, 401, `${route.method} ${route.url}`);
    }
  });

  it('the public routes are the intended ones', () => {
    const open = app.routeAccess.filter((r) => r.public).map((r) => `${r.method} ${r.url}`);
    for (const route of open) {
      assert.match(
        route,
        /^(GET \/health\/|POST \/v1\/auth\/(register|login|refresh)$|GET \/\.well-known\/jwks\.json$|GET \/(docs|openapi))/,
        route,
      );
    }
  });

  it('unknown paths need credentials too (no anonymous route probing)', async () => {
    assert.equal((await injectAnonymously(app, '/v1/nothing-here')).statusCode, 401);
  });

  it("BOLA: every :id route on another user's item is 404 and the row is unchanged", async () => {
    const created = await injectAnonymously(app, {
      method: 'POST',
      url: '/v1/items',
      headers: alice.headers,
      payload: { name: 'alice private' },
    });
    assert.equal(created.statusCode, 201);
    const id = created.json().id as string;
    const idRoutes = app.routeAccess.filter((r) => !r.public && /\/items\/:id$/.test(r.url));
    assert.ok(idRoutes.length >= 3, 'GET, PATCH and DELETE at least');
    for (const route of idRoutes) {
      const response = await injectAnonymously(app, {
        method: route.method as 'GET',
        url: concrete(route.url, id),
        headers: bob.headers,
        ...(route.method === 'PATCH' ? { payload: { name: 'stolen' } } : {}),
      });
      assert.equal(response.statusCode, 404, `${route.method} ${route.url}`);
    }
    const list = await injectAnonymously(app, { url: '/v1/items', headers: bob.headers });
    assert.deepEqual(list.json().data, []);
    const own = await injectAnonymously(app, { url: `/v1/items/${id}`, headers: alice.headers });
    assert.equal(own.statusCode, 200);
    assert.equal(own.json().name, 'alice private', 'unchanged');
    const [row] = await app.db.query<{ owner_id: string }>('SELECT owner_id FROM items WHERE id = $1', [id]);
    assert.ok(row?.owner_id, 'the row carries its owner');
  });

  it('mass assignment: an owner in the body is rejected, never stored', async () => {
    for (const payload of [
      { name: 'x', owner_id: 'someone' },
      { name: 'x', ownerId: 'someone' },
    ]) {
      const response = await injectAnonymously(app, {
        method: 'POST',
        url: '/v1/items',
        headers: bob.headers,
        payload,
      });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
    }
    const mine = await injectAnonymously(app, {
      method: 'POST',
      url: '/v1/items',
      headers: bob.headers,
      payload: { name: 'b' },
    });
    const patch = await injectAnonymously(app, {
      method: 'PATCH',
      url: `/v1/items/${mine.json().id}`,
      headers: bob.headers,
      payload: { owner_id: 'someone' },
    });
    assert.equal(patch.statusCode, 400);
    const [row] = await app.db.query<{ owner_id: string }>('SELECT owner_id FROM items WHERE id = $1', [
      mine.json().id,
    ]);
    const me = await injectAnonymously(app, { url: '/v1/auth/me', headers: bob.headers });
    assert.equal(row?.owner_id, me.json().id);
  });
});
