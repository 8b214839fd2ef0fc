import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

/**
 * Every environment variable the API reads, validated once at start-up. Options beyond JSON Schema:
 * `secret` (never echoed anywhere) and `productionMinLength` (required, at least that long, when
 * NODE_ENV=production). Features add their variables to this object.
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
  CORS_ORIGINS: Type.String({ default: '' }),
  TRUST_PROXY: Type.String({ default: '' }),
  BODY_LIMIT: Type.Integer({ default: 1_048_576, minimum: 1024, maximum: 104_857_600 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 1000 }),
  HEADERS_TIMEOUT_MS: Type.Integer({ default: 10_000, minimum: 1000 }),
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ default: 72_000, minimum: 1000 }),
  SHUTDOWN_GRACE_MS: Type.Integer({ default: 10_000, minimum: 100, maximum: 120_000 }),
  MAX_EVENT_LOOP_DELAY_MS: Type.Integer({ default: 1000, minimum: 10 }),
});

export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const check = Compile(ConfigSchema);

/** Reads, converts and validates the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(ConfigSchema.properties)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const candidate = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const [error] = check.Errors(candidate);
  if (error) {
    const name = error.instancePath.split('/')[1] ?? 'environment';
    throw new ConfigError(`Invalid environment variable ${name}: ${error.message}`);
  }
  const config = candidate as Config;
  if (config.NODE_ENV === 'production') assertProductionSecrets(config);
  return config;
}

function assertProductionSecrets(config: Config): void {
  const values = config as Record<string, unknown>;
  for (const [name, schema] of Object.entries(ConfigSchema.properties) as [
    string,
    TSchema & { productionMinLength?: number },
  ][]) {
    const minimum = schema.productionMinLength;
    if (minimum === undefined) continue;
    const value = values[name];
    if (typeof value !== 'string' || value.length < minimum) {
      throw new ConfigError(
        `Invalid environment variable ${name}: required in production, at least ${minimum} characters`,
      );
    }
  }
}

/** The names of variables whose values must never be printed. */
export const secretNames: readonly string[] = Object.entries(ConfigSchema.properties)
  .filter(([, schema]) => (schema as { secret?: boolean }).secret === true)
  .map(([name]) => name);
