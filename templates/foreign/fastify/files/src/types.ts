import type { DataScope } from './lib/scope.ts';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
  /**
   * False when the API serves without it (every user of it fails open): readiness then stays 200 and
   * names it under `degraded`, so that its outage does not take every instance out of service at once.
   */
  required?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Dependencies a readiness route verifies; features with a dependency (Redis, ...) add theirs. */
    readinessChecks: ReadinessCheck[];
  }
  interface FastifyRequest {
    /** Who the request's data belongs to, for keys of caches and rate limits; empty: not known here. */
    dataScope: DataScope;
  }
  interface FastifyContextConfig {
    /** Reachable without credentials (health, docs, metrics with its own token). */
    public?: boolean;
  }
}
