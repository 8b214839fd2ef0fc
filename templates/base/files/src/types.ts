import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
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
