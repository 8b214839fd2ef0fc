import pg from 'pg';
import type { Database, SqlValue } from './database.ts';

/** PostgreSQL through a small pool; fails fast instead of hanging when the server is unreachable. */
export function openPostgres(connectionString: string): Database {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000 });
  const on = (client: pg.Pool | pg.PoolClient): Database => ({
    dialect: 'postgres',
    async query<Row>(sql: string, params: readonly SqlValue[] = []) {
      return (await client.query(sql, params as SqlValue[])).rows as Row[];
    },
    async execute(sql, params = []) {
      return (await client.query(sql, params as SqlValue[])).rowCount ?? 0;
    },
    async transaction(work) {
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        const result = await work(on(connection));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK');
        throw error;
      } finally {
        connection.release();
      }
    },
    async ping() {
      await client.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  });
  return on(pool);
}
