import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { buildTestApp } from '../helpers/app.ts';
import { type FakeUpstream, fakeUpstream, hang, json } from '../helpers/fake-upstream.ts';

const RATES = { base: 'EUR', date: '2026-11-30', rates: { USD: 1.05, CHF: 0.93 } };

let upstream: FakeUpstream;
let app: FastifyInstance | undefined;

/** The app with UPSTREAM_URL on the fake upstream (loopback allowed unless `env` says otherwise). */
async function appFor(env: Record<string, string> = {}): Promise<FastifyInstance> {
  app = await buildTestApp({
    UPSTREAM_URL: `${upstream.url}/latest`,
    OUTBOUND_ALLOWED_NETWORKS: '127.0.0.1/32',
    UPSTREAM_TIMEOUT_MS: '200',
    UPSTREAM_DEADLINE_MS: '500',
    UPSTREAM_MAX_RETRIES: '1',
    UPSTREAM_BREAKER_FAILURES: '3',
    UPSTREAM_BREAKER_RESET_MS: '60000',
    ...env,
  });
  return app;
}

async function rates(target: FastifyInstance) {
  const response = await target.inject({ method: 'GET', url: '/v1/exchange-rates' });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as {
    base: string;
    date: string | null;
    rates: { currency: string; rate: number }[];
    source: string;
  };
}

beforeEach(async () => {
  upstream = await fakeUpstream(json(200, RATES));
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await upstream.close();
});

describe('GET /v1/exchange-rates', () => {
  it('serves the upstream rates, validated and reshaped', async () => {
    const body = await rates(await appFor());
    assert.equal(body.source, 'upstream');
    assert.equal(body.base, 'EUR');
    assert.equal(body.date, '2026-11-30');
    assert.deepEqual(body.rates, [
      { currency: 'USD', rate: 1.05 },
      { currency: 'CHF', rate: 0.93 },
    ]);
    assert.equal(upstream.requests[0]?.method, 'GET');
  });

  it('serves the last good rates, marked as such, when the upstream fails', async () => {
    const target = await appFor();
    await rates(target);
    upstream.answer(json(503, { error: 'down' }));
    const body = await rates(target);
    assert.equal(body.source, 'last-good');
    assert.equal(body.rates.length, 2);
  });

  it('serves the defaults when the upstream never answered well: hanging, or a malformed payload', async () => {
    upstream.answer(hang);
    const hanging = await appFor();
    await hanging.inject('/health/live'); // warm: the clock below measures the upstream call only
    const started = performance.now();
    assert.equal((await rates(hanging)).source, 'default');
    assert.ok(performance.now() - started < 1000, 'within the deadline');
    await app?.close();

    upstream.answer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('<html>oops</html>');
    });
    const body = await rates(await appFor());
    assert.deepEqual([body.source, body.rates], ['default', []]);
    await app?.close();

    upstream.answer(json(200, { base: 'EUR', rates: 'none' }));
    assert.equal((await rates(await appFor())).source, 'default');
  });

  it('stops calling a failing upstream once its circuit opens, and still answers', async () => {
    const target = await appFor({ UPSTREAM_MAX_RETRIES: '0' });
    await rates(target);
    upstream.answer(json(500, {}));
    for (let i = 0; i < 3; i += 1) assert.equal((await rates(target)).source, 'last-good');
    const hits = upstream.hits;
    for (let i = 0; i < 5; i += 1) assert.equal((await rates(target)).source, 'last-good');
    assert.equal(upstream.hits, hits, 'the open circuit kept the calls from the upstream');
  });

  it('never calls an internal address that is not allowlisted', async () => {
    const body = await rates(await appFor({ OUTBOUND_ALLOWED_NETWORKS: '' }));
    assert.equal(body.source, 'default');
    assert.equal(upstream.hits, 0);
  });

  it('serves the defaults when no upstream is configured', async () => {
    const body = await rates(await appFor({ UPSTREAM_URL: '' }));
    assert.equal(body.source, 'default');
    assert.equal(upstream.hits, 0);
  });

  it('refuses to start with an upstream deadline that outlasts the request timeout', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SQLITE_PATH: ':memory:',
      REQUEST_TIMEOUT_MS: '5000',
      UPSTREAM_DEADLINE_MS: '5000',
    });
    await assert.rejects(buildApp(config), /UPSTREAM_DEADLINE_MS must be shorter than REQUEST_TIMEOUT_MS/);
  });
});
