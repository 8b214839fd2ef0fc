import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, createItem, uniqueKeyPrefix } from '../helpers/app.ts';

const apps: FastifyInstance[] = [];
after(() => Promise.all(apps.map((app) => app.close())));

/**
 * A test app whose requests carry the owner of a test header (as authentication would set it) or
 * none, whatever test identity an authentication feature's test helper signs requests with; it counts
 * the database reads of items.
 */
async function cachedApp(env: Record<string, string> = {}) {
  const app = await buildTestApp(env);
  apps.push(app);
  app.addHook('onRequest', async (request) => {
    const owner = request.headers['x-test-owner'];
    request.dataScope = typeof owner === 'string' ? { owner_id: owner } : {};
  });
  // Anonymous clients reach public reads only (authentication, when present, denies the rest).
  app.get('/v1/catalogue', { config: { public: true } }, async () => ({ entries: ['public'] }));
  await app.ready();
  // An auth feature's migration adds this column; without one, the test does.
  const hasOwner = await app.db.query('SELECT owner_id FROM items LIMIT 1').then(
    () => true,
    () => false,
  );
  if (!hasOwner) await app.db.execute("ALTER TABLE items ADD COLUMN owner_id TEXT NOT NULL DEFAULT ''");
  const reads = { count: 0 };
  const query = app.db.query.bind(app.db);
  app.db.query = (sql, params) => {
    if (/\bitems\b/.test(sql)) reads.count++;
    return query(sql, params);
  };
  return { app, reads };
}

function lookups(): { hits: boolean[]; stop(): void } {
  const hits: boolean[] = [];
  const listener = (message: unknown) => hits.push((message as { hit: boolean }).hit);
  subscribe('hardened-api:cache.lookup', listener);
  return { hits, stop: () => unsubscribe('hardened-api:cache.lookup', listener) };
}

