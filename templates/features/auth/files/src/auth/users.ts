import type { Database } from '../db/database.ts';
import { uuidv7 } from '../lib/ids.ts';

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  created_at: string;
}

/** Emails are compared case-insensitively and without surrounding spaces: one account per address. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function usersRepository(db: Database) {
  return {
    async findByEmail(email: string): Promise<UserRow | undefined> {
      const [row] = await db.query<UserRow>('SELECT id, email, password_hash, created_at FROM users WHERE email = $1', [
        normalizeEmail(email),
      ]);
      return row;
    },

    async findById(id: string): Promise<UserRow | undefined> {
      const [row] = await db.query<UserRow>('SELECT id, email, password_hash, created_at FROM users WHERE id = $1', [
        id,
      ]);
      return row;
    },

    /** Undefined when the address is taken (the unique index decides, so two sign-ups cannot race). */
    async create(email: string, passwordHash: string): Promise<UserRow | undefined> {
      const now = new Date().toISOString();
      const row: UserRow = { id: uuidv7(), email: normalizeEmail(email), password_hash: passwordHash, created_at: now };
      const inserted = await db.execute(
        'INSERT INTO users (id, email, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (email) DO NOTHING',
        [row.id, row.email, row.password_hash, now],
      );
      return inserted > 0 ? row : undefined;
    },

    async setPasswordHash(id: string, passwordHash: string): Promise<void> {
      await db.execute('UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3', [
        passwordHash,
        new Date().toISOString(),
        id,
      ]);
    },
  };
}
