import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildTestApp, createItem } from '../helpers/app.ts';

function assertHardened(response: LightMyRequestResponse, label: string): void {
  const h = response.headers;
  assert.equal(h['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", label);
  assert.equal(h['x-content-type-options'], 'nosniff', label);
  assert.equal(h['x-frame-options'], 'DENY', label);
  assert.equal(h['referrer-policy'], 'no-referrer', label);
  assert.match(String(h['strict-transport-security']), /^max-age=31536000; includeSubDomains/, label);
  // `no-store`, or `private, no-store` for a signed-in client (caching says so): never stored.
  assert.match(String(h['cache-control']), /^(private, )?no-store$/, label);
  assert.match(String(h['x-request-id']), /^[A-Za-z0-9-]{1,64}$/, label);
  assert.equal(h['x-powered-by'], undefined, label);
  assert.equal(h.server, undefined, label);
}

describe('security headers survive every path', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp({ BODY_LIMIT: '2048' });
    app.get('/test-only/boom', async () => {
      throw new Error('relation "users" does not exist at /srv/app/src/secret.ts:12');
    });
    await app.ready();
  });
  after(() => app.close());

  it('200, 201, 204, 400, 404, 413, 415 and 500', async () => {
    const item = await createItem(app);
    const cases: [string, string | InjectOptions, number][] = [
      ['list', '/v1/items', 200],
      ['create', { method: 'POST', url: '/v1/items', payload: { name: 'x' } }, 201],
      ['delete', { method: 'DELETE', url: `/v1/items/${item.id}` }, 204],
      ['invalid', { method: 'POST', url: '/v1/items', payload: { name: 5 } }, 400],
      ['missing', '/nope', 404],
      ['too large', { method: 'POST', url: '/v1/items', payload: { name: 'x', description: 'y'.repeat(4096) } }, 413],
      [
        'media type',
        { method: 'POST', url: '/v1/items', payload: '<name>x</name>', headers: { 'content-type': 'application/xml' } },
        415,
      ],
      ['crash', '/test-only/boom', 500],
    ];
    for (const [label, request, status] of cases) {
      const response = await app.inject(request);
      assert.equal(response.statusCode, status, label);
      assertHardened(response, label);
      if (status >= 400) {
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/, label);
        const body = response.json();
        assert.equal(body.status, status, label);
        assert.equal(typeof body.title, 'string', label);
        assert.equal(body.type, 'about:blank', label);
      }
    }
  });

  it('a 500 says nothing internal', async () => {
    const response = await app.inject('/test-only/boom');
    assert.doesNotMatch(response.body, /users|\/srv|secret|stack|at /);
    assert.deepEqual(Object.keys(response.json()).sort(), ['detail', 'instance', 'status', 'title', 'type']);
  });

  it('only declared methods: TRACE, PUT and unknown verbs are never 200', async () => {
    for (const method of ['TRACE', 'PUT', 'OPTIONS'] as const) {
      const response = await app.inject({ method, url: '/v1/items' });
      assert.ok([404, 405].includes(response.statusCode), `${method} gave ${response.statusCode}`);
    }
  });
});

describe('CORS allowlist', () => {
  let app: FastifyInstance;
  before(async () => {
    app = await buildTestApp({ CORS_ORIGINS: 'https://app.example' });
  });
  after(() => app.close());

  const preflight = (origin: string) =>
    app.inject({ method: 'OPTIONS', url: '/v1/items', headers: { origin, 'access-control-request-method': 'POST' } });

  it('echoes an allowed origin with Vary: Origin', async () => {
    const response = await preflight('https://app.example');
    assert.equal(response.headers['access-control-allow-origin'], 'https://app.example');
    assert.match(String(response.headers.vary), /Origin/i);
    assert.equal(response.headers['access-control-allow-credentials'], undefined);
  });

  it('gives another origin nothing', async () => {
    for (const origin of ['https://evil.example', 'null', 'https://app.example.evil.example']) {
      const response = await preflight(origin);
      assert.equal(response.headers['access-control-allow-origin'], undefined, origin);
    }
    const simple = await app.inject({ url: '/v1/items', headers: { origin: 'https://evil.example' } });
    assert.equal(simple.headers['access-control-allow-origin'], undefined);
  });

  it('sends no CORS headers at all when no origin is configured', async () => {
    const closed = await buildTestApp();
    const response = await closed.inject({ url: '/v1/items', headers: { origin: 'https://app.example' } });
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    await closed.close();
  });
});
