import { addConfigProperty } from '../patch/config-property.ts';
import { registerPlugin } from '../patch/register-plugin.ts';
import { defineFeature } from './define.ts';

/** Comma-separated origins and networks; each entry is parsed again (and must be valid) at start-up. */
const ORIGINS = String.raw`^(https?://[^\\s,]+(, *https?://[^\\s,]+)*)?$`;
const NETWORKS = '^([0-9A-Fa-f:./]+(, *[0-9A-Fa-f:./]+)*)?$';
const milliseconds = (fallback: number, maximum: number) => `Type.Integer({ default: ${fallback}, minimum: 10, maximum: ${maximum} })`;

export const resilience = defineFeature({
  id: 'resilience',
  title: 'Resilience',
  description:
    'Outbound HTTP client (undici) with SSRF guard, timeouts, retries with backoff and Retry-After, retry budget, circuit breaker and bulkhead; an upstream-backed route that degrades to last good data; Idempotency-Key on POST',
  unsupportedForeign: 'not yet adapted to projects we did not generate.',
  presets: ['full'],
  dependencies: { undici: '7.30.2' },
  env: [
    {
      name: 'UPSTREAM_URL',
      example: '',
      description:
        'The exchange-rates upstream behind GET /v1/exchange-rates (JSON `{ base, date, rates }`), e.g. https://api.frankfurter.app/latest; empty: the route serves its default data',
    },
    {
      name: 'OUTBOUND_ALLOWED_ORIGINS',
      example: '',
      description:
        'Comma-separated origins outbound calls may reach besides UPSTREAM_URL (e.g. https://api.example.com); any other origin is refused',
    },
    {
      name: 'OUTBOUND_ALLOWED_NETWORKS',
      example: '',
      description:
        'Comma-separated internal networks outbound calls may reach anyway (e.g. 10.0.0.0/8, 127.0.0.1/32); loopback, private and link-local addresses are refused otherwise',
    },
    { name: 'UPSTREAM_CONNECT_TIMEOUT_MS', example: '1000', description: 'Connection timeout of an outbound call' },
    {
      name: 'UPSTREAM_TIMEOUT_MS',
      example: '3000',
      description: 'Timeout of one attempt, until the whole response has arrived',
    },
    {
      name: 'UPSTREAM_DEADLINE_MS',
      example: '8000',
      description: 'Time limit of one call, retries and waits included (keep it below REQUEST_TIMEOUT_MS)',
    },
    {
      name: 'UPSTREAM_MAX_RETRIES',
      example: '2',
      description: 'Retries of an idempotent call after a timeout, a connection failure, a 429 or a 5xx',
    },
    { name: 'UPSTREAM_MAX_CONCURRENCY', example: '32', description: 'Calls in flight to the upstream (bulkhead)' },
    {
      name: 'UPSTREAM_BREAKER_FAILURES',
      example: '5',
      description: 'Consecutive failures that open the circuit breaker (it also opens at 50% failures over 20+ calls)',
    },
    {
      name: 'UPSTREAM_BREAKER_RESET_MS',
      example: '10000',
      description: 'How long the circuit stays open before a probe call may close it',
    },
    {
      name: 'IDEMPOTENCY_TTL_SECONDS',
      example: '86400',
      description: 'How long an Idempotency-Key and its response are kept for replay',
    },
  ],
  patches: [
    registerPlugin({ name: 'upstreams', file: 'src/plugins/upstreams.ts' }),
    registerPlugin({ name: 'idempotency', file: 'src/plugins/idempotency.ts' }),
    registerPlugin({
      name: 'exchangeRatesRoutes',
      file: 'src/routes/v1/exchange-rates.ts',
      prefix: '/v1/exchange-rates',
      placement: 'last',
    }),
    addConfigProperty('UPSTREAM_URL', "Type.String({ default: '', maxLength: 2048, pattern: '^(https?://.+)?$' })"),
    addConfigProperty('OUTBOUND_ALLOWED_ORIGINS', `Type.String({ default: '', pattern: '${ORIGINS}' })`),
    addConfigProperty('OUTBOUND_ALLOWED_NETWORKS', `Type.String({ default: '', pattern: '${NETWORKS}' })`),
    addConfigProperty('UPSTREAM_CONNECT_TIMEOUT_MS', milliseconds(1000, 60_000)),
    addConfigProperty('UPSTREAM_TIMEOUT_MS', milliseconds(3000, 120_000)),
    addConfigProperty('UPSTREAM_DEADLINE_MS', milliseconds(8000, 300_000)),
    addConfigProperty('UPSTREAM_MAX_RETRIES', 'Type.Integer({ default: 2, minimum: 0, maximum: 10 })'),
    addConfigProperty('UPSTREAM_MAX_CONCURRENCY', 'Type.Integer({ default: 32, minimum: 1, maximum: 10_000 })'),
    addConfigProperty('UPSTREAM_BREAKER_FAILURES', 'Type.Integer({ default: 5, minimum: 1, maximum: 1000 })'),
    addConfigProperty('UPSTREAM_BREAKER_RESET_MS', 'Type.Integer({ default: 10_000, minimum: 100, maximum: 600_000 })'),
    addConfigProperty('IDEMPOTENCY_TTL_SECONDS', 'Type.Integer({ default: 86_400, minimum: 60, maximum: 2_592_000 })'),
  ],
});
