import { addConfigProperty } from '../patch/config-property.ts';
import { registerPlugin } from '../patch/register-plugin.ts';
import { defineFeature } from './define.ts';
import { IOREDIS } from './redis.ts';

export const caching = defineFeature({
  id: 'caching',
  title: 'Caching',
  description:
    'Strong ETags and 304s, Cache-Control per request (private for personal data), an owner-scoped cache of resource reads (memory LRU or Redis) invalidated on every write',
  unsupportedForeign: 'not yet adapted to projects we did not generate.',
  presets: ['full'],
  dependencies: { ...IOREDIS },
  shared: ['redis'],
  env: [
    { name: 'CACHE_TTL_MS', example: '30000', description: 'How long a cached read is served, in milliseconds' },
    {
      name: 'CACHE_MAX_ENTRIES',
      example: '1000',
      description: 'Most responses the in-memory cache holds (least recently used go first); unused with REDIS_URL',
    },
    {
      name: 'CACHE_MAX_MB',
      example: '32',
      description: 'Most memory the in-memory cache uses for response bodies, in MiB; unused with REDIS_URL',
    },
    {
      name: 'CACHE_PUBLIC_MAX_AGE',
      example: '0',
      description:
        'Seconds browsers and proxies may reuse anonymous GET responses (Cache-Control: public); 0 keeps no-store. Personal responses are always private, no-store',
    },
  ],
  patches: [
    registerPlugin({ name: 'caching', file: 'src/plugins/caching.ts' }),
    addConfigProperty('CACHE_TTL_MS', 'Type.Integer({ default: 30_000, minimum: 100, maximum: 86_400_000 })'),
    addConfigProperty('CACHE_MAX_ENTRIES', 'Type.Integer({ default: 1000, minimum: 1, maximum: 1_000_000 })'),
    addConfigProperty('CACHE_MAX_MB', 'Type.Integer({ default: 32, minimum: 1, maximum: 4096 })'),
    addConfigProperty('CACHE_PUBLIC_MAX_AGE', 'Type.Integer({ default: 0, minimum: 0, maximum: 86_400 })'),
  ],
});
