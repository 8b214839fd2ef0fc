import type { Database } from '../db/database.ts';

export interface StoredResponse {
  fingerprint: string;
  /** Null while the first request is still being processed. */
  status: number | null;
  headers: string | null;
  body: string | null;
}

/** Idempotency keys and the responses they replay, in the app's database (shared by every instance). */
export function idempotencyStore(db: Database, ttlMs: number) {
  let purgedAt = 0;
  const expiredBefore = () => new Date(Date.now() - ttlMs).toISOString();

  return {
    /**
     * Claims `key` for a new request; false when it is already taken (by a request in progress or a
     * stored response). The primary key makes the claim atomic across instances.
     */
    async claim(scope: string, key: string, fingerprint: string): Promise<boolean> {
      const now = Date.now();
      if (now - purgedAt > 60_000) {
        purgedAt = now;
        await db.execute('DELETE FROM idempotency_keys WHERE created_at < $1', [expiredBefore()]);
      } else {
        await db.execute('DELETE FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2 AND created_at < $3', [
          scope,
          key,
          expiredBefore(),
        ]);
      }
      const inserted = await db.execute(
        'INSERT INTO idempotency_keys (scope, idempotency_key, fingerprint, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (scope, idempotency_key) DO NOTHING',
        [scope, key, fingerprint, new Date(now).toISOString()],
      );
      return inserted === 1;
    },

    async find(scope: string, key: string): Promise<StoredResponse | undefined> {
      const [row] = await db.query<StoredResponse>(
        'SELECT fingerprint, status, headers, body FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2',
        [scope, key],
      );
      return row;
    },

    async complete(scope: string, key: string, status: number, headers: string, body: string): Promise<void> {
      await db.execute(
        'UPDATE idempotency_keys SET status = $3, headers = $4, body = $5 WHERE scope = $1 AND idempotency_key = $2',
        [scope, key, status, headers, body],
      );
    },

    /** Forgets a claim whose request failed or never answered, so that the client can try again. */
    async release(scope: string, key: string): Promise<void> {
      await db.execute('DELETE FROM idempotency_keys WHERE scope = $1 AND idempotency_key = $2 AND status IS NULL', [
        scope,
        key,
      ]);
    },
  };
}
