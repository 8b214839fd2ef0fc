export type SqlValue = string | number | null;

/**
 * The one interface the app uses for SQL, whatever the engine. Statements use `$1, $2, ...`
 * placeholders and are always parameterized: values never go into the SQL text.
 */
export interface Database {
  readonly dialect: 'sqlite' | 'postgres';
  query<Row>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs a statement; returns the number of affected rows. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<number>;
  transaction<T>(work: (db: Database) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The embedded database unless DATABASE_URL names a PostgreSQL server. */
export async function openDatabase(options: { databaseUrl: string; sqlitePath: string }): Promise<Database> {
  if (options.databaseUrl) {
    const { openPostgres } = await import('./postgres.ts');
    return openPostgres(options.databaseUrl);
  }
  const { openSqlite } = await import('./sqlite.ts');
  return openSqlite(options.sqlitePath);
}
