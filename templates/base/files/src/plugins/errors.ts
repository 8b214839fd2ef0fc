import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError, type InvalidParam, PROBLEM_CONTENT_TYPE, problem } from '../lib/problem.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

type ValidationIssue = NonNullable<FastifyError['validation']>[number];

/** A JSON Pointer to the offending value, including the property a `required`/`additionalProperties` check names. */
function pointerOf(issue: ValidationIssue): string {
  const params = issue.params as Record<string, unknown>;
  const property =
    params.requiredProperties ?? params.missingProperty ?? params.additionalProperties ?? params.additionalProperty;
  const name = Array.isArray(property) ? property[0] : property;
  return `#${issue.instancePath}${typeof name === 'string' ? `/${name}` : ''}`;
}

function send(request: FastifyRequest, reply: FastifyReply, status: number, detail?: string, errors?: InvalidParam[]) {
  const instance = request.url.split('?')[0];
  return reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problem(status, instance ?? '/', detail, errors));
}

/** For errors Fastify raises before routing (bad URL encoding, over-long parameters): same shape, same headers. */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.headers({ ...SECURITY_HEADERS, 'x-request-id': request.id });
  return send(
    request,
    reply,
    error.statusCode ?? 400,
    error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long.' : 'The URL is not valid.',
  );
}

/**
 * Every error leaves as RFC 9457 application/problem+json: validation failures with JSON Pointers,
 * unknown routes and methods as 404, and 5xx without internals (the full error is logged with the
 * request id instead).
 */
export const errorHandling = fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.validation) {
        const where = (error.validationContext ?? 'body') as InvalidParam['in'];
        const errors = error.validation.map((issue) => ({
          in: where,
          pointer: pointerOf(issue),
          detail: issue.message ?? 'is invalid',
        }));
        request.log.warn({ event: 'validation.failed', errors }, 'request rejected by validation');
        return send(request, reply, 400, 'The request is not valid.', errors);
      }
      if (error instanceof HttpError) reply.headers(error.headers);
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ event: 'request.rejected', status, code: error.code }, error.message);
      return send(request, reply, status, error.message);
    });

    app.setNotFoundHandler((request, reply) => send(request, reply, 404, 'There is no such resource.'));
  },
  { name: 'error-handling' },
);
