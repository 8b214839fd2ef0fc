import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { clientKey } from '../../src/plugins/rate-limit.ts';
import { buildTestApp, uniqueKeyPrefix } from '../helpers/app.ts';
import { LogCapture } from '../helpers/logs.ts';
import { parseList } from '../helpers/structured-fields.ts';

const apps: FastifyInstance[] = [];
after(() => Promise.all(apps.map((app) => app.close())));

/** A test app with a route that touches nothing but the limiter, and an owner taken from a test header. */
async function limitedApp(env: Record<string, string>, logStream?: LogCapture): Promise<FastifyInstance> {
  const app = await buildTestApp(env, logStream ? { logStream } : {});
  apps.push(app);
  // The owner a signed-in client would have (x-test-owner), or none: an anonymous client, keyed by its
  // address, whatever test identity an authentication feature's test helper signs requests with.
  app.addHook('onRequest', async (request) => {
    const owner = request.headers['x-test-owner'];
    request.dataScope = typeof owner === 'string' ? { owner_id: owner } : {};
  });
  app.get('/test-only/ping', async () => ({ ok: true }));
  app.post('/test-only/login', { config: { public: true, sensitive: true } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

const from = (remoteAddress: string, extra: InjectOptions = {}): InjectOptions => ({
  url: '/test-only/ping',
  remoteAddress,
  ...extra,
});

function quota(response: LightMyRequestResponse) {
  const [policy] = parseList(String(response.headers['ratelimit-policy']));
  const [state] = parseList(String(response.headers.ratelimit));
  assert.ok(policy && state, 'both fields present');
  assert.equal(policy.item, state.item, 'the state names the policy');
  return { name: state.item, q: policy.params.q, w: policy.params.w, r: state.params.r, t: state.params.t };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function collect(name: string): { messages: unknown[]; stop(): void } {
  const messages: unknown[] = [];
  const listener = (message: unknown) => messages.push(message);
  subscribe(name, listener);
  return { messages, stop: () => unsubscribe(name, listener) };
}

describe('rate limiting', () => {
  it('counts down in RateLimit, then answers 429 problem+json with Retry-After; resets after the window', async () => {
    const app = await limitedApp({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '2000' });
    const rejected = collect('hardened-api:rate-limit.rejected');
    const remaining: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await app.inject(from('203.0.113.1'));
      assert.equal(response.statusCode, 200);
      const fields = quota(response);
      assert.deepEqual([fields.name, fields.q, fields.w], ['default', 3, 2]);
      assert.ok(typeof fields.t === 'number' && fields.t >= 1 && fields.t <= 2, `t=${fields.t}`);
      remaining.push(fields.r);
    }
    assert.deepEqual(remaining, [2, 1, 0]);

    const limited = await app.inject(from('203.0.113.1'));
    rejected.stop();
    assert.equal(limited.statusCode, 429);
    assert.match(String(limited.headers['content-type']), /^application\/problem\+json/);
    assert.equal(limited.json().status, 429);
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 2, `Retry-After ${retryAfter}`);
    assert.equal(quota(limited).r, 0);
    assert.equal(limited.headers['x-ratelimit-limit'], undefined);
    assert.equal(limited.headers['ratelimit-limit'], undefined);
    assert.equal(limited.headers['cache-control'], 'no-store', 'the base security headers survive');
    assert.deepEqual(rejected.messages, [{ policy: 'default' }]);

    await new Promise((resolve) => setTimeout(resolve, 1000 * retryAfter + 100));
    const again = await app.inject(from('203.0.113.1'));
    assert.equal(again.statusCode, 200, 'a new window');
    assert.equal(quota(again).r, 2);
  });

  it('limits real routes and unknown URLs too, but never the health probes', async () => {
    const app = await limitedApp({ RATE_LIMIT_MAX: '2' });
    const client = '203.0.113.2';
    assert.equal((await app.inject({ url: '/v1/items', remoteAddress: client })).statusCode, 200);
    const unknown = await app.inject({ url: '/nope', remoteAddress: client });
    assert.equal(unknown.statusCode, 404);
    assert.equal(quota(unknown).r, 0);
    assert.equal((await app.inject({ url: '/nope', remoteAddress: client })).statusCode, 429);
    assert.equal((await app.inject({ url: '/v1/items', remoteAddress: client })).statusCode, 429);
    for (const url of ['/health/live', '/health/ready', '/health/live']) {
      const probe = await app.inject({ url, remoteAddress: client });
      assert.equal(probe.statusCode, 200, url);
      assert.equal(probe.headers.ratelimit, undefined, url);
    }
  });

  it('sensitive routes have their own, stricter budget', async () => {
    const app = await limitedApp({ RATE_LIMIT_MAX: '100', RATE_LIMIT_SENSITIVE_MAX: '2' });
    const login = from('203.0.113.3', { method: 'POST', url: '/test-only/login' });
    const first = await app.inject(login);
    assert.equal(first.statusCode, 200);
    assert.deepEqual(quota(first), { name: 'sensitive', q: 2, w: 900, r: 1, t: quota(first).t });
    assert.equal((await app.inject(login)).statusCode, 200);
    const third = await app.inject(login);
    assert.equal(third.statusCode, 429);
    assert.ok(Number(third.headers['retry-after']) > 60, 'the sensitive window is long');
    const other = await app.inject(from('203.0.113.3'));
    assert.equal(other.statusCode, 200, 'the default budget is separate');
    assert.equal(quota(other).name, 'default');
  });

  it('one IPv6 /64 is one client', async () => {
    const app = await limitedApp({ RATE_LIMIT_MAX: '2' });
    assert.equal((await app.inject(from('2001:db8:1:2::1'))).statusCode, 200);
    assert.equal((await app.inject(from('2001:db8:1:2:aaaa::9'))).statusCode, 200);
    assert.equal((await app.inject(from('2001:db8:1:2:ffff:ffff:ffff:ffff'))).statusCode, 429);
    assert.equal((await app.inject(from('2001:db8:1:3::1'))).statusCode, 200, 'the next /64 is another client');
    assert.equal(
      clientKey({ ip: '2001:db8:1:2::1', dataScope: {} }),
      clientKey({ ip: '2001:db8:1:2:ab::', dataScope: {} }),
    );
    assert.equal(clientKey({ ip: '::ffff:192.0.2.1', dataScope: {} }), 'ip:192.0.2.1');
  });

  it('a forged X-Forwarded-For from an untrusted peer does not change the key', async () => {
    const direct = await limitedApp({ RATE_LIMIT_MAX: '2' });
    const spoof = (xff: string) => direct.inject(from('203.0.113.4', { headers: { 'x-forwarded-for': xff } }));
    assert.equal((await spoof('198.51.100.1')).statusCode, 200);
    assert.equal((await spoof('198.51.100.2')).statusCode, 200);
    assert.equal((await spoof('198.51.100.3')).statusCode, 429);

    // Control: behind a trusted proxy, the forwarded address is the client.
    const proxied = await limitedApp({ RATE_LIMIT_MAX: '2', TRUST_PROXY: '10.0.0.0/8' });
    for (const client of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      const response = await proxied.inject(from('10.0.0.5', { headers: { 'x-forwarded-for': client } }));
      assert.equal(response.statusCode, 200, client);
    }
  });

  it('a signed-in owner has a budget of their own, wherever they connect from', async () => {
    const app = await limitedApp({ RATE_LIMIT_MAX: '2' });
    const as = (owner: string, ip: string) => app.inject(from(ip, { headers: { 'x-test-owner': owner } }));
    assert.equal((await as('alice', '203.0.113.5')).statusCode, 200);
    assert.equal((await as('alice', '198.51.100.5')).statusCode, 200);
    assert.equal((await as('alice', '192.0.2.5')).statusCode, 429, 'a new address does not help');
    assert.equal((await as('bob', '203.0.113.5')).statusCode, 200, 'the same address, another owner');
  });

  it('two instances on one Redis share one budget', { skip: !process.env.REDIS_URL && 'needs REDIS_URL' }, async () => {
    const shared = { RATE_LIMIT_MAX: '3', REDIS_KEY_PREFIX: uniqueKeyPrefix() };
    const [one, two] = [await limitedApp(shared), await limitedApp(shared)];
    const statuses = [];
    for (const app of [one, two, one, two]) statuses.push((await app.inject(from('203.0.113.6'))).statusCode);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });

  it('Redis unreachable, fail open (the default): served unlimited, logged and published, ready but degraded', async () => {
    const logs = new LogCapture();
    const errors = collect('hardened-api:rate-limit.store-error');
    const app = await limitedApp(
      { RATE_LIMIT_MAX: '1', REDIS_URL: `redis://127.0.0.1:${await closedPort()}`, LOG_LEVEL: 'warn' },
      logs,
    );
    for (let i = 0; i < 3; i++) {
      const response = await app.inject(from('203.0.113.7'));
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers.ratelimit, undefined);
    }
    errors.stop();
    assert.equal(errors.messages.length, 3);
    assert.equal(typeof (errors.messages[0] as { error: unknown }).error, 'string');
    assert.ok(logs.lines.some((line) => line.event === 'rate-limit.store-error' && line.level === 40));
    const ready = await app.inject('/health/ready');
    assert.equal(ready.statusCode, 200, 'an instance that serves stays in the load balancer');
    assert.deepEqual(ready.json().degraded, ['redis']);
  });

  it('Redis unreachable, fail closed: 503 with Retry-After, never a 500', async () => {
    const app = await limitedApp({
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
      RATE_LIMIT_ON_STORE_ERROR: 'closed',
    });
    const response = await app.inject(from('203.0.113.8'));
    assert.equal(response.statusCode, 503);
    assert.equal(response.headers['retry-after'], '5');
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.equal((await app.inject('/health/live')).statusCode, 200);
    assert.equal((await app.inject('/health/ready')).statusCode, 503, 'it cannot serve: not ready');
  });
});
