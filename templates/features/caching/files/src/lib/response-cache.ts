import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A cached response: the serialized body and the headers that belong to it. */
export interface CachedResponse {
  body: string;
  headers: Record<string, string>;
}

/**
 * Where cached responses live. Entries are addressed by (resource, generation, key): a write gives the
 * resource a new generation, which orphans every entry of the old one at once (they expire by TTL), and
 * a read that raced with the write stores under the generation it started with, so it is never served.
 */
export interface ResponseStore {
  generation(resource: string): Promise<string>;
  get(resource: string, generation: string, key: string): Promise<CachedResponse | undefined>;
  set(resource: string, generation: string, key: string, value: CachedResponse): Promise<void>;
  invalidate(resource: string): Promise<void>;
}

/** Generations are random, so one never comes back: an expired generation key cannot revive old entries. */
const newGeneration = () => randomBytes(9).toString('base64url');
const INITIAL = '0';

/**
 * One instance's store: an LRU bounded by entry count and by body size (characters, about bytes for
 * JSON), with a TTL per entry. Entries orphaned by a write are the least recently used: evicted first.
 */
export function memoryStore(maxEntries: number, maxBodyChars: number, ttlMs: number): ResponseStore {
  const entries = new Map<string, { value: CachedResponse; expires: number }>();
  const generations = new Map<string, string>();
  let size = 0;
  const address = (resource: string, generation: string, key: string) => `${resource}\n${generation}\n${key}`;
  const remove = (id: string) => {
    const entry = entries.get(id);
    if (!entry) return undefined;
    entries.delete(id);
    size -= entry.value.body.length;
    return entry;
  };
  return {
    async generation(resource) {
      return generations.get(resource) ?? INITIAL;
    },
    async get(resource, generation, key) {
      const id = address(resource, generation, key);
      const entry = remove(id);
      if (!entry || entry.expires <= Date.now()) return undefined;
      entries.set(id, entry); // most recently used last
      size += entry.value.body.length;
      return entry.value;
    },
    async set(resource, generation, key, value) {
      if (value.body.length > maxBodyChars) return;
      const id = address(resource, generation, key);
      remove(id);
      entries.set(id, { value, expires: Date.now() + ttlMs });
      size += value.body.length;
      while (entries.size > maxEntries || size > maxBodyChars) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        remove(oldest);
      }
    },
    async invalidate(resource) {
      generations.set(resource, newGeneration());
    },
  };
}

/**
 * The store every instance shares: entries expire by TTL; Redis's own eviction policy bounds memory.
 * A generation key outlives every entry stored before it was set (twice the TTL), then expires too:
 * by then the entries of the initial generation are gone.
 */
export function redisStore(redis: Redis, prefix: string, ttlMs: number): ResponseStore {
  const generationKey = (resource: string) => `${prefix}${resource}:generation`;
  const entryKey = (resource: string, generation: string, key: string) => `${prefix}${resource}:${generation}:${key}`;
  return {
    async generation(resource) {
      return (await redis.get(generationKey(resource))) ?? INITIAL;
    },
    async get(resource, generation, key) {
      const text = await redis.get(entryKey(resource, generation, key));
      return text === null ? undefined : (JSON.parse(text) as CachedResponse);
    },
    async set(resource, generation, key, value) {
      await redis.set(entryKey(resource, generation, key), JSON.stringify(value), 'PX', ttlMs);
    },
    async invalidate(resource) {
      await redis.set(generationKey(resource), newGeneration(), 'PX', ttlMs * 2);
    },
  };
}
