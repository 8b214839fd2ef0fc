import type { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { requestIdFrom } from './lib/request-id.ts';
import { RequestLog } from './lib/request-log.ts';
import { serializerCompiler } from './lib/serialization.ts';
import { validatorCompiler } from './lib/validation.ts';
import { corsAllowlist } from './plugins/cors.ts';
import { database } from './plugins/database.ts';
import { errorHandling, frameworkError } from './plugins/errors.ts';
import { loadShedding } from './plugins/load-shedding.ts';
import { requestContext } from './plugins/request-context.ts';
import { securityHeaders } from './plugins/security-headers.ts';
import { healthRoutes } from './routes/health.ts';
import { v1Routes } from './routes/v1/index.ts';
import './types.ts';

/** Log fields that must never be written: credentials in headers and secrets in any payload. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.apiKey',
];

export interface AppOptions {
  /** Where logs go (tests capture them); standard output by default. */
  logStream?: Writable;
}

/** Builds the API: plugins for each concern, then the routes. Features register theirs before the routes. */
export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const trustedProxies = config.TRUST_PROXY.split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    logController: new RequestLog(),
    genReqId: (request) => requestIdFrom(request.headers['x-request-id']),
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    bodyLimit: config.BODY_LIMIT,
    routerOptions: { maxParamLength: 100 },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    connectionTimeout: config.CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    // Node enforces the headers and request timeouts on a timer (every 30 s by default, which lets a
    // slow-headers client hold a socket up to 40 s): check every second instead.
    http: { headersTimeout: config.HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1000 },
    return503OnClosing: false,
    frameworkErrors: frameworkError,
  })
    .setValidatorCompiler(validatorCompiler)
    .setSerializerCompiler(serializerCompiler);

  app.decorate('config', config);
  app.decorate('readinessChecks', []);
  await app.register(requestContext);
  await app.register(securityHeaders);
  await app.register(corsAllowlist);
  await app.register(errorHandling);
  await app.register(loadShedding);
  await app.register(database);
  await app.register(healthRoutes);
  await app.register(v1Routes, { prefix: '/v1' });
  return app;
}
