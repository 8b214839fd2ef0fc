/**
 * Label values as they come, up to `limit` distinct ones; every later value is counted as `overflow`.
 * Each distinct value is a time series in Prometheus, so a publisher (or a client choosing the value)
 * must never be able to grow their number without bound.
 */
export class BoundedLabel {
  readonly #seen = new Set<string>();
  readonly #limit: number;
  readonly #overflow: string;

  constructor(limit: number, overflow = 'other') {
    this.#limit = limit;
    this.#overflow = overflow;
  }

  value(raw: unknown): string {
    const value = typeof raw === 'string' && raw !== '' ? raw.slice(0, 64) : 'unknown';
    if (this.#seen.has(value)) return value;
    if (this.#seen.size >= this.#limit) return this.#overflow;
    this.#seen.add(value);
    return value;
  }
}
