import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../helpers/app.ts';
import { find, METRICS_TOKEN, scrape } from '../helpers/metrics.ts';

describe('metrics: /metrics access', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp({ METRICS_TOKEN });
  });
  after(() => app.close());

  for (const [name, authorization] of [
    ['no credentials', undefined],
    ['a wrong token', 'Bearer wrong-token-0123456789abcdef0123'],
    ['the token one character short', `Bearer ${METRICS_TOKEN.slice(0, -1)}`],
    ['the token under another scheme', `Basic ${METRICS_TOKEN}`],
    ['the token with trailing text', `Bearer ${METRICS_TOKEN} x`],
  ] as const) {
    it(`refuses ${name} with 401 problem+json`, async () => {
      const response = await app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });
      assert.equal(response.statusCode, 401);
      assert.match(response.headers['content-type'] ?? '', /^application\/problem\+json/);
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="metrics"');
      assert.doesNotMatch(response.body, /http_requests_total/);
    });
  }

  it('serves the Prometheus text format to the token, case-insensitive scheme, never cached', async () => {
    const response = await app.inject({ url: '/metrics', headers: { authorization: `bearer ${METRICS_TOKEN}` } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.match(response.body, /^# TYPE http_requests_total counter$/m);
  });

  it('is exempt from rate limits: 150 scrapes in a row all answer 200', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 150; i++) {
      const response = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      statuses.add(response.statusCode);
    }
    assert.deepEqual([...statuses], [200]);
  });
});

describe('metrics: without METRICS_TOKEN', () => {
  it('refuses every request, whatever it presents', async () => {
    const app = await buildTestApp({ METRICS_TOKEN: '' });
    for (const authorization of ['Bearer ', 'Bearer x', `Bearer ${METRICS_TOKEN}`]) {
      assert.equal((await app.inject({ url: '/metrics', headers: { authorization } })).statusCode, 401);
    }
    await app.close();
  });
});

describe('metrics: HTTP requests', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp({ METRICS_TOKEN });
    // Public, so that an authentication feature lets them through: one success, one server error.
    app.get('/test/ok', { config: { public: true } }, async () => ({ ok: true }));
    app.get('/test/fail', { config: { public: true } }, async () => {
      throw new Error('boom');
    });
  });
  after(() => app.close());

  it('labels requests by route template: two item ids make one series', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await app.inject(`/v1/items/${a}`);
    await app.inject(`/v1/items/${b}`);
    const { text, samples } = await scrape(app);
    const series = find(samples, 'http_requests_total', { method: 'GET', route: '/v1/items/:id' });
    assert.equal(series.length, 1, 'one series whatever the status');
    assert.equal(series[0]?.value, 2);
    assert.equal(find(samples, 'http_request_duration_seconds_count', { route: '/v1/items/:id' })[0]?.value, 2);
    assert.ok(!text.includes(a) && !text.includes(b), 'no id in any label');
  });

  it('collapses unknown paths into one route label: 100 random 404s add no series', async () => {
    // An app of its own: a hundred requests would use up the other tests' budget when rate-limit is present.
    const app = await buildTestApp({ METRICS_TOKEN });
    after(() => app.close());
    await app.inject(`/${randomUUID()}`);
    const before = await scrape(app);
    const unknownBefore = find(before.samples, 'http_requests_total', { route: '__unknown__' });
    for (let i = 0; i < 100; i++) await app.inject(`/${randomUUID()}/${i}`);
    const afterwards = await scrape(app);
    const names = (samples: { name: string; labels: Record<string, string> }[]) =>
      new Set(samples.filter((s) => s.name.startsWith('http_')).map((s) => `${s.name}${JSON.stringify(s.labels)}`));
    assert.deepEqual(names(afterwards.samples), names(before.samples));
    const unknown = find(afterwards.samples, 'http_requests_total', { route: '__unknown__' });
    assert.deepEqual(
      unknown.map((s) => s.labels.status_class),
      unknownBefore.map((s) => s.labels.status_class),
    );
    assert.ok(unknown.every((s) => s.labels.status_class === '4xx'));
    const total = (samples: { value: number }[]) => samples.reduce((sum, s) => sum + s.value, 0);
    assert.equal(total(unknown) - total(unknownBefore), 100);
  });

  it('labels by status class', async () => {
    await app.inject('/test/ok');
    await app.inject('/test/fail');
    await app.inject('/test/fail');
    const { samples } = await scrape(app);
    assert.equal(find(samples, 'http_requests_total', { route: '/test/ok', status_class: '2xx' })[0]?.value, 1);
    assert.equal(find(samples, 'http_requests_total', { route: '/test/fail', status_class: '5xx' })[0]?.value, 2);
    assert.equal(
      find(samples, 'http_request_duration_seconds_bucket', { route: '/test/fail', le: '+Inf' })[0]?.value,
      2,
    );
  });

  it('leaves health probes and scrapes out of the request metrics, but counts them in flight', async () => {
    await app.inject('/health/live');
    await app.inject('/health/ready');
    const { samples } = await scrape(app);
    const routes = new Set(find(samples, 'http_requests_total').map((s) => s.labels.route));
    assert.ok(
      ![...routes].some((route) => route === '/metrics' || route?.startsWith('/health/')),
      [...routes].join(', '),
    );
    assert.deepEqual(find(samples, 'http_requests_in_flight'), [
      { name: 'http_requests_in_flight', labels: {}, value: 1 },
    ]);
  });

  it('exposes runtime defaults and build info, without the gauges misnamed *_total', async () => {
    const { samples, text } = await scrape(app);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      assert.equal(find(samples, name).length, 1, name);
    }
    assert.match(text, /^# TYPE nodejs_eventloop_lag_p99_seconds gauge$/m);
    assert.doesNotMatch(text, /^nodejs_active_\w+_total/m);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Record<
      string,
      string
    >;
    assert.deepEqual(find(samples, 'app_build_info'), [
      { name: 'app_build_info', labels: { name: pkg.name, version: pkg.version }, value: 1 },
    ]);
  });

  it('keeps the per-client counter off by default', async () => {
    assert.doesNotMatch((await scrape(app)).text, /http_client_requests_total/);
  });
});

