/**
 * Limits the calls in flight to one upstream: when it slows down, its callers fail fast instead of piling
 * up sockets, memory and event-loop work until the whole API is slow.
 */
export class Bulkhead {
  #active = 0;
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Takes a slot; false when all are taken. Give it back with release(). */
  tryAcquire(): boolean {
    if (this.#active >= this.#limit) return false;
    this.#active += 1;
    return true;
  }

  release(): void {
    this.#active -= 1;
  }
}
