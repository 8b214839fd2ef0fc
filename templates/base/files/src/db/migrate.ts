import { readdir, readFile } from 'node:fs/promises';
import type { Database } from './database.ts';

/** Top-level migrations/ folder: the same path from src/ and from dist/, so nothing needs copying. */
const MIGRATIONS = new URL('../../migrations/', import.meta.url);

/**
 * Applies pending `migrations/NNN_name.sql` in order, recorded in schema_migrations, all in one
 * transaction: either every pending migration is applied or none is. A `NNN_name.postgres.sql` or
 * `NNN_name.sqlite.sql` file replaces the portable one for that engine: the only place where the two
 * dialects differ. Instances starting together wait for each other (PostgreSQL: an advisory lock per
 * schema; SQLite: the write lock) instead of racing to create the same tables.
 */
export async function migrate(db: Database): Promise<string[]> {
  const files = (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).sort();
  const versions = [...new Set(files.map((f) => f.replace(/(\.(postgres|sqlite))?\.sql$/, '')))];
  return db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(hashtext(current_schema()))');
    await tx.execute(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    const applied = new Set(
      (await tx.query<{ version: string }>('SELECT version FROM schema_migrations')).map((r) => r.version),
    );
    const done: string[] = [];
    for (const version of versions) {
      if (applied.has(version)) continue;
      const specific = `${version}.${tx.dialect}.sql`;
      const file = files.includes(specific) ? specific : `${version}.sql`;
      if (!files.includes(file)) continue;
      const sql = await readFile(new URL(file, MIGRATIONS), 'utf8');
      for (const statement of splitStatements(sql)) await tx.execute(statement);
      await tx.execute('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        version,
        new Date().toISOString(),
      ]);
      done.push(version);
    }
    return done;
  });
}

/** Statements are separated by `;` at the end of a line (migrations keep to that). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}
