import { createHash } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import type {
  FastifyReply,
  FastifyRequest,
  onRequestAbortHookHandler,
  onResponseHookHandler,
  onSendHookHandler,
  preHandlerHookHandler,
  RouteOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import { sharedRedis } from '../lib/redis.ts';
import { type CachedResponse, memoryStore, redisStore } from '../lib/response-cache.ts';
import { scopeKey } from '../lib/scope.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false`: never serve this route's reads from the application cache (ETags still apply). */
    cache?: boolean;
  }
}

const lookups = channel('hardened-api:cache.lookup');

/** Reads of a resource: its collection or one member, e.g. `/v1/items` and `/v1/items/:id` (resource `items`). */
const READ = /^\/v\d+\/([A-Za-z0-9_-]+)(?:\/:[A-Za-z0-9_]+)?\/?$/;
/** Anything under a resource, in any API version (they share its data). */
const RESOURCE = /^\/v\d+\/([A-Za-z0-9_-]+)(?:\/|$)/;
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Headers that belong to a cached body (its ETag included); everything else is set per request by the hooks. */
const KEPT_HEADERS = ['content-type', 'link', 'etag'];

interface Miss {
  resource: string;
  generation: string;
  key: string;
  promise: Promise<CachedResponse | undefined>;
  settle(value: CachedResponse | undefined): void;
}

/** Credentials or an owner scope make a response personal: never stored by shared caches. */
function isPersonal(request: FastifyRequest): boolean {
  const { authorization, cookie } = request.headers;
  return (
    Object.keys(request.dataScope).length > 0 ||
    authorization !== undefined ||
    cookie !== undefined ||
    request.headers['x-api-key'] !== undefined
  );
}

/** The owner scope and the URL (query included): one user's entry is never another's. */
function cacheKey(request: FastifyRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([scopeKey(request.dataScope), request.url]))
    .digest('base64url');
}

/** A strong validator: the SHA-256 of the body. */
const etagOf = (body: string | Buffer) => `"${createHash('sha256').update(body).digest('base64url')}"`;

/** If-None-Match uses the weak comparison (RFC 9110 13.1.2): `W/` is ignored, `*` matches anything. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === etag;
  });
}

function appendHook<T>(existing: T | T[] | undefined, hook: T): T[] {
  const hooks = Array.isArray(existing) ? existing : existing ? [existing] : [];
  return hooks.includes(hook) ? hooks : [...hooks, hook];
}

/**
 * HTTP caching and an application cache of reads.
 *
 * - Every GET answered 200 gets a strong ETag (SHA-256 of the body); a matching If-None-Match gets 304.
 *   Cache-Control: `private, no-store` when the request is personal (credentials or an owner scope),
 *   `public, max-age=CACHE_PUBLIC_MAX_AGE` for anonymous ones when that is above 0, else the base's
 *   `no-store`.
 * - Reads of a resource (`/vN/<resource>` and `/vN/<resource>/:id`) are served from a cache (a bounded
 *   LRU in memory, or Redis when REDIS_URL is set) keyed by owner scope and URL, for CACHE_TTL_MS;
 *   concurrent identical misses share one database read; any write to the resource (POST, PUT, PATCH,
 *   DELETE under `/vN/<resource>`, any version) invalidates all its entries before the write's
 *   response leaves. A read route opts out with `config: { cache: false }` (data that changes
 *   otherwise, or that depends on more than the owner scope and the URL). Without Redis, each
 *   instance invalidates only its own cache: run one instance, or set REDIS_URL. A cache failure is a
 *   miss (logged), never an error.
 */
