import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Counter, Gauge, type Registry } from 'prom-client';
import { BoundedLabel } from './bounded-label.ts';

/** Distinct values kept per label of a signal (reasons, policies, caches, upstreams). */
const LABEL_LIMIT = 50;
const CIRCUIT_STATES = ['closed', 'open', 'half-open'] as const;

/** The fields signals carry (docs/feature-contract.md, "Signal channels"); any may be missing. */
interface Message {
  reason?: unknown;
  permission?: unknown;
  policy?: unknown;
  cache?: unknown;
  hit?: unknown;
  upstream?: unknown;
  state?: unknown;
}
const fields = (message: unknown): Message =>
  typeof message === 'object' && message !== null ? (message as Message) : {};

/**
 * Counts what other parts of the API publish on their diagnostics channels (see the feature contract):
 * auth failures, authorization denials, rate-limit rejections and store errors, cache lookups and circuit
 * breaker states. Subscribing costs nothing when nobody publishes. Returns the unsubscribe function.
 */
export function countSignals(registry: Registry): () => void {
  const registers = [registry];
  const authFailures = new Counter({
    name: 'auth_failures_total',
    help: 'Requests refused for missing or invalid credentials, by reason',
    labelNames: ['reason'],
    registers,
  });
  const authzDenials = new Counter({
    name: 'authz_denials_total',
    help: 'Requests refused for lack of a permission, by permission',
    labelNames: ['permission'],
    registers,
  });
  const rateLimited = new Counter({
    name: 'rate_limit_rejections_total',
    help: 'Requests rejected with 429 by a rate limit, by policy',
    labelNames: ['policy'],
    registers,
  });
  const storeErrors = new Counter({
    name: 'rate_limit_store_errors_total',
    help: 'Rate-limit store (Redis) failures; requests were let through or refused as RATE_LIMIT_ON_STORE_ERROR says',
    registers,
  });
  const cacheLookups = new Counter({
    name: 'cache_lookups_total',
    help: 'Application cache lookups, by cache and result (hit or miss)',
    labelNames: ['cache', 'result'],
    registers,
  });
  const circuitState = new Gauge({
    name: 'circuit_breaker_state',
    help: 'Circuit breaker state per upstream: 1 for the current state, 0 for the others',
    labelNames: ['upstream', 'state'],
    registers,
  });
  const reasons = new BoundedLabel(LABEL_LIMIT);
  const permissions = new BoundedLabel(LABEL_LIMIT);
  const policies = new BoundedLabel(LABEL_LIMIT);
  const caches = new BoundedLabel(LABEL_LIMIT);
  const upstreams = new BoundedLabel(LABEL_LIMIT);

  const handlers: [string, (message: unknown) => void][] = [
    ['hardened-api:auth.failure', (m) => authFailures.inc({ reason: reasons.value(fields(m).reason) })],
    ['hardened-api:authz.denied', (m) => authzDenials.inc({ permission: permissions.value(fields(m).permission) })],
    ['hardened-api:rate-limit.rejected', (m) => rateLimited.inc({ policy: policies.value(fields(m).policy) })],
    ['hardened-api:rate-limit.store-error', () => storeErrors.inc()],
    [
      'hardened-api:cache.lookup',
      (m) =>
        cacheLookups.inc({ cache: caches.value(fields(m).cache), result: fields(m).hit === true ? 'hit' : 'miss' }),
    ],
    [
      'hardened-api:circuit.state',
      (m) => {
        const { upstream, state } = fields(m);
        if (!CIRCUIT_STATES.includes(state as (typeof CIRCUIT_STATES)[number])) return;
        const label = upstreams.value(upstream);
        for (const s of CIRCUIT_STATES) circuitState.set({ upstream: label, state: s }, s === state ? 1 : 0);
      },
    ],
  ];
  for (const [name, handler] of handlers) subscribe(name, handler);
  return () => {
    for (const [name, handler] of handlers) unsubscribe(name, handler);
  };
}
