import { type Static, type TObject, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { compileTextConversion, type TextConversion } from './lib/coerce.ts';

/** A browser origin: scheme, host, optional port, nothing else. */
const ORIGIN = String.raw`https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?`;
/** A proxy address or network; no `true` and no hop counts, which would let any client pick its own IP. */
const PROXY = String.raw`(loopback|linklocal|uniquelocal|\d{1,3}(\.\d{1,3}){3}(/\d{1,2})?|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(/\d{1,3})?)`;
const listOf = (item: string) => String.raw`^(\s*${item}\s*(,\s*${item}\s*)*)?$`;

/**
 * Every environment variable the API reads (names exactly as in the environment), validated once at
 * start-up. Give each a `default` unless it must be set. Options beyond JSON Schema:
 * - `secret: true`: the value is never printed (error messages never print values anyway);
 * - `productionMinLength: n`: required, at least n characters, when NODE_ENV=production, so that no
 *   development default reaches production (it must be set explicitly). A signing key, for example:
 *   `Type.String({ default: '', secret: true, productionMinLength: 32 })`.
 * Features add their variables to this object.
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

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads, converts and validates the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnvironment(ConfigSchema, env);
}

/** Options this module understands on top of JSON Schema (see ConfigSchema). */
interface VariableOptions {
  secret?: boolean;
  productionMinLength?: number;
}

const compiled = new WeakMap<TObject, { convert: TextConversion; check: ReturnType<typeof Compile> }>();

/**
 * Validates `env` against any schema shaped like ConfigSchema. Unset and empty variables take their
 * defaults; numbers and booleans must be spelled exactly. Messages name the variable and the rule it
 * breaks, never the value (which may be a secret).
 */
export function parseEnvironment<S extends TObject>(schema: S, env: NodeJS.ProcessEnv): Static<S> {
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(schema.properties)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }
  let parser = compiled.get(schema);
  if (!parser) {
    parser = { convert: compileTextConversion(schema), check: Compile(schema) };
    compiled.set(schema, parser);
  }
  const candidate = parser.convert(raw);
  const [error] = parser.check.Errors(candidate);
  if (error) {
    const missing = (error.params as { requiredProperties?: string[] }).requiredProperties?.[0];
    if (missing) throw new ConfigError(`Missing environment variable ${missing}: it is required`);
    const name = error.instancePath.split('/')[1] ?? 'environment';
    throw new ConfigError(
      `Invalid environment variable ${name}: ${describeRule(schema.properties[name], error.keyword, error.message)}`,
    );
  }
  const config = candidate as Static<S>;
  if ((config as { NODE_ENV?: unknown }).NODE_ENV === 'production') assertProductionValues(schema, raw);
  return config;
}

/**
 * The rule in words: "must be one of: a, b" for a choice of literals (TypeBox says "must be equal to
 * constant"), and the schema's description for a pattern (a regular expression helps nobody).
 */
function describeRule(schema: TSchema | undefined, keyword: string, message: string): string {
  const { anyOf, description } = (schema ?? {}) as { anyOf?: { const?: unknown }[]; description?: string };
  const choices = anyOf?.map((option) => option.const);
  if (choices?.every((c) => typeof c === 'string')) return `must be one of: ${choices.join(', ')}`;
  if (keyword === 'pattern' && description) return `must be ${description}`;
  return message;
}

/** Variables with `productionMinLength` must be set explicitly in production: a default never counts. */
function assertProductionValues(schema: TObject, given: Record<string, unknown>): void {
  for (const [name, property] of Object.entries(schema.properties) as [string, TSchema & VariableOptions][]) {
    const minimum = property.productionMinLength;
    if (minimum === undefined) continue;
    const value = given[name];
    if (typeof value !== 'string' || value.length < minimum) {
      throw new ConfigError(
        `Invalid environment variable ${name}: required in production, at least ${minimum} characters`,
      );
    }
  }
}

/** The configuration as it may be logged: secret values are replaced by whether they are set. */
export function loggableConfig(config: Config): Record<string, unknown> {
  const values: Record<string, unknown> = config;
  return Object.fromEntries(
    Object.entries(ConfigSchema.properties as Record<string, TSchema & VariableOptions>).map(([name, schema]) => {
      const value = values[name];
      return [name, schema.secret === true ? (value === '' ? '[unset]' : '[set]') : value];
    }),
  );
}
