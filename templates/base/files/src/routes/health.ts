import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { HttpError } from '../lib/problem.ts';
import { problemResponses } from '../schemas/problem.ts';

const Status = Type.Object({ status: Type.Literal('ok') });

/** Liveness needs nothing; readiness checks every registered dependency. Both are public. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = { public: true };
  app.get('/health/live', { config, schema: { tags: ['health'], response: { 200: Status } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/health/ready',
    { config, schema: { tags: ['health'], response: { 200: Status, ...problemResponses } } },
    async (request) => {
      const results = await Promise.allSettled(app.readinessChecks.map((c) => c.check()));
      const failed = app.readinessChecks.filter((_, i) => results[i]?.status === 'rejected').map((c) => c.name);
      if (failed.length > 0) {
        request.log.warn({ event: 'readiness.failed', failed }, 'not ready');
        throw new HttpError(503, `Not ready: ${failed.join(', ')}`, { 'retry-after': '5' });
      }
      return { status: 'ok' as const };
    },
  );
};
