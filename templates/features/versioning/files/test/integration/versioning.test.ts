import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { v1Lifecycle } from '../../src/plugins/versioning.ts';
import { buildTestApp } from '../helpers/app.ts';

const HOUR = 3_600_000;
/** RFC 9651 sf-date: `@` and an integer number of seconds. */
const SF_DATE = /^@-?\d{1,15}$/;
/** RFC 9110 IMF-fixdate. */
const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

const iso = (ms: number) => new Date(ms).toISOString();

async function withApp(env: Record<string, string>, run: (app: FastifyInstance) => Promise<void>): Promise<void> {
  const app = await buildTestApp(env);
  try {
    await run(app);
  } finally {
    await app.close();
  }
}

function assertLifecycleHeaders(
  response: LightMyRequestResponse,
  deprecatedAt: number,
  sunsetAt: number,
  what: string,
) {
  const deprecation = String(response.headers.deprecation);
  assert.match(deprecation, SF_DATE, `${what}: Deprecation is an sf-date`);
  assert.equal(Number(deprecation.slice(1)), Math.floor(deprecatedAt / 1000), `${what}: Deprecation`);
  const sunset = String(response.headers.sunset);
  assert.match(sunset, IMF_FIXDATE, `${what}: Sunset is an IMF-fixdate`);
  assert.equal(Date.parse(sunset), Math.floor(sunsetAt / 1000) * 1000, `${what}: Sunset`);
  assert.match(String(response.headers.link), /<\/versions>; rel="deprecation"/, `${what}: Link to the policy`);
}

describe('API versions', () => {
  it('v2 pages items as { data, page: { next } } over the same data v1 sees as { data, nextCursor }', async () => {
    await withApp({}, async (app) => {
      const created: string[] = [];
      for (const name of ['a', 'b', 'c']) {
        const response = await app.inject({ method: 'POST', url: '/v2/items', payload: { name } });
        assert.equal(response.statusCode, 201);
        assert.match(String(response.headers.location), /^\/v2\/items\/[0-9a-f-]{36}$/);
        created.push(response.json().id);
      }
      const seen: string[] = [];
      let url = '/v2/items?limit=2&sort=name';
      for (let pages = 0; pages < 5; pages++) {
        const page = (await app.inject({ method: 'GET', url })).json() as {
          data: { id: string }[];
          page: { next: string | null };
        };
        assert.deepEqual(Object.keys(page).sort(), ['data', 'page']);
        seen.push(...page.data.map((item) => item.id));
        if (page.page.next === null) break;
        url = `/v2/items?limit=2&sort=name&cursor=${page.page.next}`;
      }
      assert.deepEqual(seen, created);

      const v1 = (await app.inject({ method: 'GET', url: '/v1/items?limit=2&sort=name' })).json();
      assert.deepEqual(Object.keys(v1).sort(), ['data', 'nextCursor']);
      assert.deepEqual(
        v1.data.map((item: { id: string }) => item.id),
        created.slice(0, 2),
      );
      const [first] = created;
      const v1Item = await app.inject({ method: 'GET', url: `/v1/items/${first}` });
      const v2Item = await app.inject({ method: 'GET', url: `/v2/items/${first}` });
      assert.deepEqual(v1Item.json(), v2Item.json());
      const patched = await app.inject({ method: 'PATCH', url: `/v2/items/${first}`, payload: { status: 'active' } });
      assert.equal(patched.json().status, 'active');
      assert.equal((await app.inject({ method: 'DELETE', url: `/v2/items/${first}` })).statusCode, 204);
      assert.equal((await app.inject({ method: 'GET', url: `/v1/items/${first}` })).statusCode, 404);
    });
  });

  it('v2 validates like v1: unknown fields and oversized pages are rejected', async () => {
    await withApp({}, async (app) => {
      const extra = await app.inject({ method: 'POST', url: '/v2/items', payload: { name: 'x', ownerId: 'me' } });
      assert.equal(extra.statusCode, 400);
      assert.match(String(extra.headers['content-type']), /^application\/problem\+json/);
      assert.equal((await app.inject({ method: 'GET', url: '/v2/items?limit=100000' })).statusCode, 400);
    });
  });

  it('without announced dates, v1 carries no deprecation headers', async () => {
    await withApp({}, async (app) => {
      const response = await app.inject({ method: 'GET', url: '/v1/items' });
      assert.equal(response.statusCode, 200);
      for (const name of ['deprecation', 'sunset', 'link']) assert.equal(response.headers[name], undefined, name);
      const versions = (await app.inject({ method: 'GET', url: '/versions' })).json();
      assert.deepEqual(versions.versions, [
        { version: 'v1', status: 'current' },
        { version: 'v2', status: 'current' },
      ]);
    });
  });
});

