import type { ReadinessCheck } from './lib/readiness.ts';
import type { DataScope } from './lib/scope.ts';

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
