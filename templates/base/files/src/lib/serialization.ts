import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import type { TSchema } from 'typebox';

const serializers = new WeakMap<object, (data: unknown) => string>();

/**
 * Response serializers, compiled once per schema. Fastify asks for one per route and status code, and
 * most of them are the same problem-details schema: compiling each separately took hundreds of
 * compilations and a good part of the start-up time.
 */
export const serializerCompiler: FastifySerializerCompiler<TSchema> = ({ schema }) => {
  let serialize = serializers.get(schema);
  if (!serialize) {
    serialize = fastJson(schema);
    serializers.set(schema, serialize);
  }
  return serialize;
};