describe('v1 deprecation and sunset', () => {
  const deprecatedAt = Date.now() - 24 * HOUR;
  const sunsetAt = Date.now() + 24 * HOUR;
  const env = { API_V1_DEPRECATED_AT: iso(deprecatedAt), API_V1_SUNSET_AT: iso(sunsetAt) };

  it('marks every v1 response, success or error, with Deprecation, Sunset and Link', async () => {
    await withApp(env, async (app) => {
      const created = await app.inject({ method: 'POST', url: '/v1/items', payload: { name: 'old' } });
      assert.equal(created.statusCode, 201);
      const id = created.json().id as string;
      const responses: [string, LightMyRequestResponse][] = [
        ['POST /v1/items', created],
        ['GET /v1/items', await app.inject({ method: 'GET', url: '/v1/items' })],
        [`GET /v1/items/${id}`, await app.inject({ method: 'GET', url: `/v1/items/${id}` })],
        ['GET /v1/items?limit=0 (400)', await app.inject({ method: 'GET', url: '/v1/items?limit=0' })],
        ['GET /v1/nothing-here (404)', await app.inject({ method: 'GET', url: '/v1/nothing-here' })],
      ];
      assert.deepEqual(
        responses.map(([, r]) => r.statusCode),
        [201, 200, 200, 400, 404],
      );
      for (const [what, response] of responses) assertLifecycleHeaders(response, deprecatedAt, sunsetAt, what);

      const item = responses[2]?.[1];
      assert.match(String(item?.headers.link), new RegExp(`</v2/items/${id}>; rel="successor-version"`));
      const missing = responses[4]?.[1];
      assert.doesNotMatch(String(missing?.headers.link), /successor-version/, 'no successor for a route v2 lacks');

      const v2 = await app.inject({ method: 'GET', url: `/v2/items/${id}` });
      assert.equal(v2.statusCode, 200);
      for (const name of ['deprecation', 'sunset', 'link']) assert.equal(v2.headers[name], undefined, `v2: ${name}`);

      const versions = (await app.inject({ method: 'GET', url: '/versions' })).json();
      assert.deepEqual(versions.versions[0], {
        version: 'v1',
        status: 'deprecated',
        deprecatedAt: iso(deprecatedAt),
        sunsetAt: iso(sunsetAt),
        successor: 'v2',
      });
    });
  });

  it('answers 410 Gone as problem+json from the sunset on (clock moved past it)', async () => {
    const now = Date.now();
    mock.timers.enable({ apis: ['Date'], now });
    try {
      const sunset = now + HOUR;
      await withApp({ API_V1_DEPRECATED_AT: iso(now - HOUR), API_V1_SUNSET_AT: iso(sunset) }, async (app) => {
        assert.equal((await app.inject({ method: 'GET', url: '/v1/items' })).statusCode, 200);
        mock.timers.tick(HOUR);
        const gone = await app.inject({ method: 'GET', url: '/v1/items' });
        assert.equal(gone.statusCode, 410);
        assert.match(String(gone.headers['content-type']), /^application\/problem\+json/);
        const body = gone.json();
        assert.equal(body.status, 410);
        assert.match(body.detail, /\/v2/);
        assertLifecycleHeaders(gone, now - HOUR, sunset, 'after the sunset');
        assert.equal((await app.inject({ method: 'POST', url: '/v1/items', payload: { name: 'x' } })).statusCode, 410);
        assert.equal((await app.inject({ method: 'GET', url: '/v2/items' })).statusCode, 200);
        const versions = (await app.inject({ method: 'GET', url: '/versions' })).json();
        assert.equal(versions.versions[0].status, 'retired');
      });
    } finally {
      mock.timers.reset();
    }
  });

  it('refuses a sunset that is not after the deprecation, and a date that does not exist', () => {
    assert.throws(
      () => v1Lifecycle({ API_V1_DEPRECATED_AT: '2027-06-30', API_V1_SUNSET_AT: '2027-01-01' }),
      /API_V1_SUNSET_AT must be later than API_V1_DEPRECATED_AT/,
    );
    assert.throws(
      () => v1Lifecycle({ API_V1_DEPRECATED_AT: '', API_V1_SUNSET_AT: '2027-13-45' }),
      /API_V1_SUNSET_AT is not a date/,
    );
    assert.throws(() => loadConfig({ API_V1_SUNSET_AT: 'next tuesday' }), /API_V1_SUNSET_AT/);
  });
});
