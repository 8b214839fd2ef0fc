import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';

export type TextConversion = (input: unknown) => unknown;

interface ScalarProperty {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean';
  default: unknown;
}

/** The parts of a property's schema the conversion reads. */
interface PropertySchema {
  type?: unknown;
  anyOf?: unknown;
  default?: unknown;
}

const INTEGER = /^-?\d{1,15}$/;
const NUMBER = /^-?\d{1,15}(\.\d{1,15})?$/;
const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * Text in, typed values out: for the environment, query strings and path parameters. Gives each
 * property its default and its declared number/boolean type. Only exact spellings convert (`3.5` is not
 * an integer, `0x10` and `1e3` are not numbers, `yes` is not a boolean): anything else stays text, so
 * the schema check that follows rejects it rather than accepting a silently different value.
 * For the usual flat object of scalars this is a loop precomputed per schema (TypeBox's generic
 * Value.Convert + Value.Default walk cost several percent of a request); anything else takes the
 * generic path.
 */
export function compileTextConversion(schema: TSchema): TextConversion {
  const { type, properties } = schema as { type?: unknown; properties?: Record<string, PropertySchema> };
  const scalars: ScalarProperty[] = [];
  const flat =
    type === 'object' &&
    properties !== undefined &&
    Object.entries(properties).every(([name, property]) => {
      const kind = property.type ?? (isStringChoice(property.anyOf) ? 'string' : undefined);
      if (typeof kind !== 'string' || !SCALARS.has(kind)) return false;
      scalars.push({ name, type: kind as ScalarProperty['type'], default: property.default });
      return true;
    });
  if (!flat) return (input) => Value.Default(schema, Value.Convert(schema, input));
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
    const output: Record<string, unknown> = { ...(input as Record<string, unknown>) };
    for (const property of scalars) {
      const value = output[property.name];
      if (value === undefined) {
        if (property.default !== undefined) output[property.name] = property.default;
      } else if (typeof value === 'string' && property.type !== 'string') {
        output[property.name] = toScalar(value, property.type);
      }
    }
    return output;
  };
}

function isStringChoice(anyOf: unknown): boolean {
  return Array.isArray(anyOf) && anyOf.every((option: { const?: unknown }) => typeof option.const === 'string');
}

function toScalar(text: string, type: ScalarProperty['type']): unknown {
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return (type === 'integer' ? INTEGER : NUMBER).test(text) ? Number(text) : text;
}
