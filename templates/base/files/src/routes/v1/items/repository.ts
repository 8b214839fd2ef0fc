import type { Database, SqlValue } from '../../../db/database.ts';
import { type Cursor, encodeCursor } from '../../../lib/cursor.ts';
import { uuidv7 } from '../../../lib/ids.ts';
import { type DataScope, scopeConditions, scopeEntries } from '../../../lib/scope.ts';
import type { CreateItem, Item, ListItems, UpdateItem } from './schemas.ts';

interface ItemRow {
  id: string;
  name: string;
  description: string;
  status: Item['status'];
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, name, description, status, created_at, updated_at';
const SORT_COLUMNS = { createdAt: 'created_at', name: 'name' } as const;

const toItem = (row: ItemRow): Item => ({
  id: row.id,
  name: row.name,
  description: row.description,
  status: row.status,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/**
 * Data access for items. Every statement is parameterized and confined to the caller's scope:
 * a row outside it is indistinguishable from a missing one.
 */
export function itemsRepository(db: Database) {
  return {
    async create(scope: DataScope, input: CreateItem): Promise<Item> {
      const now = new Date().toISOString();
      const row: ItemRow = {
        id: uuidv7(),
        name: input.name,
        description: input.description ?? '',
        status: input.status ?? 'draft',
        created_at: now,
        updated_at: now,
      };
      const scoped = scopeEntries(scope);
      const columns = [...Object.keys(row), ...scoped.map(([column]) => column)];
      const values: SqlValue[] = [...Object.values(row), ...scoped.map(([, value]) => value)];
      await db.execute(
        `INSERT INTO items (${columns.join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
        values,
      );
      return toItem(row);
    },

    async get(scope: DataScope, id: string): Promise<Item | undefined> {
      const where = scopeConditions(scope, 2);
      const [row] = await db.query<ItemRow>(`SELECT ${COLUMNS} FROM items WHERE id = $1${where.sql}`, [
        id,
        ...where.params,
      ]);
      return row && toItem(row);
    },

    async update(scope: DataScope, id: string, patch: UpdateItem): Promise<Item | undefined> {
      const sets: string[] = [];
      const values: SqlValue[] = [];
      for (const [field, column] of [
        ['name', 'name'],
        ['description', 'description'],
        ['status', 'status'],
      ] as const) {
        const value = patch[field];
        if (value === undefined) continue;
        values.push(value);
        sets.push(`${column} = $${values.length}`);
      }
      values.push(new Date().toISOString());
      sets.push(`updated_at = $${values.length}`);
      values.push(id);
      const idIndex = values.length;
      const where = scopeConditions(scope, idIndex + 1);
      const changed = await db.execute(`UPDATE items SET ${sets.join(', ')} WHERE id = $${idIndex}${where.sql}`, [
        ...values,
        ...where.params,
      ]);
      return changed ? this.get(scope, id) : undefined;
    },

    async remove(scope: DataScope, id: string): Promise<boolean> {
      const where = scopeConditions(scope, 2);
      return (await db.execute(`DELETE FROM items WHERE id = $1${where.sql}`, [id, ...where.params])) > 0;
    },

    /** Keyset pagination on (sort column, id): stable under concurrent inserts, no offset scans. */
    async list(
      scope: DataScope,
      query: ListItems,
      after: Cursor | undefined,
    ): Promise<{ items: Item[]; nextCursor: string | null }> {
      const descending = query.sort.startsWith('-');
      const column = SORT_COLUMNS[query.sort.replace('-', '') as keyof typeof SORT_COLUMNS];
      const params: SqlValue[] = [];
      let where = 'WHERE 1 = 1';
      if (query.status) {
        params.push(query.status);
        where += ` AND status = $${params.length}`;
      }
      if (query.name) {
        // A case-sensitive prefix match that means the same on both engines (LIKE does not).
        params.push(query.name.length, query.name);
        where += ` AND substr(name, 1, $${params.length - 1}) = $${params.length}`;
      }
      if (after) {
        params.push(after.value, after.id);
        where += ` AND (${column}, id) ${descending ? '<' : '>'} ($${params.length - 1}, $${params.length})`;
      }
      const scoped = scopeConditions(scope, params.length + 1);
      params.push(...scoped.params, query.limit + 1);
      const direction = descending ? 'DESC' : 'ASC';
      const rows = await db.query<ItemRow>(
        `SELECT ${COLUMNS} FROM items ${where}${scoped.sql} ORDER BY ${column} ${direction}, id ${direction} LIMIT $${params.length}`,
        params,
      );
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const nextCursor =
        rows.length > query.limit && last ? encodeCursor({ sort: query.sort, value: last[column], id: last.id }) : null;
      return { items: page.map(toItem), nextCursor };
    },
  };
}

export type ItemsRepository = ReturnType<typeof itemsRepository>;
