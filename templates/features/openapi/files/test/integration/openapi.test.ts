import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { DOCS_CSP } from '../../src/plugins/api-docs.ts';
import { SECURITY_HEADERS } from '../../src/plugins/security-headers.ts';
import { buildTestApp } from '../helpers/app.ts';
import { testDatabase } from '../helpers/database.ts';

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Routes hidden from the document: the documentation itself, and /metrics (for Prometheus, not clients). */
const DOCUMENTATION = /^\/(docs(\/.*)?|openapi\.json|metrics)$/;

const obj = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};

/** Every operation of the document, as `METHOD /path` with its object. */
function operations(document: Json): [string, Json][] {
  return Object.entries(obj(document.paths)).flatMap(([path, item]) =>
    Object.entries(obj(item))
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]): [string, Json] => [`${method.toUpperCase()} ${path}`, obj(operation)]),
  );
}

/** The router's own list of routes (independent of any onRoute hook), as `METHOD /path` in OpenAPI form. */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = `${parents[depth - 1] ?? ''}${match[2]}`;
    parents[depth] = path;
    const openapiPath = (path.length > 1 ? path.replace(/\/$/, '') : path).replace(/:(\w+)/g, '{$1}');
    for (const method of (match[3] ?? '').split(', ').filter(Boolean)) {
      if (method !== 'HEAD' && method !== 'OPTIONS' && !DOCUMENTATION.test(path))
        routes.push(`${method} ${openapiPath}`);
    }
  }
  return [...new Set(routes)];
}

/** Resolves a local `$ref` (`#/components/...`) in the document, or returns undefined. */
function resolve(document: Json, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, part) => obj(node)[part], document);
}

function refs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refs(item, found);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refs(value, found);
    }
  }
  return found;
}

/** An app with `overrides` applied to an otherwise valid test configuration (NODE_ENV=production, say). */
async function appWith(overrides: Partial<Config>): Promise<FastifyInstance> {
  const database = await testDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SQLITE_PATH: ':memory:',
    DATABASE_URL: database.url,
  });
  const app = await buildApp({ ...config, ...overrides });
  app.addHook('onClose', () => database.drop());
  return app;
}

describe('the OpenAPI document', () => {
  let app: FastifyInstance;
  let document: Json;

  before(async () => {
    app = await buildTestApp();
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(response.statusCode, 200);
    document = response.json();
  });
  after(() => app.close());

  it('is structurally OpenAPI 3.1: info, paths, unique operationIds, resolvable references', () => {
    assert.equal(document.openapi, '3.1.0');
    const info = obj(document.info);
    assert.ok(typeof info.title === 'string' && info.title.length > 0);
    assert.ok(typeof info.version === 'string' && info.version.length > 0);
    const ids = operations(document).map(([, operation]) => operation.operationId);
    assert.ok(ids.length > 0);
    assert.ok(
      ids.every((id) => typeof id === 'string' && /^[A-Za-z0-9]+$/.test(id)),
      'every operation has an operationId',
    );
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    for (const [name, operation] of operations(document)) {
      const responses = Object.entries(obj(operation.responses));
      assert.ok(responses.length > 0, `${name} has responses`);
      for (const [code, response] of responses) {
        assert.match(code, /^[1-5]\d\d$/, `${name}: status ${code}`);
        assert.equal(typeof obj(response).description, 'string', `${name} ${code} has a description`);
      }
    }
    for (const ref of refs(document)) assert.notEqual(resolve(document, ref), undefined, `${ref} resolves`);
  });

  it('documents every route the router serves, and nothing else', () => {
    const documented = operations(document).map(([name]) => name);
    const registered = registeredRoutes(app);
    assert.ok(registered.length > 0);
    assert.deepEqual([...documented].sort(), [...registered].sort());
  });

  it('documents errors as problem+json, with Retry-After where clients must wait', () => {
    for (const [name, operation] of operations(document)) {
      const responses = obj(operation.responses);
      assert.ok(responses['500'] && responses['503'], `${name} documents 500 and 503`);
      for (const [code, response] of Object.entries(responses)) {
        const content = Object.keys(obj(obj(response).content));
        if (Number(code) >= 400) assert.deepEqual(content, ['application/problem+json'], `${name} ${code}`);
        const headers = obj(obj(response).headers);
        if (code === '429' || code === '503') assert.ok(headers['Retry-After'], `${name} ${code} has Retry-After`);
      }
    }
  });

  it('says what the API really answers: a missing item is a documented 404 problem', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/items/0190a4d8-7c1e-7000-8000-000000000000' });
    assert.equal(response.statusCode, 404);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    const operation = obj(obj(obj(document.paths)['/v1/items/{id}']).get);
    assert.ok(obj(operation.responses)['404'], 'GET /v1/items/{id} documents 404');
  });
});

describe('/docs', () => {
  it('serves Swagger UI under its own CSP, while API responses keep the strict one', async () => {
    const app = await buildTestApp();
    try {
      const page = await app.inject({ method: 'GET', url: '/docs' });
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.equal(page.headers['content-security-policy'], DOCS_CSP);
      assert.doesNotMatch(DOCS_CSP, /unsafe-inline|unsafe-eval|\*/);
      const script = await app.inject({ method: 'GET', url: '/docs/static/swagger-ui-bundle.js' });
      assert.equal(script.statusCode, 200);
      assert.equal(script.headers['content-security-policy'], DOCS_CSP);
      for (const url of ['/openapi.json', '/v1/items', '/no-such-route']) {
        const response = await app.inject({ method: 'GET', url });
        assert.equal(response.headers['content-security-policy'], SECURITY_HEADERS['content-security-policy'], url);
      }
    } finally {
      await app.close();
    }
  });

  it('is off in production unless DOCS_ENABLED=true', async () => {
    for (const [overrides, status] of [
      [{ NODE_ENV: 'production' }, 404],
      [{ NODE_ENV: 'production', DOCS_ENABLED: true }, 200],
      [{ NODE_ENV: 'development', DOCS_ENABLED: false }, 404],
    ] as const) {
      const app = await appWith(overrides);
      try {
        for (const url of ['/docs', '/openapi.json']) {
          const response = await app.inject({ method: 'GET', url });
          assert.equal(response.statusCode, status, `${url} with ${JSON.stringify(overrides)}`);
        }
      } finally {
        await app.close();
      }
    }
  });
});
