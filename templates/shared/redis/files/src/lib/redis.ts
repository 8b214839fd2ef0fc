import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { ReadinessCheck } from './readiness.ts';

interface Shared {
  connection: Promise<Redis>;
  readiness: ReadinessCheck;
}

const shared = new WeakMap<FastifyInstance, Shared>();

export interface RedisUse {
  /** The caller serves without Redis when it is down (a cache misses, a rate limit fails open). */
  failsOpen: boolean;
}

/**
 * The app's one Redis connection (REDIS_URL), opened by the first plugin that asks for it and shared
 * by the others (rate limits, caches); undefined when REDIS_URL is empty (state stays in memory).
 *
 * It fails fast rather than queueing: commands are refused at once while disconnected and time out
 * after 500 ms, so a Redis outage costs each request milliseconds, and each caller decides what an
 * error means (a rate limit fails open or closed, a cache misses). It reconnects in the background.
 * Readiness reports it while it is down: as degraded when every caller fails open, else as not ready.
 */
export function sharedRedis(app: FastifyInstance, use: RedisUse): Promise<Redis> | undefined {
  if (app.config.REDIS_URL === '') return undefined;
  let entry = shared.get(app);
  if (!entry) {
    const connection = connect(app, app.config.REDIS_URL);
    const readiness: ReadinessCheck = {
      name: 'redis',
      required: false,
      check: async () => {
        await (await connection).ping();
      },
    };
    app.readinessChecks.push(readiness);
    entry = { connection, readiness };
    shared.set(app, entry);
  }
  if (!use.failsOpen) entry.readiness.required = true;
  return entry.connection;
}

async function connect(app: FastifyInstance, url: string): Promise<Redis> {
  // Loaded only when Redis is configured: it is a good part of start-up time otherwise.
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    commandTimeout: 500,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  // Reconnection attempts repeat the same error: log it when it changes, not every attempt.
  let lastError = '';
  client.on('error', (error: Error) => {
    if (error.message === lastError) return;
    lastError = error.message;
    app.log.warn({ event: 'redis.error', error: error.message }, 'Redis is unavailable');
  });
  client.on('ready', () => {
    if (lastError !== '') app.log.info({ event: 'redis.ready' }, 'Redis is available again');
    lastError = '';
  });
  app.addHook('onClose', async () => {
    client.disconnect();
  });
  try {
    await client.connect();
  } catch {
    // Logged by the error listener; the client keeps retrying and callers handle failed commands.
  }
  return client;
}
