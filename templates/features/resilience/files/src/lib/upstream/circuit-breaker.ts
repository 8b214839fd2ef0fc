import { channel } from 'node:diagnostics_channel';

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Published on every transition; the metrics feature exports it as a gauge. */
export const circuitStateChannel = channel('hardened-api:circuit.state');

export interface BreakerOptions {
  /** Opens after this many failures in a row. */
  consecutiveFailures: number;
  /** ...or when at least this share of calls failed (0-1) in the current window... */
  failureRatio: number;
  /** ...counting only windows with at least this many calls. */
  minimumCalls: number;
  windowMs: number;
  /** How long it stays open before letting one probe call through (half-open). */
  resetMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  consecutiveFailures: 5,
  failureRatio: 0.5,
  minimumCalls: 20,
  windowMs: 30_000,
  resetMs: 10_000,
};

/**
 * A circuit breaker for one upstream. Closed: calls go through and outcomes are counted. Open: calls
 * fail fast without contacting the upstream, until `resetMs` has passed. Half-open: a single probe call
 * goes through; its success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  readonly upstream: string;
  readonly #options: BreakerOptions;
  readonly #now: () => number;
  #state: CircuitState = 'closed';
  #openedAt = 0;
  #probing = false;
  #consecutive = 0;
  #windowStart = 0;
  #calls = 0;
  #failures = 0;

  constructor(upstream: string, options: Partial<BreakerOptions> = {}, now: () => number = Date.now) {
    this.upstream = upstream;
    this.#options = { ...DEFAULT_BREAKER, ...options };
    this.#now = now;
  }

  get state(): CircuitState {
    return this.#state;
  }

  /** Whether a call may go through now. A true answer must be followed by success() or failure(). */
  tryPass(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open') {
      if (this.#now() - this.#openedAt < this.#options.resetMs) return false;
      this.#transition('half-open');
    }
    if (this.#probing) return false;
    this.#probing = true;
    return true;
  }

  /** How long until a probe will be allowed, in ms (0 when calls go through). */
  retryAfterMs(): number {
    if (this.#state !== 'open') return 0;
    return Math.max(0, this.#options.resetMs - (this.#now() - this.#openedAt));
  }

  success(): void {
    if (this.#state === 'half-open') {
      this.#probing = false;
      this.#reset();
      this.#transition('closed');
      return;
    }
    this.#consecutive = 0;
    this.#count(false);
  }

  failure(): void {
    if (this.#state === 'half-open') {
      this.#probing = false;
      this.#open();
      return;
    }
    if (this.#state === 'open') return;
    this.#consecutive += 1;
    this.#count(true);
    const { consecutiveFailures, failureRatio, minimumCalls } = this.#options;
    if (
      this.#consecutive >= consecutiveFailures ||
      (this.#calls >= minimumCalls && this.#failures / this.#calls >= failureRatio)
    ) {
      this.#open();
    }
  }

  /** The call that passed ended without telling anything about the upstream (the caller gave up). */
  cancel(): void {
    this.#probing = false;
  }

  #count(failed: boolean): void {
    const now = this.#now();
    if (now - this.#windowStart >= this.#options.windowMs) {
      this.#windowStart = now;
      this.#calls = 0;
      this.#failures = 0;
    }
    this.#calls += 1;
    if (failed) this.#failures += 1;
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#reset();
    this.#transition('open');
  }

  #reset(): void {
    this.#consecutive = 0;
    this.#calls = 0;
    this.#failures = 0;
    this.#windowStart = this.#now();
  }

  #transition(state: CircuitState): void {
    if (state === this.#state) return;
    this.#state = state;
    if (circuitStateChannel.hasSubscribers) circuitStateChannel.publish({ upstream: this.upstream, state });
  }
}
