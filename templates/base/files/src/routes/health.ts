import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HttpError } from '../lib/problem.ts';
import { problemResponses } from '../schemas/problem.ts';

const Status = Type.Object({ status: Type.Literal('ok') });
const Readiness = Type.Object({
  status: Type.Literal('ok'),
  /** Dependencies that are down but that the API serves without (see ReadinessCheck.required). */
  degraded: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 20 })),
});

/** Liveness needs nothing; readiness checks every registered dependency. Both are public. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = { public: true };
  app.get('/health/live', { config, schema: { tags: ['health'], response: { 200: Status } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/health/ready',
    { config, schema: { tags: ['health'], response: { 200: Readiness, ...problemResponses } } },
    async (request) => {
      const results = await Promise.allSettled(app.readinessChecks.map((c) => c.check()));
      const down = app.readinessChecks.filter((_, i) => results[i]?.status === 'rejected');
      const failed = down.filter((c) => c.required !== false).map((c) => c.name);
      if (failed.length > 0) {
        request.log.warn({ event: 'readiness.failed', failed }, 'not ready');
        throw new HttpError(503, `Not ready: ${failed.join(', ')}`, { 'retry-after': '5' });
      }
      if (down.length === 0) return { status: 'ok' as const };
      const degraded = down.map((c) => c.name);
      request.log.warn({ event: 'readiness.degraded', degraded }, 'ready, without some dependencies');
      return { status: 'ok' as const, degraded };
    },
  );
};
