import type { Redis } from 'ioredis';

/** A cached response: the serialized body and the headers that belong to it. */
export interface CachedResponse {
  body: string;
  headers: Record<string, string>;
}

/**
 * Where cached responses live. Entries are addressed by (resource, generation, key): a write bumps the
 * resource's generation, which orphans every entry of the old one at once (they expire by TTL), and a
 * read that raced with the write stores under the generation it started with, so it is never served.
 */
export interface ResponseStore {
  generation(resource: string): Promise<number>;
  get(resource: string, generation: number, key: string): Promise<CachedResponse | undefined>;
  set(resource: string, generation: number, key: string, value: CachedResponse): Promise<void>;
  invalidate(resource: string): Promise<void>;
}

/** One instance's store: a bounded LRU with a TTL per entry. */
export function memoryStore(maxEntries: number, ttlMs: number): ResponseStore {
  const entries = new Map<string, { value: CachedResponse; expires: number }>();
  const generations = new Map<string, number>();
  const address = (resource: string, generation: number, key: string) => `${resource}\n${generation}\n${key}`;
  return {
    async generation(resource) {
      return generations.get(resource) ?? 0;
    },
    async get(resource, generation, key) {
      const id = address(resource, generation, key);
      const entry = entries.get(id);
      if (!entry) return undefined;
      entries.delete(id);
      if (entry.expires <= Date.now()) return undefined;
      entries.set(id, entry); // most recently used last
      return entry.value;
    },
    async set(resource, generation, key, value) {
      const id = address(resource, generation, key);
      entries.delete(id);
      entries.set(id, { value, expires: Date.now() + ttlMs });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    async invalidate(resource) {
      generations.set(resource, (generations.get(resource) ?? 0) + 1);
    },
  };
}

/** The store every instance shares: entries expire by TTL; Redis's own eviction policy bounds memory. */
export function redisStore(redis: Redis, prefix: string, ttlMs: number): ResponseStore {
  const generationKey = (resource: string) => `${prefix}${resource}:generation`;
  const entryKey = (resource: string, generation: number, key: string) => `${prefix}${resource}:${generation}:${key}`;
  return {
    async generation(resource) {
      return Number((await redis.get(generationKey(resource))) ?? 0);
    },
    async get(resource, generation, key) {
      const text = await redis.get(entryKey(resource, generation, key));
      return text === null ? undefined : (JSON.parse(text) as CachedResponse);
    },
    async set(resource, generation, key, value) {
      await redis.set(entryKey(resource, generation, key), JSON.stringify(value), 'PX', ttlMs);
    },
    async invalidate(resource) {
      await redis.incr(generationKey(resource));
    },
  };
}
