import { addConfigProperty } from '../patch/config-property.ts';
import { registerPlugin } from '../patch/register-plugin.ts';
import { defineFeature } from './define.ts';
import { IOREDIS } from './redis.ts';

export const rateLimit = defineFeature({
  id: 'rate-limit',
  title: 'Rate limiting',
  description:
    'Per-client budgets (user, else IP with IPv6 /64 grouping), stricter on sensitive routes; 429 problem + Retry-After, RateLimit/RateLimit-Policy fields; memory or Redis',
  unsupportedForeign: 'not yet adapted to projects we did not generate.',
  presets: ['standard', 'full'],
  dependencies: { '@fastify/rate-limit': '11.2.0', ...IOREDIS },
  shared: ['redis'],
  env: [
    {
      name: 'RATE_LIMIT_MAX',
      example: '100',
      description: 'Requests each client (signed-in owner, else IP address; IPv6 by /64) may make per window',
    },
    { name: 'RATE_LIMIT_WINDOW_MS', example: '60000', description: 'Length of that window, in milliseconds' },
    {
      name: 'RATE_LIMIT_SENSITIVE_MAX',
      example: '5',
      description: 'The stricter budget of routes marked `config: { sensitive: true }` (login, password reset, ...)',
    },
    {
      name: 'RATE_LIMIT_SENSITIVE_WINDOW_MS',
      example: '900000',
      description: 'Window of the sensitive budget, in milliseconds',
    },
    {
      name: 'RATE_LIMIT_ON_STORE_ERROR',
      example: 'open',
      description: 'When Redis fails: open (serve unlimited, log a warning) or closed (answer 503 + Retry-After); never a 500',
    },
  ],
  patches: [
    registerPlugin({ name: 'rateLimit', file: 'src/plugins/rate-limit.ts' }),
    addConfigProperty('RATE_LIMIT_MAX', 'Type.Integer({ default: 100, minimum: 1 })'),
    addConfigProperty('RATE_LIMIT_WINDOW_MS', 'Type.Integer({ default: 60_000, minimum: 1000 })'),
    addConfigProperty('RATE_LIMIT_SENSITIVE_MAX', 'Type.Integer({ default: 5, minimum: 1 })'),
    addConfigProperty('RATE_LIMIT_SENSITIVE_WINDOW_MS', 'Type.Integer({ default: 900_000, minimum: 1000 })'),
    addConfigProperty('RATE_LIMIT_ON_STORE_ERROR', "Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'open' })"),
  ],
});
