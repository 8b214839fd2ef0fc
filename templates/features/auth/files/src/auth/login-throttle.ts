import type { Database } from '../db/database.ts';

export interface ThrottleLimits {
  perAccount: number;
  perAddress: number;
  windowSeconds: number;
}

/**
 * Counts failed sign-ins per account and per client address in the database, so every instance of the
 * API shares the counts. Once a count reaches its limit, sign-in answers 429 until the window ends,
 * whether or not the password is right (and whether or not the account exists).
 */
export function loginThrottle(db: Database, limits: ThrottleLimits) {
  const subjects = (email: string, ip: string) => [`account:${email}`, `address:${ip}`] as const;

  return {
    /** Seconds until sign-in is allowed again, or 0 when it is allowed now. */
    async retryAfter(email: string, ip: string, now = Date.now()): Promise<number> {
      const [account, address] = subjects(email, ip);
      const rows = await db.query<{ subject: string; failures: number; window_started_at: string }>(
        'SELECT subject, failures, window_started_at FROM login_failures WHERE subject IN ($1, $2)',
        [account, address],
      );
      let wait = 0;
      for (const row of rows) {
        const limit = row.subject === account ? limits.perAccount : limits.perAddress;
        const ends = Date.parse(row.window_started_at) + limits.windowSeconds * 1000;
        if (Number(row.failures) >= limit && ends > now) wait = Math.max(wait, Math.ceil((ends - now) / 1000));
      }
      return wait;
    },

    async recordFailure(email: string, ip: string, now = Date.now()): Promise<void> {
      const at = new Date(now).toISOString();
      const windowStart = new Date(now - limits.windowSeconds * 1000).toISOString();
      for (const subject of subjects(email, ip)) {
        await db.execute(
          `INSERT INTO login_failures (subject, failures, window_started_at) VALUES ($1, 1, $2)
           ON CONFLICT (subject) DO UPDATE SET
             failures = CASE WHEN login_failures.window_started_at < $3 THEN 1 ELSE login_failures.failures + 1 END,
             window_started_at = CASE WHEN login_failures.window_started_at < $3 THEN $2 ELSE login_failures.window_started_at END`,
          [subject, at, windowStart],
        );
      }
    },

    /** A successful sign-in clears the account's count (not the address's: one address, many accounts). */
    async recordSuccess(email: string): Promise<void> {
      await db.execute('DELETE FROM login_failures WHERE subject = $1', [`account:${email}`]);
    },
  };
}
