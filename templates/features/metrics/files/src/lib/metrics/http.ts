import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { BoundedLabel } from './bounded-label.ts';

/** The `route` of every request that matched no route: 404s on random paths add no series. */
export const UNKNOWN_ROUTE = '__unknown__';
/** The `client` of requests beyond METRICS_CLIENT_LIMIT distinct clients. */
export const OTHER_CLIENT = '__other__';

const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT']);

/**
 * RED metrics (rate, errors, duration) per method, route template and status class. The histogram child
 * of each label combination is created once and kept: recording a request is a few map lookups and one
 * observation. http_requests_total is the histogram's count, copied when Prometheus scrapes, so each
 * request pays for one metric, not two.
 */
export class HttpMetrics {
  /** Requests between onRequest and their response (or abort); read when Prometheus scrapes. */
  inFlight = 0;
  readonly #duration: Histogram<string>;
  readonly #series = new Map<string | undefined, Map<string, (Histogram.Internal<string> | undefined)[]>>();
  readonly #perClient: ((client: string) => void) | undefined;

  constructor(registry: Registry, clientLimit: number) {
    const labelNames = ['method', 'route', 'status_class'];
    this.#duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to sending its response, by route template',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    const duration = this.#duration;
    new Counter({
      name: 'http_requests_total',
      help: 'Requests answered, by method, route template and status class',
      labelNames,
      registers: [registry],
      async collect() {
        const { values } = await duration.get();
        this.reset();
        for (const { metricName, labels, value } of values) {
          if (metricName === 'http_request_duration_seconds_count') this.inc(labels, value);
        }
      },
    });
    const inFlight: Gauge = new Gauge({
      name: 'http_requests_in_flight',
      help: 'Requests being processed',
      registers: [registry],
      collect: () => inFlight.set(this.inFlight),
    });
    this.#perClient = clientLimit > 0 ? perClientCounter(registry, clientLimit) : undefined;
  }

  record(method: string, url: string | undefined, statusCode: number, seconds: number): void {
    this.#seriesFor(method, url, statusCode).observe(seconds);
  }

  /** Counts a request for the client (the signed-in owner) when METRICS_CLIENT_LIMIT is above 0. */
  recordClient(client: string | undefined): void {
    this.#perClient?.(client ?? 'anonymous');
  }

  #seriesFor(method: string, url: string | undefined, statusCode: number): Histogram.Internal<string> {
    let byMethod = this.#series.get(url);
    if (!byMethod) {
      byMethod = new Map();
      this.#series.set(url, byMethod);
    }
    let byClass = byMethod.get(method);
    if (!byClass) {
      byClass = [];
      byMethod.set(method, byClass);
    }
    const index = Math.min(Math.max(Math.floor(statusCode / 100) - 1, 0), STATUS_CLASSES.length - 1);
    let series = byClass[index];
    if (!series) {
      const labels = [METHODS.has(method) ? method : 'OTHER', routeLabel(url), STATUS_CLASSES[index] as string];
      series = this.#duration.labels(...labels);
      byClass[index] = series;
    }
    return series;
  }
}

/** `/v1/items/` and `/v1/items` are one route to whoever reads the dashboard. */
function routeLabel(url: string | undefined): string {
  if (url === undefined) return UNKNOWN_ROUTE;
  return url.length > 1 && url.endsWith('/') ? url.slice(0, -1) : url;
}

function perClientCounter(registry: Registry, limit: number): (client: string) => void {
  const counter = new Counter({
    name: 'http_client_requests_total',
    help: `Requests per client (signed-in user); beyond ${limit} distinct clients counted as ${OTHER_CLIENT}`,
    labelNames: ['client'],
    registers: [registry],
  });
  const clients = new BoundedLabel(limit, OTHER_CLIENT);
  const children = new Map<string, Counter.Internal>();
  return (client) => {
    let child = children.get(client);
    if (!child) {
      child = counter.labels(clients.value(client));
      // Clients beyond the limit are not remembered one by one: the map stays bounded too.
      if (children.size < limit) children.set(client, child);
    }
    child.inc();
  };
}
