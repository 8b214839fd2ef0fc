/** Column -> value pairs that confine every query of a request (e.g. `{ owner_id }` when signed in). */
export type DataScope = Readonly<Record<string, string>>;

export const NO_SCOPE: DataScope = Object.freeze({});

const COLUMN = /^[a-z_][a-z0-9_]{0,62}$/;

/** The scope's (column, value) pairs; column names are checked because they go into SQL text. */
export function scopeEntries(scope: DataScope): [string, string][] {
  const entries = Object.entries(scope);
  for (const [column] of entries) if (!COLUMN.test(column)) throw new Error(`Invalid scope column: ${column}`);
  return entries;
}

/** One string per scope, whatever its property order: what caches, rate limits and idempotency keys use. */
export function scopeKey(scope: DataScope): string {
  return JSON.stringify(Object.entries(scope).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `AND col = $n` for each scope entry, numbering placeholders from `firstIndex`. */
export function scopeConditions(scope: DataScope, firstIndex: number): { sql: string; params: string[] } {
  const entries = scopeEntries(scope);
  return {
    sql: entries.map(([column], i) => ` AND ${column} = $${firstIndex + i}`).join(''),
    params: entries.map(([, value]) => value),
  };
}
