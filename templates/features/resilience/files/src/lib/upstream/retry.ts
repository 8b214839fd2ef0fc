/** Methods whose repetition has the same effect as one call (RFC 9110 §9.2.2): safe to retry. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** A request may be retried when its method is idempotent, or when it carries an Idempotency-Key. */
export function isRetryable(method: string, headers: Readonly<Record<string, string>>): boolean {
  return (
    IDEMPOTENT_METHODS.has(method.toUpperCase()) ||
    Object.keys(headers).some((h) => h.toLowerCase() === 'idempotency-key')
  );
}

/** Answers worth trying again: overload, throttling and gateway failures. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Exponential backoff with full jitter (a random delay between 0 and base * 2^attempt, capped): spreads
 * the retries of many clients instead of synchronising them into waves. `attempt` counts from 0.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

/**
 * A Retry-After value (RFC 9110 §10.2.3) in ms from `now`: delay-seconds or an HTTP-date; undefined when
 * absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Caps retries to a fraction of the traffic (like gRPC's retry throttling): every call deposits `ratio`
 * tokens, every retry spends one, and the balance never exceeds `max`. When an upstream fails for
 * everyone, retries stop multiplying its load after the first `max` of them.
 */
export class RetryBudget {
  #tokens: number;
  readonly #ratio: number;
  readonly #max: number;

  constructor(ratio = 0.2, max = 10) {
    this.#ratio = ratio;
    this.#max = max;
    this.#tokens = max;
  }

  deposit(): void {
    this.#tokens = Math.min(this.#max, this.#tokens + this.#ratio);
  }

  /** Spends a token for one retry; false when the budget is exhausted. */
  withdraw(): boolean {
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