describe('caching', () => {
  it('strong ETag on GET; a matching If-None-Match is 304 without a body; a write changes it', async () => {
    const { app } = await cachedApp();
    const item = await createItem(app, { name: 'tagged' });
    const url = `/v1/items/${item.id}`;
    const first = await app.inject(url);
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[A-Za-z0-9_-]{43}"$/, 'strong: no W/ prefix');
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const cached = await app.inject({ url, headers: { 'if-none-match': ifNoneMatch } });
      assert.equal(cached.statusCode, 304, ifNoneMatch);
      assert.equal(cached.body, '');
      assert.equal(cached.headers.etag, etag);
    }
    const hit = await app.inject({ url, headers: { 'if-none-match': '"other"' } });
    assert.equal(hit.statusCode, 200);
    const digest = createHash('sha256').update(hit.body).digest('base64url');
    assert.equal(hit.headers.etag, `"${digest}"`, 'a cached response carries the ETag of its own body');

    const patched = await app.inject({ method: 'PATCH', url, payload: { name: 'renamed' } });
    assert.equal(patched.statusCode, 200);
    const fresh = await app.inject({ url, headers: { 'if-none-match': etag } });
    assert.equal(fresh.statusCode, 200, 'the old ETag no longer matches');
    assert.equal(fresh.json().name, 'renamed');
    assert.notEqual(fresh.headers.etag, etag);
  });

  it('serves repeated reads from the cache and invalidates list and item on every write', async () => {
    const { app, reads } = await cachedApp();
    const seen = lookups();
    const item = await createItem(app, { name: 'one' });
    assert.equal((await app.inject('/v1/items')).json().data.length, 1);
    const before = reads.count;
    const again = await app.inject('/v1/items');
    assert.equal(again.json().data.length, 1);
    assert.equal(reads.count, before, 'no database read for a cached list');

    await createItem(app, { name: 'two' });
    assert.equal((await app.inject('/v1/items')).json().data.length, 2, 'POST invalidated the list');
    await app.inject(`/v1/items/${item.id}`);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v1/items/${item.id}` })).statusCode, 204);
    assert.equal((await app.inject(`/v1/items/${item.id}`)).statusCode, 404, 'DELETE invalidated the item');
    assert.equal((await app.inject('/v1/items')).json().data.length, 1, 'and the list');
    seen.stop();
    assert.deepEqual(seen.hits, [false, true, false, false, false, false]);
  });

  it("one owner never receives another's cached data", async () => {
    const { app } = await cachedApp();
    const alice = { 'x-test-owner': 'alice' };
    const bob = { 'x-test-owner': 'bob' };
    const mine = await createItem(app, { name: 'alice-only' }, alice);
    const seen = lookups();
    for (let round = 0; round < 2; round++) {
      const aliceList = await app.inject({ url: '/v1/items', headers: alice });
      assert.deepEqual(
        aliceList.json().data.map((i: { name: string }) => i.name),
        ['alice-only'],
      );
      assert.deepEqual((await app.inject({ url: '/v1/items', headers: bob })).json().data, []);
      assert.equal((await app.inject({ url: `/v1/items/${mine.id}`, headers: alice })).statusCode, 200);
      assert.equal((await app.inject({ url: `/v1/items/${mine.id}`, headers: bob })).statusCode, 404);
    }
    seen.stop();
    // Round one misses everywhere; round two hits alice's entries and bob's (empty) list; 404s are not cached.
    assert.deepEqual(seen.hits, [false, false, false, false, true, true, true, false]);
  });

  it('Cache-Control: private, no-store for personal requests; public only for anonymous ones, when configured', async () => {
    const { app } = await cachedApp();
    const owned = await app.inject({ url: '/v1/items', headers: { 'x-test-owner': 'alice' } });
    assert.equal(owned.headers['cache-control'], 'private, no-store');
    const write = await app.inject({ method: 'POST', url: '/v1/items', payload: { name: 'x' } });
    assert.equal(write.headers['cache-control'], 'no-store', 'writes are never cacheable');

    // Over HTTP, as a client without credentials (test helpers may sign injected requests).
    const client = async (target: FastifyInstance) => {
      const url = await target.listen({ host: '127.0.0.1', port: 0 });
      return (headers: Record<string, string> = {}) => fetch(`${url}/v1/catalogue`, { headers });
    };
    const closed = await client(app);
    assert.equal((await closed()).headers.get('cache-control'), 'no-store', 'the safe default');

    const { app: open } = await cachedApp({ CACHE_PUBLIC_MAX_AGE: '60' });
    const get = await client(open);
    const anonymous = await get();
    assert.equal(anonymous.headers.get('cache-control'), 'public, max-age=60');
    assert.match(String(anonymous.headers.get('vary')), /Authorization/);
    assert.equal((await get({ 'x-test-owner': 'alice' })).headers.get('cache-control'), 'private, no-store');
    const withCredentials = await get({ authorization: 'Bearer x' });
    assert.doesNotMatch(String(withCredentials.headers.get('cache-control')), /public/, 'credentials are never public');
  });

  it('any resource read is cached, unless its route opts out', async () => {
    const app = await buildTestApp();
    apps.push(app);
    let calls = 0;
    const count = async () => ({ calls: ++calls });
    app.get('/v1/counters', count);
    app.get('/v1/live-counters', { config: { cache: false } }, count);
    await app.ready();
    const cached = [await app.inject('/v1/counters'), await app.inject('/v1/counters')];
    assert.deepEqual(
      cached.map((r) => r.json()),
      [{ calls: 1 }, { calls: 1 }],
    );
    const live = [await app.inject('/v1/live-counters'), await app.inject('/v1/live-counters')];
    assert.deepEqual(
      live.map((r) => r.json()),
      [{ calls: 2 }, { calls: 3 }],
    );
    assert.notEqual(live[0]?.headers.etag, live[1]?.headers.etag, 'ETags still apply');
  });

  it('identical concurrent reads share one database read', async () => {
    const { app, reads } = await cachedApp();
    const item = await createItem(app);
    const before = reads.count;
    const responses = await Promise.all(Array.from({ length: 5 }, () => app.inject(`/v1/items/${item.id}`)));
    assert.deepEqual(
      responses.map((r) => r.statusCode),
      [200, 200, 200, 200, 200],
    );
    assert.equal(new Set(responses.map((r) => r.body)).size, 1);
    assert.equal(reads.count - before, 1);
  });

  it('on Redis, a write through one instance invalidates every instance', {
    skip: !process.env.REDIS_URL && 'needs REDIS_URL',
  }, async () => {
    const shared = { REDIS_KEY_PREFIX: uniqueKeyPrefix() };
    const { app: one } = await cachedApp(shared);
    const { app: two } = await cachedApp(shared);
    const seen = lookups();
    await one.inject('/v1/items');
    await two.inject('/v1/items');
    await createItem(one, { name: 'written through one' });
    await two.inject('/v1/items');
    seen.stop();
    assert.deepEqual(seen.hits, [false, true, false], "two hit one's entry, then missed after one's write");
  });

  it('an unreachable Redis is a miss, never an error (ready, named as degraded)', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const { app } = await cachedApp({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const item = await createItem(app, { name: 'still served' });
    const read = await app.inject(`/v1/items/${item.id}`);
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().name, 'still served');
    assert.equal((await app.inject('/v1/items')).json().data.length, 1);
    const ready = await app.inject('/health/ready');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json().degraded, ['redis']);
  });
});
