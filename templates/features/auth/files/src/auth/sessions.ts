import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { uuidv7 } from '../lib/ids.ts';

/** Refresh tokens are 256 random bits; only their SHA-256 digest is stored. */
const REFRESH_PREFIX = 'rt_';
export const REFRESH_TOKEN = /^rt_[A-Za-z0-9_-]{43}$/;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export type RefreshOutcome =
  | { status: 'rotated'; userId: string; sessionId: string; refreshToken: string }
  | { status: 'reused'; userId: string; sessionId: string }
  | { status: 'invalid' };

/**
 * Sessions are refresh token families. Each refresh rotates the token; presenting a token that was
 * already rotated means it leaked (the thief or the owner used it first), so the whole family is
 * revoked (RFC 9700 §4.14.2). Access tokens carry the session id and die with it.
 */
export function sessionStore(db: Database, refreshTtlSeconds: number) {
  const expiry = (now: number) => new Date(now + refreshTtlSeconds * 1000).toISOString();

  async function addRefreshToken(tx: Database, sessionId: string, now: number): Promise<string> {
    const token = `${REFRESH_PREFIX}${randomBytes(32).toString('base64url')}`;
    await tx.execute('INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)', [
      digest(token),
      sessionId,
      expiry(now),
    ]);
    return token;
  }

  return {
    async start(userId: string, now = Date.now()): Promise<{ sessionId: string; refreshToken: string }> {
      const sessionId = uuidv7(now);
      return db.transaction(async (tx) => {
        await tx.execute('INSERT INTO sessions (id, user_id, created_at) VALUES ($1, $2, $3)', [
          sessionId,
          userId,
          new Date(now).toISOString(),
        ]);
        return { sessionId, refreshToken: await addRefreshToken(tx, sessionId, now) };
      });
    },

    async refresh(token: string, now = Date.now()): Promise<RefreshOutcome> {
      return db.transaction(async (tx): Promise<RefreshOutcome> => {
        const [row] = await tx.query<{
          session_id: string;
          user_id: string;
          expires_at: string;
          used_at: string | null;
          revoked_at: string | null;
        }>(
          `SELECT t.session_id, s.user_id, t.expires_at, t.used_at, s.revoked_at
           FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = $1`,
          [digest(token)],
        );
        if (!row) return { status: 'invalid' };
        const at = new Date(now).toISOString();
        if (row.used_at === null && (row.revoked_at !== null || row.expires_at <= at)) return { status: 'invalid' };
        // Marking it used is the check that counts: of two concurrent refreshes, the second marks nothing.
        const marked =
          row.used_at === null &&
          (await tx.execute('UPDATE refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL', [
            at,
            digest(token),
          ])) > 0;
        if (!marked) {
          await tx.execute('UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [
            at,
            row.session_id,
          ]);
          return { status: 'reused', userId: row.user_id, sessionId: row.session_id };
        }
        const refreshToken = await addRefreshToken(tx, row.session_id, now);
        return { status: 'rotated', userId: row.user_id, sessionId: row.session_id, refreshToken };
      });
    },

    /** Still valid: the session is not revoked and this access token (jti) was not revoked on its own. */
    async isActive(sessionId: string, userId: string, jti: string): Promise<boolean> {
      const rows = await db.query<{ id: string }>(
        `SELECT s.id FROM sessions s WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM revoked_access_tokens r WHERE r.jti = $3)`,
        [sessionId, userId, jti],
      );
      return rows.length > 0;
    },

    /** Logout: the session (every refresh token of the family) and the access token presented. */
    async revoke(sessionId: string, access: { jti: string; exp: number }, now = Date.now()): Promise<void> {
      const at = new Date(now).toISOString();
      await db.transaction(async (tx) => {
        await tx.execute('UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, sessionId]);
        await tx.execute(
          'INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING',
          [access.jti, new Date(access.exp * 1000).toISOString()],
        );
        // Entries whose token has expired anyway are of no further use.
        await tx.execute('DELETE FROM revoked_access_tokens WHERE expires_at < $1', [at]);
      });
    },

    /** After a password change: every other session of the user ends. */
    async revokeOthers(userId: string, keepSessionId: string, now = Date.now()): Promise<void> {
      await db.execute('UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND id <> $3 AND revoked_at IS NULL', [
        new Date(now).toISOString(),
        userId,
        keepSessionId,
      ]);
    },
  };
}

export type SessionStore = ReturnType<typeof sessionStore>;
