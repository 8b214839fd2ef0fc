import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Upstream } from '../../src/lib/upstream/client.ts';
import { upstreamProblem } from '../../src/lib/upstream/errors.ts';
import { OutboundGuard } from '../../src/lib/upstream/guard.ts';
import { problemResponses } from '../../src/schemas/problem.ts';
import { buildTestApp } from '../helpers/app.ts';
import { type FakeUpstream, fakeUpstream, hang, json } from '../helpers/fake-upstream.ts';

/**
 * A route that calls the upstream and lets its failures through as problems: what a route without a
 * fallback does. Every failure must come out as problem+json with the right status and no internals.
 */
describe('upstream failures as problem+json', () => {
  let upstream: FakeUpstream;
  let client: Upstream;
  let app: FastifyInstance;

  before(async () => {
    upstream = await fakeUpstream();
    client = new Upstream({
      name: 'probe',
      baseUrl: upstream.url,
      guard: new OutboundGuard({ allowedOrigins: [upstream.url], allowedNetworks: ['127.0.0.1/32'] }),
      connectTimeoutMs: 500,
      attemptTimeoutMs: 150,
      deadlineMs: 400,
      maxRetries: 0,
      maxConcurrency: 10,
      breaker: { consecutiveFailures: 2, resetMs: 60_000 },
    });
    app = await buildTestApp();
    app.get(
      '/test/upstream',
      { schema: { response: { 200: Type.Object({ ok: Type.Boolean() }), ...problemResponses } } },
      async () => {
        try {
          return await client.getJson('', Type.Object({ ok: Type.Boolean() }));
        } catch (error) {
          throw upstreamProblem(error);
        }
      },
    );
  });
  after(async () => {
    await app.close();
    await client.close();
    await upstream.close();
  });

  const call = () => app.inject({ method: 'GET', url: '/test/upstream' });

  function assertProblem(response: Awaited<ReturnType<typeof call>>, status: number) {
    assert.equal(response.statusCode, status, response.body);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    const body = response.json() as Record<string, unknown>;
    assert.equal(body.status, status);
    assert.doesNotMatch(response.body, /probe|127\.0\.0\.1|ECONN|undici/, 'no upstream internals');
  }

  it('a slow upstream: 504', async () => {
    upstream.answer(hang);
    assertProblem(await call(), 504);
  });

  it('a malformed payload: 502', async () => {
    upstream.answer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{');
    });
    assertProblem(await call(), 502);
  });

  it('an upstream that says when to come back: 503 with its Retry-After', async () => {
    upstream.answer(json(503, {}, { 'retry-after': '7' }));
    const response = await call();
    assertProblem(response, 503);
    assert.equal(response.headers['retry-after'], '7');
  });

  it('an open circuit: 503 with Retry-After, and the upstream is not called', async () => {
    upstream.answer(json(500, {}));
    assertProblem(await call(), 502);
    const hits = upstream.hits;
    const response = await call();
    assertProblem(response, 503);
    assert.ok(Number(response.headers['retry-after']) > 50);
    assert.equal(upstream.hits, hits);
  });
});
