import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

type Convert = (input: unknown) => unknown;

interface ScalarProperty {
  name: string;
  type: unknown;
  default: unknown;
}

/**
 * Query strings and path parameters arrive as text: give them their declared number/boolean types and
 * their defaults. For the usual flat object of scalars this is a precomputed loop (the generic
 * Value.Convert + Value.Default walk cost several percent of a request); anything else takes the
 * generic path.
 */
function compileConversion(schema: TSchema): Convert {
  const { type, properties } = schema as { type?: unknown; properties?: Record<string, Record<string, unknown>> };
  const scalars: ScalarProperty[] = [];
  const flat =
    type === 'object' &&
    properties !== undefined &&
    Object.entries(properties).every(([name, property]) => {
      const kind = property.type ?? (Array.isArray(property.anyOf) ? 'string' : undefined);
      if (!['string', 'integer', 'number', 'boolean'].includes(String(kind))) return false;
      if (
        kind === 'string' &&
        Array.isArray(property.anyOf) &&
        !property.anyOf.every((v: { const?: unknown }) => typeof v.const === 'string')
      )
        return false;
      scalars.push({ name, type: kind, default: property.default });
      return true;
    });
  if (!flat) return (input) => Value.Default(schema, Value.Convert(schema, input));
  return (input) => {
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

function toScalar(text: string, type: unknown): unknown {
  if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  const number = text.trim() === '' ? Number.NaN : Number(text);
  return Number.isNaN(number) ? text : number;
}

/**
 * Route validation with compiled TypeBox checks. Query strings, params and headers get defaults and
 * type conversion; bodies are checked exactly as sent. Only the first error is reported: computing
 * every error of a hostile payload is a denial-of-service lever (Ajv's allErrors).
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const compiled = Compile(schema);
  const convert: Convert | undefined = httpPart === 'body' ? undefined : compileConversion(schema);
  return (input: unknown) => {
    const value = convert ? convert(input) : input;
    if (compiled.Check(value)) return { value };
    const [first] = compiled.Errors(value);
    if (!first) return { error: [] };
    // additionalProperties:false reports the extra property as "schema is false": say what it means.
    const message =
      first.keyword === 'boolean' && first.schemaPath.endsWith('/additionalProperties')
        ? 'is not an allowed property'
        : first.message;
    return { error: [{ ...first, message }] };
  };
};
