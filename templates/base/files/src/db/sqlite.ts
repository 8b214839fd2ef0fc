import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { Database, SqlValue } from './database.ts';

/** SQLite numbers its placeholders `?1`; the app writes PostgreSQL's `$1`. This is the only translation. */
const toSqlite = (sql: string) => sql.replace(/\$(\d+)/g, '?$1');

/**
 * The embedded database (node:sqlite, built into Node: nothing to install or compile). One connection;
 * a transaction holds a lock so that other requests' statements cannot slip into it.
 */
export function openSqlite(file: string): Database {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(toSqlite(sql));
      statements.set(sql, statement);
    }
    return statement;
  };
  let lock: Promise<unknown> = Promise.resolve();

  const direct: Database = {
    dialect: 'sqlite',
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      return prepare(sql).all(...(params as SQLInputValue[])) as Row[];
    },
    async execute(sql, params = []) {
      return Number(prepare(sql).run(...(params as SQLInputValue[])).changes);
    },
    transaction: (work) => work(direct),
    async ping() {
      prepare('SELECT 1').get();
    },
    async close() {
      db.close();
    },
  };

  const guarded: Database = {
    ...direct,
    async query(sql, params) {
      await lock;
      return direct.query(sql, params);
    },
    async execute(sql, params) {
      await lock;
      return direct.execute(sql, params);
    },
    transaction<T>(work: (tx: Database) => Promise<T>): Promise<T> {
      const run = lock.then(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(direct);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      });
      lock = run.catch(() => undefined);
      return run;
    },
    async close() {
      await lock;
      db.close();
    },
  };
  return guarded;
}
