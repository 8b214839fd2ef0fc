import fp from 'fastify-plugin';
import { NO_SCOPE } from '../lib/scope.ts';

/** Per-request basics: echo the request id and start with no data scope. */
export const requestContext = fp(
  async (app) => {
    app.decorateRequest('dataScope', null as never);
    app.addHook('onRequest', (request, reply, done) => {
      request.dataScope = NO_SCOPE;
      reply.header('x-request-id', request.id);
      done();
    });
  },
  { name: 'request-context' },
);
