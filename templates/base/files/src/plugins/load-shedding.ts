import underPressure from '@fastify/under-pressure';
import fp from 'fastify-plugin';
import { HttpError } from '../lib/problem.ts';

const RETRY_AFTER_SECONDS = '10';

/**
 * Sheds load with 503 + Retry-After when the event loop falls behind, and once shutdown has begun
 * (so that a load balancer moves traffic elsewhere while in-flight requests finish).
 */
export const loadShedding = fp(
  async (app) => {
    let closing = false;
    let reaper: NodeJS.Timeout | undefined;
    app.addHook('preClose', async () => {
      closing = true;
      // Keep-alive connections whose in-flight request finishes during shutdown become idle only
      // after close() began; close them as they do, so shutdown does not wait out the keep-alive timeout.
      reaper = setInterval(() => app.server.closeIdleConnections(), 50).unref();
    });
    app.addHook('onClose', async () => clearInterval(reaper));
    app.addHook('onRequest', (_request, reply, done) => {
      if (!closing) return done();
      reply.header('connection', 'close');
      done(new HttpError(503, 'The server is shutting down.', { 'retry-after': '5' }));
    });
    await app.register(underPressure, {
      maxEventLoopDelay: app.config.MAX_EVENT_LOOP_DELAY_MS,
      retryAfter: Number(RETRY_AFTER_SECONDS),
      pressureHandler: () => {
        throw new HttpError(503, 'The server is overloaded.', { 'retry-after': RETRY_AFTER_SECONDS });
      },
    });
  },
  { name: 'load-shedding' },
);
