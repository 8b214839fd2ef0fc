import { HttpError } from '../problem.ts';

/**
 * Why an upstream call failed:
 * - `refused`: the SSRF guard stopped it (scheme, origin or address not allowed); nothing was sent;
 * - `timeout`: no complete answer within the attempt timeout or the call's deadline;
 * - `unavailable`: no connection, a reset, or a 5xx/429 answer (after any retries);
 * - `invalid-response`: an answer we must not use: a redirect, too large, not JSON, or not the expected shape;
 * - `circuit-open`: the breaker is open, so the upstream was not contacted;
 * - `saturated`: too many calls to this upstream are already in flight (bulkhead).
 */
export type UpstreamFailure = 'refused' | 'timeout' | 'unavailable' | 'invalid-response' | 'circuit-open' | 'saturated';

export class UpstreamError extends Error {
  readonly kind: UpstreamFailure;
  /** When the upstream (or the breaker) says to try again, in ms. */
  readonly retryAfterMs: number | undefined;
  /** The upstream's status code, when it answered. */
  readonly status: number | undefined;

  constructor(
    kind: UpstreamFailure,
    message: string,
    details: { retryAfterMs?: number; status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.name = 'UpstreamError';
    this.kind = kind;
    this.retryAfterMs = details.retryAfterMs;
    this.status = details.status;
  }
}

const STATUS: Record<UpstreamFailure, number> = {
  refused: 502,
  timeout: 504,
  unavailable: 502,
  'invalid-response': 502,
  'circuit-open': 503,
  saturated: 503,
};

/**
 * The problem a route answers when an upstream call fails (the base's error handler renders it as
 * problem+json, without the upstream's details): 504 for a timeout, 503 with Retry-After when we chose
 * not to call (breaker open, bulkhead full) or the upstream said when to come back, 502 otherwise.
 * Other errors are returned unchanged.
 */
export function upstreamProblem(error: unknown): unknown {
  if (!(error instanceof UpstreamError)) return error;
  const status = error.kind === 'unavailable' && error.retryAfterMs !== undefined ? 503 : STATUS[error.kind];
  const headers: Record<string, string> = {};
  if (status === 503) headers['retry-after'] = String(Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000)));
  return new HttpError(status, error.message, headers);
}
