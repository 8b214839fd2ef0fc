import { readFileSync } from 'node:fs';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { Type } from 'typebox';
import { HttpMetrics } from '../lib/metrics/http.ts';
import { countSignals } from '../lib/metrics/signals.ts';
import { bearerTokenCheck } from '../lib/metrics/token.ts';
import { HttpError } from '../lib/problem.ts';
import { ProblemSchema, problemResponses } from '../schemas/problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Counted in http_requests_in_flight until its response or abort. */
    metricsInFlight: boolean;
  }
}

export const METRICS_PATH = '/metrics';

/**
 * prom-client's default gauges named `*_total`: `promtool check metrics` rejects a gauge with that
 * suffix (it is a counter's), and the same numbers are in nodejs_active_*.
 */
const MISNAMED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * Health probes and scrapes are infrastructure traffic, polled every few seconds: counted in flight,
 * but kept out of the request metrics so that they do not dilute error ratios and latencies.
 */
const unmeasured = (url: string): boolean => url === METRICS_PATH || url.startsWith('/health/');

/**
 * Route options of /metrics: public to the API's own authentication (the bearer token below decides),
 * never rate limited (`rateLimit: false` is @fastify/rate-limit's convention), and left out of the
 * OpenAPI document (it is for Prometheus, not for API clients).
 */
const ROUTE_CONFIG = { public: true, rateLimit: false as const };
const ROUTE_SCHEMA = { hide: true, response: { 200: Type.String(), 401: ProblemSchema, ...problemResponses } };

let processRegistry: Registry | undefined;

/**
 * Process and runtime metrics (CPU, memory, GC, event loop lag): one collector per process, shared by
 * every app it builds. A collector per app would leave its GC observer and event loop monitor running
 * after the app closes (tests build many apps).
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    for (const name of MISNAMED_DEFAULTS) processRegistry.removeSingleMetric(name);
  }
  return processRegistry;
}

/** The project's name and version, from package.json (two levels up from src/plugins, dist/plugins, dist/bundle). */
function buildInfo(): { name: string; version: string } {
  const pkg: { name?: string; version?: string } = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  );
  return { name: pkg.name ?? 'api', version: pkg.version ?? '0.0.0' };
}

/**
 * Prometheus metrics on GET /metrics, for a scraper presenting `Authorization: Bearer <METRICS_TOKEN>`:
 * RED metrics per route template (src/lib/metrics/http.ts), requests in flight, the process and
 * runtime defaults, build info, and the signals other features publish (src/lib/metrics/signals.ts).
 * Each app has its own registry, so several apps in one process (tests) never share series; the
 * process metrics are the process's.
 */
export const metrics = fp(
  async (app) => {
    const runtime = processMetrics();
    const registry = new Registry();
    const info = buildInfo();
    new Gauge({
      name: 'app_build_info',
      help: 'Always 1; the labels say which build is running',
      labelNames: ['name', 'version'],
      registers: [registry],
    }).set(info, 1);
    const http = new HttpMetrics(registry, app.config.METRICS_CLIENT_LIMIT);
    const stopCounting = countSignals(registry);
    app.addHook('onClose', async () => {
      stopCounting();
      registry.clear();
    });

    app.decorateRequest('metricsInFlight', false);
    app.addHook('onRequest', (request, _reply, done) => {
      http.inFlight++;
      request.metricsInFlight = true;
      done();
    });
    app.addHook('onRequestAbort', (request, done) => {
      if (request.metricsInFlight) http.inFlight--;
      request.metricsInFlight = false;
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      if (request.metricsInFlight) http.inFlight--;
      request.metricsInFlight = false;
      const url = request.routeOptions.url;
      if (url !== undefined && unmeasured(url)) return done();
      http.record(request.method, url, reply.statusCode, reply.elapsedTime / 1000);
      // dataScope is unset when a request failed before the base's request context ran (a framework error).
      http.recordClient(request.dataScope?.owner_id);
      done();
    });

    const authorized = bearerTokenCheck(app.config.METRICS_TOKEN);
    if (app.config.METRICS_TOKEN === '') app.log.warn('METRICS_TOKEN is not set: /metrics refuses every request');
    app.get(
      METRICS_PATH,
      {
        config: ROUTE_CONFIG,
        schema: ROUTE_SCHEMA,
        onRequest: (request, _reply, done) => {
          if (authorized(request.headers.authorization)) return done();
          done(
            new HttpError(401, 'A valid bearer token is required.', { 'www-authenticate': 'Bearer realm="metrics"' }),
          );
        },
      },
      async (_request, reply) => {
        reply.header('content-type', registry.contentType).header('cache-control', 'no-store');
        return Registry.merge([runtime, registry]).metrics();
      },
    );
  },
  { name: 'metrics' },
);
