// `npm run migrate`: applies pending migrations to the configured database.
import { ConfigError, loadConfig } from '../config.ts';
import { openDatabase } from './database.ts';
import { migrate } from './migrate.ts';

try {
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, sqlitePath: config.SQLITE_PATH });
  const applied = await migrate(db);
  await db.close();
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Up to date.');
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
