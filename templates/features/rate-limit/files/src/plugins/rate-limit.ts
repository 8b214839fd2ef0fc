import { channel } from 'node:diagnostics_channel';
import rateLimitPlugin, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../lib/problem.ts';
import { policyField, stateField } from '../lib/rate-limit-headers.ts';
import { sharedRedis } from '../lib/redis.ts';
import { scopeKey } from '../lib/scope.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Login, registration, password reset and the like: the stricter RATE_LIMIT_SENSITIVE_* budget applies. */
    sensitive?: boolean;
  }
}

const rejected = channel('hardened-api:rate-limit.rejected');
const storeError = channel('hardened-api:rate-limit.store-error');

/**
 * Health probes are never limited, nor routes marked `config: { rateLimit: false }` (the metrics
 * scrape): orchestrators and scrapers poll them, and they must answer while clients are throttled.
 */
const HEALTH = /^\/health\//;

/** Clients of one IPv6 /64 are one client: a single host usually holds the whole /64. */
const IPV6_PREFIX = 64;

/**
 * Who a request counts against: the signed-in owner (user or API key, set by authentication as
 * `request.dataScope`), else the client address. `request.ip` honours TRUST_PROXY only, so a client
 * cannot pick its key with X-Forwarded-For.
 */
export function clientKey(request: Pick<FastifyRequest, 'ip' | 'dataScope'>): string {
  if (Object.keys(request.dataScope).length > 0) return `owner:${scopeKey(request.dataScope)}`;
  return `ip:${normalizeIP(request.ip, IPV6_PREFIX)}`;
}

interface Policy {
  name: string;
  max: number;
  windowSeconds: number;
  check: ReturnType<FastifyInstance['createRateLimit']>;
}

/**
 * Per-client request budgets (@fastify/rate-limit's counters, in memory or in Redis when REDIS_URL is
 * set, so that every instance draws on one budget): `default` for every route, `sensitive` (stricter)
 * for routes marked `config: { sensitive: true }`. Every limited response carries RateLimit-Policy and
 * RateLimit; over the budget it is a 429 problem with Retry-After. Unknown URLs count too (scanners).
 *
 * When Redis fails, RATE_LIMIT_ON_STORE_ERROR decides: `open` (default) lets the request through
 * unlimited, `closed` answers 503 + Retry-After; either way it is logged and published, never a 500.
 */
export const rateLimit = fp(
  async (app) => {
    const config = app.config;
    const redis = await sharedRedis(app, { failsOpen: config.RATE_LIMIT_ON_STORE_ERROR === 'open' });
    await app.register(rateLimitPlugin, {
      global: false,
      skipOnError: false,
      ...(redis ? { redis, nameSpace: `${config.REDIS_KEY_PREFIX}rate-limit:` } : {}),
    });

    const policy = (name: string, max: number, windowMs: number): Policy => ({
      name,
      max,
      windowSeconds: Math.ceil(windowMs / 1000),
      check: app.createRateLimit({
        max,
        timeWindow: windowMs,
        keyGenerator: (request) => `${name}:${clientKey(request)}`,
      }),
    });
    const standard = policy('default', config.RATE_LIMIT_MAX, config.RATE_LIMIT_WINDOW_MS);
    const sensitive = policy('sensitive', config.RATE_LIMIT_SENSITIVE_MAX, config.RATE_LIMIT_SENSITIVE_WINDOW_MS);

    async function enforce(request: FastifyRequest, reply: FastifyReply, limit: Policy): Promise<void> {
      let result: Awaited<ReturnType<Policy['check']>>;
      try {
        result = await limit.check(request);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        storeError.publish({ error: message });
        request.log.warn({ event: 'rate-limit.store-error', error: message }, 'rate limit store unavailable');
        if (config.RATE_LIMIT_ON_STORE_ERROR === 'open') return;
        throw new HttpError(503, 'Rate limiting is unavailable: try again shortly.', { 'retry-after': '5' });
      }
      if (result.isAllowed) return;
      reply.header('ratelimit-policy', policyField(limit.name, limit.max, limit.windowSeconds));
      reply.header('ratelimit', stateField(limit.name, result.remaining, result.ttlInSeconds));
      if (!result.isExceeded) return;
      rejected.publish({ policy: limit.name });
      request.log.warn({ event: 'rate-limit.rejected', policy: limit.name, ip: request.ip }, 'rate limit exceeded');
      const seconds = String(result.ttlInSeconds);
      throw new HttpError(429, `Too many requests: try again in ${seconds} seconds.`, { 'retry-after': seconds });
    }

    // preParsing: after every onRequest hook (authentication sets the owner there, whichever plugin
    // registered first), before the body is read. It covers every route, wherever it was registered,
    // and URLs that match none (scanners).
    app.addHook('preParsing', async (request, reply, payload) => {
      const route = request.routeOptions.url;
      const exempt = route !== undefined && (HEALTH.test(route) || request.routeOptions.config.rateLimit === false);
      if (!exempt) {
        await enforce(request, reply, request.routeOptions.config.sensitive === true ? sensitive : standard);
      }
      return payload;
    });
  },
  { name: 'rate-limit' },
);
