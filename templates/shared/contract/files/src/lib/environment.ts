import type { Static, TObject, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { compileTextConversion, type TextConversion } from './coerce.ts';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Options this module understands on top of JSON Schema (see parseEnvironment). */
interface VariableOptions {
  secret?: boolean;
  productionMinLength?: number;
}

const compiled = new WeakMap<TObject, { convert: TextConversion; check: ReturnType<typeof Compile> }>();

/**
 * Validates `env` against a `Type.Object` of the variables, one property per variable (named exactly
 * as in the environment). Unset and empty variables take their defaults; numbers and booleans must be
 * spelled exactly. Messages name the variable and the rule it breaks, never the value (which may be a
 * secret). Options beyond JSON Schema:
 * - `secret: true`: the value is never printed (error messages never print values anyway);
 * - `productionMinLength: n`: required, at least n characters, when NODE_ENV=production, so that no
 *   development default reaches production (it must be set explicitly).
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

/** Settings as they may be logged: secret values are replaced by whether they are set. */
export function loggableSettings(schema: TObject, settings: object): Record<string, unknown> {
  const values = settings as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(schema.properties as Record<string, TSchema & VariableOptions>).map(([name, property]) => {
      const value = values[name];
      return [name, property.secret === true ? (value === '' ? '[unset]' : '[set]') : value];
    }),
  );
}
