import type { FastifyPluginAsync, onRequestHookHandler } from 'fastify';
import { Type } from 'typebox';
import { docsEnabled } from './openapi.ts';

/**
 * The docs page's own policy (every other response keeps `default-src 'none'`): Swagger UI's scripts,
 * styles and images from this server, the document fetched from it, nothing inline, never framed.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const docsPolicy: onRequestHookHandler = (_request, reply, done) => {
  reply.header('content-security-policy', DOCS_CSP);
  done();
};

/**
 * Serves the OpenAPI document at /openapi.json and Swagger UI at /docs. Both are public (the document
 * describes how to authenticate), so they are off in production unless DOCS_ENABLED=true.
 */
export const apiDocs: FastifyPluginAsync = async (app) => {
  if (!docsEnabled(app.config)) return;

  app.get(
    '/openapi.json',
    {
      config: { public: true },
      schema: {
        hide: true,
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: Type.Object({ openapi: Type.String({ maxLength: 10 }) }, { additionalProperties: true }) },
      },
    },
    async () => app.swagger(),
  );

  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    docs.addHook('onRequest', docsPolicy);
    const { default: swaggerUi } = await import('@fastify/swagger-ui');
    // BaseLayout: without the top bar, whose logo carries an inline <style> the policy would block.
    await docs.register(swaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true, layout: 'BaseLayout' } });
  });
};
