import fp from 'fastify-plugin';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';

/**
 * Opens the database (embedded by default, PostgreSQL with DATABASE_URL), applies migrations outside
 * production (production runs `npm run migrate` as a release step), and closes it on shutdown.
 */
export const database = fp(
  async (app) => {
    const db = await openDatabase({ databaseUrl: app.config.DATABASE_URL, sqlitePath: app.config.SQLITE_PATH });
    app.decorate('db', db);
    app.readinessChecks.push({ name: 'database', check: () => db.ping() });
    app.addHook('onClose', () => db.close());
    if (app.config.NODE_ENV !== 'production') await migrate(db);
  },
  { name: 'database' },
);
