import fp from 'fastify-plugin';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { Type } from 'typebox';
import { HttpMetrics } from '../lib/metrics/http.ts';
import { countSignals } from '../lib/metrics/signals.ts';
import { bearerTokenCheck } from '../lib/metrics/token.ts';
import { packageInfo } from '../lib/package-info.ts';
import { HttpError, sendProblem } from '../lib/problem.ts';
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

export interface MetricsSettings {
  /** The bearer token a scraper must present; empty refuses every request. */
  METRICS_TOKEN: string;
  /** Distinct signed-in clients counted per client (0: off). */
  METRICS_CLIENT_LIMIT: number;
}

/**
 * Prometheus metrics on GET /metrics, for a scraper presenting `Authorization: Bearer <METRICS_TOKEN>`
 * (settings: the plugin's options):
 * RED metrics per route template (src/lib/metrics/http.ts), requests in flight, the process and
 * runtime defaults, build info, and the signals other features publish (src/lib/metrics/signals.ts).
 * Each app has its own registry, so several apps in one process (tests) never share series; the
 * process metrics are the process's.
 */
export const metrics = fp<MetricsSettings>(
  async (app, settings) => {
    const runtime = processMetrics();
    const registry = new Registry();
    const info = packageInfo();
    new Gauge({
      name: 'app_build_info',
      help: 'Always 1; the labels say which build is running',
      labelNames: ['name', 'version'],
      registers: [registry],
    }).set(info, 1);
    const http = new HttpMetrics(registry, settings.METRICS_CLIENT_LIMIT);
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
      const { owner_id: owner } = request.dataScope ?? {};
      http.recordClient(owner);
      done();
    });

    const authorized = bearerTokenCheck(settings.METRICS_TOKEN);
    if (settings.METRICS_TOKEN === '') app.log.warn('METRICS_TOKEN is not set: /metrics refuses every request');
    app.get(
      METRICS_PATH,
      {
        config: ROUTE_CONFIG,
        schema: ROUTE_SCHEMA,
        onRequest: async (request, reply) => {
          if (authorized(request.headers.authorization)) return;
          const refusal = new HttpError(401, 'A valid bearer token is required.', {
            'www-authenticate': 'Bearer realm="metrics"',
          });
          return sendProblem(request, reply, refusal);
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
