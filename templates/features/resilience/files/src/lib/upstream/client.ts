import type { IncomingHttpHeaders } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Agent, request } from 'undici';
import { Bulkhead } from './bulkhead.ts';
import { type BreakerOptions, CircuitBreaker } from './circuit-breaker.ts';
import { UpstreamError } from './errors.ts';
import type { OutboundGuard } from './guard.ts';
import { backoffDelay, isRetryable, parseRetryAfter, RETRYABLE_STATUSES, RetryBudget } from './retry.ts';

export interface UpstreamOptions {
  /** Names the upstream in errors, logs and the circuit state signal. */
  name: string;
  /** Every request goes to a path below this URL. */
  baseUrl: string;
  guard: OutboundGuard;
  connectTimeoutMs: number;
  /** Per attempt: until the whole response body has arrived. */
  attemptTimeoutMs: number;
  /** Per call: every attempt and every wait between them. */
  deadlineMs: number;
  maxRetries: number;
  maxConcurrency: number;
  breaker?: Partial<BreakerOptions>;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  maxResponseBytes?: number;
}

export interface UpstreamRequest {
  method?: string;
  /** Relative to the base URL (`rates?base=EUR`); never another origin. */
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const validators = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/**
 * One outbound HTTP service, called through undici with every protection on: the SSRF guard, a
 * connect timeout, a timeout per attempt and a deadline per call, retries (idempotent requests only,
 * exponential backoff with full jitter, Retry-After honoured, a retry budget), a circuit breaker, a
 * bulkhead, a response size cap, and no redirects followed.
 */
export class Upstream {
  readonly name: string;
  readonly breaker: CircuitBreaker;
  readonly #options: Required<Omit<UpstreamOptions, 'breaker'>>;
  readonly #base: URL;
  readonly #agent: Agent;
  readonly #bulkhead: Bulkhead;
  readonly #budget = new RetryBudget();

