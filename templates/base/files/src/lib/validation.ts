import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { compileTextConversion, type TextConversion } from './coerce.ts';

/**
 * Route validation with compiled TypeBox checks. Query strings, params and headers are text: they get
 * defaults and strict type conversion (`limit=3.5` stays text and fails an integer check); bodies are
 * checked exactly as sent. Only the first error is reported: computing every error of a hostile payload
 * is a denial-of-service lever (Ajv's allErrors).
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const compiled = Compile(schema);
  const convert: TextConversion | undefined = httpPart === 'body' ? undefined : compileTextConversion(schema);
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
