import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { testDatabase } from './database.ts';

/**
 * An app as the tests need it: test settings, an in-memory (or per-app PostgreSQL) database, and
 * `env` on top. Close it with `app.close()`; that also drops its database.
 */
export async function buildTestApp(
  env: Record<string, string> = {},
  options: AppOptions = {},
): Promise<FastifyInstance> {
  const database = await testDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SQLITE_PATH: ':memory:',
    DATABASE_URL: database.url,
    // Features with shared state (rate limits, caches) use Redis when the run provides it.
    REDIS_URL: process.env.REDIS_URL ?? '',
    // Test apps (of this and other projects) may share that Redis at once: each gets keys of its own.
    REDIS_KEY_PREFIX: uniqueKeyPrefix(),
    ...env,
  });
  const app = await buildApp(config, options);
  app.addHook('onClose', () => database.drop());
  return app;
}

/** A Redis key prefix no other test app uses. */
export const uniqueKeyPrefix = () => `test:${randomBytes(8).toString('hex')}:`;

/** Creates an item through the API and returns its body. */
export async function createItem(
  app: FastifyInstance,
  body: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  const response = await app.inject({ method: 'POST', url: '/v1/items', payload: { name: 'item', ...body }, headers });
  if (response.statusCode !== 201) throw new Error(`create failed: ${response.statusCode} ${response.body}`);
  return response.json() as { id: string; name: string; status: string };
}