  constructor(options: UpstreamOptions) {
    this.name = options.name;
    this.#options = { backoffBaseMs: 100, backoffMaxMs: 2000, maxResponseBytes: 1_048_576, ...options };
    this.#base = new URL(options.baseUrl);
    this.breaker = new CircuitBreaker(options.name, options.breaker);
    this.#bulkhead = new Bulkhead(options.maxConcurrency);
    this.#agent = new Agent({
      connect: { timeout: options.connectTimeoutMs, lookup: options.guard.lookup },
      headersTimeout: options.attemptTimeoutMs,
      bodyTimeout: options.attemptTimeoutMs,
      connections: options.maxConcurrency,
    });
  }

  /**
   * Sends a request and returns the upstream's answer, whatever its status, except that 429 and 5xx
   * gateway answers are retried when allowed and then thrown as an UpstreamError, like every failure.
   */
  async request(call: UpstreamRequest = {}): Promise<UpstreamResponse> {
    const method = (call.method ?? 'GET').toUpperCase();
    const headers = call.headers ?? {};
    const url = new URL(call.path ?? '', this.#base);
    if (url.origin !== this.#base.origin)
      throw new UpstreamError('refused', `${this.name}: the path leaves its origin`);
    this.#options.guard.checkUrl(url);
    const retryable = isRetryable(method, headers);
    const deadline = Date.now() + this.#options.deadlineMs;
    this.#budget.deposit();
    for (let attempt = 0; ; attempt += 1) {
      let failure: UpstreamError;
      try {
        const response = await this.#attempt(method, url, headers, call.body, deadline, call.signal);
        if (!RETRYABLE_STATUSES.has(response.status)) return response;
        failure = new UpstreamError('unavailable', `${this.name} answered ${response.status}`, {
          status: response.status,
          retryAfterMs: parseRetryAfter(response.headers['retry-after']),
        });
      } catch (error) {
        if (!(error instanceof UpstreamError) || (error.kind !== 'timeout' && error.kind !== 'unavailable'))
          throw error;
        failure = error;
      }
      const remaining = deadline - Date.now();
      if (!retryable || attempt >= this.#options.maxRetries) throw failure;
      const wait = Math.max(
        backoffDelay(attempt, this.#options.backoffBaseMs, this.#options.backoffMaxMs),
        failure.retryAfterMs ?? 0,
      );
      // A retry that could not finish before the deadline only adds load: give up now instead.
      if (wait >= remaining || !this.#budget.withdraw()) throw failure;
      await sleep(wait, undefined, call.signal ? { signal: call.signal } : {});
    }
  }

  /** GETs a JSON document and checks it against `schema`: anything else is an `invalid-response`. */
  async getJson<S extends TSchema>(path: string, schema: S, signal?: AbortSignal): Promise<Static<S>> {
    const response = await this.request({
      path,
      headers: { accept: 'application/json' },
      ...(signal ? { signal } : {}),
    });
    if (response.status < 200 || response.status >= 300) {
      const kind = response.status >= 500 ? 'unavailable' : 'invalid-response';
      throw new UpstreamError(kind, `${this.name} answered ${response.status}`, { status: response.status });
    }
    let document: unknown;
    try {
      document = JSON.parse(response.body.toString('utf8'));
    } catch (error) {
      throw new UpstreamError('invalid-response', `${this.name} sent a body that is not JSON`, { cause: error });
    }
    let validator = validators.get(schema);
    if (!validator) {
      validator = Compile(schema);
      validators.set(schema, validator);
    }
    if (!validator.Check(document)) {
      const [first] = validator.Errors(document);
      const where = first ? `${first.instancePath || '/'} ${first.message}` : 'unexpected shape';
      throw new UpstreamError('invalid-response', `${this.name} sent an unexpected document: ${where}`);
    }
    return document as Static<S>;
  }

  close(): Promise<void> {
    return this.#agent.close();
  }

  async #attempt(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<UpstreamResponse> {
    if (!this.#bulkhead.tryAcquire()) {
      throw new UpstreamError('saturated', `too many calls to ${this.name} in flight`, { retryAfterMs: 1000 });
    }
    if (!this.breaker.tryPass()) {
      this.#bulkhead.release();
      throw new UpstreamError('circuit-open', `the circuit to ${this.name} is open`, {
        retryAfterMs: this.breaker.retryAfterMs(),
      });
    }
    const timeout = AbortSignal.timeout(Math.max(1, Math.min(this.#options.attemptTimeoutMs, deadline - Date.now())));
    let outcome: 'success' | 'failure' | 'none' = 'failure';
    try {
      const response = await request(url, {
        dispatcher: this.#agent,
        method,
        headers,
        body: body ?? null,
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
      const payload = await readLimited(response.body, this.#options.maxResponseBytes, this.name);
      outcome = response.statusCode >= 500 || response.statusCode === 429 ? 'failure' : 'success';
      return { status: response.statusCode, headers: response.headers, body: payload };
    } catch (error) {
      if (signal?.aborted) {
        outcome = 'none';
        throw signal.reason;
      }
      if (error instanceof UpstreamError) {
        if (error.kind === 'refused') outcome = 'none';
        throw error;
      }
      const code = (error as { code?: unknown }).code;
      if (timeout.aborted || (typeof code === 'string' && TIMEOUT_CODES.has(code))) {
        throw new UpstreamError('timeout', `${this.name} did not answer in time`, { cause: error });
      }
      throw new UpstreamError('unavailable', `${this.name} could not be reached`, { cause: error });
    } finally {
      this.#bulkhead.release();
      if (outcome === 'success') this.breaker.success();
      else if (outcome === 'failure') this.breaker.failure();
      else this.breaker.cancel();
    }
  }
}

/** Reads a body up to `limit` bytes; a larger one is cut off and refused, never buffered whole. */
async function readLimited(
  body: AsyncIterable<Buffer> & { destroy(): void },
  limit: number,
  name: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new UpstreamError('invalid-response', `${name} sent more than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
