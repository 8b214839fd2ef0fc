import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * The same policy as plain headers, for the few responses Fastify writes before any hook runs
 * (malformed URLs, over-long path parameters).
 */
export const FALLBACK_SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cache-control': 'no-store',
};

/**
 * Helmet tuned for a JSON API (its defaults are for HTML pages): nothing may be loaded or framed,
 * no referrer leaks, HSTS for a year. Responses are personal by default, so nothing is cached
 * unless a route says otherwise. Set in onRequest, so error and 404 responses carry them too.
 */
export const securityHeaders = fp(
  async (app) => {
    await app.register(helmet, {
      contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      frameguard: { action: 'deny' },
      hsts: { maxAge: 31_536_000, includeSubDomains: true },
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    });
    app.addHook('onRequest', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });
  },
  { name: 'security-headers' },
);
