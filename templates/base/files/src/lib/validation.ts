import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';

/**
 * Route validation with compiled TypeBox checks. Query strings, params and headers are text, so they
 * get defaults and type conversion; bodies are checked exactly as sent. Only the first error is
 * reported: computing every error of a hostile payload is a denial-of-service lever (Ajv's allErrors).
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const compiled = Compile(schema);
  const convert = httpPart !== 'body';
  return (input: unknown) => {
    const value = convert ? Value.Default(schema, Value.Convert(schema, input)) : input;
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
