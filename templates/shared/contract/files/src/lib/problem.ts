import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** One failed check of a validation error, located by JSON Pointer (RFC 6901). */
export interface InvalidParam {
  in: 'body' | 'querystring' | 'params' | 'headers';
  pointer: string;
  detail: string;
}

/** An RFC 9457 problem details object. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: InvalidParam[];
}

/** Throw this from routes and plugins: the error handler turns it into application/problem+json. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly headers: Record<string, string>;

  constructor(statusCode: number, detail?: string, headers: Record<string, string> = {}) {
    super(detail ?? STATUS_CODES[statusCode] ?? 'Error');
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.headers = headers;
  }
}

export const notFound = (detail = 'The resource does not exist.') => new HttpError(404, detail);

/** Builds the body for a status. 5xx bodies never carry the underlying error's message. */
export function problem(status: number, instance: string, detail?: string, errors?: InvalidParam[]): Problem {
  const body: Problem = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, instance };
  if (status >= 500) body.detail = 'The server could not complete the request. It has been logged with the request id.';
  else if (detail) body.detail = detail;
  if (errors && errors.length > 0) body.errors = errors;
  return body;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/**
 * Answers with the problem for `error` from a hook, without passing through the app's error handler:
 * the same body and headers wherever a feature runs, whatever error handler the app has.
 */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: HttpError): FastifyReply {
  return reply
    .code(error.statusCode)
    .headers(error.headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problem(error.statusCode, request.url.split('?')[0] ?? '/', error.message));
}