export const caching = fp(
  async (app) => {
    const { CACHE_TTL_MS, CACHE_MAX_ENTRIES, CACHE_MAX_MB, CACHE_PUBLIC_MAX_AGE, REDIS_KEY_PREFIX } = app.config;
    const redis = await sharedRedis(app, { failsOpen: true });
    const store = redis
      ? redisStore(redis, `${REDIS_KEY_PREFIX}cache:`, CACHE_TTL_MS)
      : memoryStore(CACHE_MAX_ENTRIES, CACHE_MAX_MB * 1024 * 1024, CACHE_TTL_MS);
    /** Reads in progress, per resource and key: identical requests wait for the first one. */
    const inflight = new Map<string, Map<string, Promise<CachedResponse | undefined>>>();
    const misses = new WeakMap<FastifyRequest, Miss>();
    /** After a failed invalidation, stored entries may be stale: bypass the cache until they expire. */
    let bypassUntil = 0;

    const unavailable = (request: FastifyRequest, action: string, error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      request.log.warn({ event: 'cache.error', action, error: message }, 'cache unavailable: serving uncached');
    };

    const serve = (reply: FastifyReply, cached: CachedResponse) => reply.headers(cached.headers).send(cached.body);

    const finish = (request: FastifyRequest, value: CachedResponse | undefined) => {
      const miss = misses.get(request);
      if (!miss) return;
      misses.delete(request);
      const keys = inflight.get(miss.resource);
      if (keys?.get(miss.key) === miss.promise) keys.delete(miss.key);
      miss.settle(value);
    };

    const lookup =
      (resource: string): preHandlerHookHandler =>
      async (request, reply) => {
        if (request.method !== 'GET' || Date.now() < bypassUntil) return;
        const key = cacheKey(request);
        const pending = inflight.get(resource)?.get(key);
        if (pending) {
          const shared = await pending;
          lookups.publish({ cache: resource, hit: shared !== undefined });
          if (shared) return serve(reply, shared);
          return;
        }
        // Registered before the first await, so that identical requests arriving meanwhile wait for this one.
        let settle: Miss['settle'] = () => {};
        const promise = new Promise<CachedResponse | undefined>((resolve) => {
          settle = resolve;
        });
        inflight.set(resource, (inflight.get(resource) ?? new Map()).set(key, promise));
        const miss: Miss = { resource, generation: '', key, promise, settle };
        misses.set(request, miss);
        let cached: CachedResponse | undefined;
        try {
          miss.generation = await store.generation(resource);
          cached = await store.get(resource, miss.generation, key);
        } catch (error) {
          unavailable(request, 'lookup', error);
          finish(request, undefined);
          return;
        }
        lookups.publish({ cache: resource, hit: cached !== undefined });
        if (!cached) return;
        finish(request, cached);
        return serve(reply, cached);
      };

    const remember: onSendHookHandler = async (request, reply, payload) => {
      const miss = misses.get(request);
      if (!miss) return payload;
      let value: CachedResponse | undefined;
      if (reply.statusCode === 200 && typeof payload === 'string') {
        // Hashed once here and kept with the entry: a hit's ETag comes with it, not from hashing again.
        reply.header('etag', etagOf(payload));
        const headers: Record<string, string> = {};
        for (const name of KEPT_HEADERS) {
          const header = reply.getHeader(name);
          if (header !== undefined) headers[name] = String(header);
        }
        value = { body: payload, headers };
        try {
          await store.set(miss.resource, miss.generation, miss.key, value);
        } catch (error) {
          unavailable(request, 'store', error);
        }
      }
      finish(request, value);
      return payload;
    };

    // A read that ends without a response body (aborted, or failed before onSend) releases its waiters.
    const forget: onResponseHookHandler = (request, _reply, done) => {
      finish(request, undefined);
      done();
    };
    const forgetAborted: onRequestAbortHookHandler = (request, done) => {
      finish(request, undefined);
      done();
    };

    const invalidate =
      (resource: string): onSendHookHandler =>
      async (request, _reply, payload) => {
        inflight.delete(resource);
        try {
          await store.invalidate(resource);
        } catch (error) {
          bypassUntil = Date.now() + CACHE_TTL_MS;
          unavailable(request, 'invalidate', error);
        }
        return payload;
      };

    const httpCaching: onSendHookHandler = async (request, reply, payload) => {
      if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return payload;
      let body = payload;
      if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
        const known = reply.getHeader('etag');
        const etag = typeof known === 'string' ? known : etagOf(payload);
        reply.header('etag', etag);
        if (matches(request.headers['if-none-match'], etag)) {
          reply.code(304);
          body = '';
        }
      }
      if (reply.getHeader('cache-control') === 'no-store') {
        if (isPersonal(request)) reply.header('cache-control', 'private, no-store');
        else if (CACHE_PUBLIC_MAX_AGE > 0) {
          reply.header('cache-control', `public, max-age=${CACHE_PUBLIC_MAX_AGE}`);
          // A shared cache may answer a request with credentials from a `public` response: keep them apart.
          const vary = reply.getHeader('vary');
          reply.header('vary', [vary, 'Authorization, Cookie, X-API-Key'].filter(Boolean).join(', '));
        }
      }
      return body;
    };

    const invalidators = new Map<string, onSendHookHandler>();
    const readers = new Map<string, preHandlerHookHandler>();
    app.addHook('onRoute', (route: RouteOptions) => {
      if (route.url.startsWith('/health/')) return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const resource = RESOURCE.exec(route.url)?.[1];
      if (resource && methods.some((method) => WRITES.has(method))) {
        const hook = invalidators.get(resource) ?? invalidate(resource);
        invalidators.set(resource, hook);
        route.onSend = appendHook(route.onSend, hook);
      }
      if (!methods.includes('GET')) return;
      const read = route.config?.cache === false ? undefined : READ.exec(route.url)?.[1];
      if (read) {
        const hook = readers.get(read) ?? lookup(read);
        readers.set(read, hook);
        route.preHandler = appendHook(route.preHandler, hook);
        route.onSend = appendHook(route.onSend, remember);
        route.onResponse = appendHook(route.onResponse, forget);
        route.onRequestAbort = appendHook(route.onRequestAbort, forgetAborted);
      }
      route.onSend = appendHook(route.onSend, httpCaching);
    });
  },
  { name: 'caching' },
);