describe('metrics: per-client usage', () => {
  it('counts up to METRICS_CLIENT_LIMIT clients, the rest as one series', async () => {
    const app = await buildTestApp({ METRICS_TOKEN, METRICS_CLIENT_LIMIT: '2' });
    // Stands in for authentication, which sets the owner scope of a signed-in request.
    app.get('/test/as-client', { config: { public: true } }, async (request) => {
      request.dataScope = { owner_id: String(request.headers['x-test-client']) };
      return { ok: true };
    });
    for (const client of ['alice', 'bob', 'alice', 'carol', 'dave']) {
      await app.inject({ url: '/test/as-client', headers: { 'x-test-client': client } });
    }
    const counts = Object.fromEntries(
      find((await scrape(app)).samples, 'http_client_requests_total')
        .filter((s) => s.labels.client !== 'anonymous')
        .map((s) => [s.labels.client, s.value]),
    );
    assert.deepEqual(counts, { alice: 2, bob: 1, __other__: 2 });
    await app.close();
  });
});

describe('metrics: signals from other features (diagnostics channels)', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp({ METRICS_TOKEN });
  });
  after(() => app.close());

  const publish = (name: string, message: object) => channel(`hardened-api:${name}`).publish(message);

  it('counts auth failures, denials, rate-limit rejections and store errors', async () => {
    publish('auth.failure', { reason: 'expired' });
    publish('auth.failure', { reason: 'expired' });
    publish('authz.denied', { permission: 'items:delete' });
    publish('rate-limit.rejected', { policy: 'sensitive' });
    publish('rate-limit.store-error', { error: 'connect ECONNREFUSED 127.0.0.1:6379' });
    const { samples, text } = await scrape(app);
    assert.equal(find(samples, 'auth_failures_total', { reason: 'expired' })[0]?.value, 2);
    assert.equal(find(samples, 'authz_denials_total', { permission: 'items:delete' })[0]?.value, 1);
    assert.equal(find(samples, 'rate_limit_rejections_total', { policy: 'sensitive' })[0]?.value, 1);
    assert.equal(find(samples, 'rate_limit_store_errors_total')[0]?.value, 1);
    assert.doesNotMatch(text, /ECONNREFUSED/, 'error messages are not labels');
  });

  it('counts cache hits and misses', async () => {
    publish('cache.lookup', { cache: 'items', hit: true });
    publish('cache.lookup', { cache: 'items', hit: false });
    publish('cache.lookup', { cache: 'items', hit: true });
    const { samples } = await scrape(app);
    assert.equal(find(samples, 'cache_lookups_total', { cache: 'items', result: 'hit' })[0]?.value, 2);
    assert.equal(find(samples, 'cache_lookups_total', { cache: 'items', result: 'miss' })[0]?.value, 1);
  });

  it('shows the current circuit state per upstream, ignoring unknown states', async () => {
    publish('circuit.state', { upstream: 'payments', state: 'open' });
    publish('circuit.state', { upstream: 'payments', state: 'half-open' });
    publish('circuit.state', { upstream: 'payments', state: 'melted' });
    const states = Object.fromEntries(
      find((await scrape(app)).samples, 'circuit_breaker_state', { upstream: 'payments' }).map((s) => [
        s.labels.state,
        s.value,
      ]),
    );
    assert.deepEqual(states, { closed: 0, open: 0, 'half-open': 1 });
  });

  it('bounds label values that publishers choose: at most 50 reasons, then "other"', async () => {
    for (let i = 0; i < 80; i++) publish('auth.failure', { reason: `reason-${i}` });
    publish('auth.failure', { reason: 42 });
    const reasons = find((await scrape(app)).samples, 'auth_failures_total');
    // 'expired' (above), reason-0 to reason-48, and the 32 that came after the limit as 'other'.
    assert.equal(reasons.length, 51);
    assert.equal(find(reasons, 'auth_failures_total', { reason: 'other' })[0]?.value, 32);
  });
});

describe('metrics: closing the app', () => {
  it('unsubscribes from every channel', async () => {
    const names = [
      'auth.failure',
      'authz.denied',
      'rate-limit.rejected',
      'rate-limit.store-error',
      'cache.lookup',
      'circuit.state',
    ];
    const subscribed = () => names.filter((name) => channel(`hardened-api:${name}`).hasSubscribers);
    const app = await buildTestApp({ METRICS_TOKEN });
    assert.deepEqual(subscribed(), names);
    await app.close();
    assert.deepEqual(subscribed(), []);
  });
});
