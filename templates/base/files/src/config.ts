import { type Static, Type } from 'typebox';
import { loggableSettings, parseEnvironment } from './lib/environment.ts';

export { ConfigError, parseEnvironment } from './lib/environment.ts';

/** A browser origin: scheme, host, optional port, nothing else. */
const ORIGIN = String.raw`https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?`;
/** A proxy address or network; no `true` and no hop counts, which would let any client pick its own IP. */
const PROXY = String.raw`(loopback|linklocal|uniquelocal|\d{1,3}(\.\d{1,3}){3}(/\d{1,2})?|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(/\d{1,3})?)`;
const listOf = (item: string) => String.raw`^(\s*${item}\s*(,\s*${item}\s*)*)?$`;

/**
 * Every environment variable the API reads (names exactly as in the environment), validated once at
 * start-up (see parseEnvironment for the options beyond JSON Schema: `secret`, `productionMinLength`). Give
 * each a `default` unless it must be set; a signing key, for example:
 * `Type.String({ default: '', secret: true, productionMinLength: 32 })`. Features add their variables here.
 */
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
    default: 'development',
  }),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1, maxLength: 255 }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  LOG_LEVEL: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info' },
  ),
  DATABASE_URL: Type.String({ default: '', secret: true }),
  SQLITE_PATH: Type.String({ default: 'data/app.db', minLength: 1 }),
  REDIS_URL: Type.String({ default: '', secret: true, pattern: '^(rediss?://.+)?$' }),
  REDIS_KEY_PREFIX: Type.String({ default: 'api:', maxLength: 100, pattern: '^[A-Za-z0-9:._-]*$' }),
  CORS_ORIGINS: Type.String({
    default: '',
    maxLength: 4096,
    pattern: listOf(ORIGIN),
    description: 'a comma-separated list of origins such as https://app.example (never *)',
  }),
  TRUST_PROXY: Type.String({
    default: '',
    maxLength: 4096,
    pattern: listOf(PROXY),
    description: 'a comma-separated list of IP addresses or CIDRs (or loopback, linklocal, uniquelocal)',
  }),
  BODY_LIMIT: Type.Integer({ default: 1_048_576, minimum: 1024, maximum: 104_857_600 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 1000 }),
  HEADERS_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 1000 }),
  CONNECTION_TIMEOUT_MS: Type.Integer({ default: 60_000, minimum: 1000 }),
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ default: 72_000, minimum: 1000 }),
  SHUTDOWN_GRACE_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 120_000 }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ default: 1000, minimum: 10 }),
});

export type Config = Static<typeof ConfigSchema>;

/** Reads, converts and validates the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnvironment(ConfigSchema, env);
}

/** The configuration as it may be logged: secret values are replaced by whether they are set. */
export function loggableConfig(config: Config): Record<string, unknown> {
  return loggableSettings(ConfigSchema, config);
}
