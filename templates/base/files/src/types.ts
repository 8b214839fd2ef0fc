import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { ReadinessCheck } from './lib/readiness.ts';
import type { DataScope } from './lib/scope.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Database;
    /** Dependencies /health/ready verifies; features with a dependency (Redis, ...) add theirs. */
    readinessChecks: ReadinessCheck[];
  }
  interface FastifyRequest {
    /** Confines data access (e.g. to the signed-in owner); empty when nothing confines it. */
    dataScope: DataScope;
  }
  interface FastifyContextConfig {
    /** Reachable without credentials (health, login, docs): deny-by-default auth lets it through. */
    public?: boolean;
  }
}
