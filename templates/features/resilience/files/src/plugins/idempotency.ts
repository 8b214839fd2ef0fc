import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { idempotencyStore } from '../lib/idempotency-store.ts';
import { HttpError } from '../lib/problem.ts';
import { scopeKey } from '../lib/scope.ts';
import { ProblemSchema } from '../schemas/problem.ts';

const HEADER = 'idempotency-key';
const KEY = /^[!-~]{1,255}$/;
/** Response headers a replay repeats (the body's type and where the created resource is). */
const REPLAYED_HEADERS = ['content-type', 'location'];

const IdempotencyHeaders = Type.Object({
  [HEADER]: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      pattern: '^[!-~]+$',
      description:
        'A unique value per operation (a UUID, say): a retry with the same key and body gets the first response again instead of repeating the operation; the same key with another body is refused (422).',
    }),
  ),
});

/** POSTs that change data and need credentials; public ones (login, say) must never replay a response. */
const applies = (method: string | string[], config: { public?: boolean } | undefined) =>
  [method].flat().includes('POST') && config?.public !== true;

interface Claim {
  scope: string;
  key: string;
}

/**
 * `Idempotency-Key` on every non-public POST (draft-ietf-httpapi-idempotency-key-header): the first
 * request with a key claims it and its response is stored; the same key with the same request (method,
 * URL, body, and the same data scope: one client can never see another's response) replays that
 * response with `Idempotent-Replayed: true`; with a different request it is 422, and while the first is
 * still in progress 409. Failed requests (5xx) release the key so that the client can retry.
 */
export const idempotency = fp(
  async (app) => {
    const store = idempotencyStore(app.db, app.config.IDEMPOTENCY_TTL_SECONDS * 1000);
    const claims = new WeakMap<FastifyRequest, Claim>();

    app.addHook('onRoute', (route: RouteOptions) => {
      if (!applies(route.method, route.config) || !route.schema || route.schema.headers) return;
      const response = route.schema.response as Record<string, unknown> | undefined;
      route.schema = {
        ...route.schema,
        headers: IdempotencyHeaders,
        ...(response ? { response: { ...response, 409: ProblemSchema, 422: ProblemSchema } } : {}),
      };
    });

    app.addHook('preHandler', async (request, reply) => {
      const key = request.headers[HEADER];
      if (typeof key !== 'string' || !applies(request.method, request.routeOptions.config)) return;
      // Routes without a schema skip header validation: check the key here as well.
      if (!KEY.test(key))
        throw new HttpError(400, 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.');
      const scope = scopeKey(request.dataScope);
      const fingerprint = createHash('sha256')
        .update(JSON.stringify([request.method, request.url, request.body ?? null]))
        .digest('base64url');
      if (await store.claim(scope, key, fingerprint)) {
        claims.set(request, { scope, key });
        return;
      }
      const stored = await store.find(scope, key);
      if (stored && stored.fingerprint !== fingerprint) {
        throw new HttpError(422, 'This Idempotency-Key was already used for a different request.');
      }
      if (!stored || stored.status === null || stored.body === null) {
        throw new HttpError(409, 'A request with this Idempotency-Key is still in progress.', { 'retry-after': '1' });
      }
      const headers = JSON.parse(stored.headers ?? '{}') as Record<string, string>;
      return reply
        .code(stored.status)
        .headers({ ...headers, 'idempotent-replayed': 'true' })
        .send(stored.body);
    });

    const release = async (request: FastifyRequest) => {
      const claim = claims.get(request);
      if (!claim) return;
      claims.delete(request);
      await store.release(claim.scope, claim.key);
    };

    app.addHook('onSend', async (request, reply: FastifyReply, payload) => {
      const claim = claims.get(request);
      if (!claim) return payload;
      const body = payload ?? '';
      if (reply.statusCode >= 500 || typeof body !== 'string') {
        await release(request);
        return payload;
      }
      claims.delete(request);
      const headers = Object.fromEntries(
        REPLAYED_HEADERS.flatMap((name) => {
          const value = reply.getHeader(name);
          return value === undefined ? [] : [[name, String(value)]];
        }),
      );
      try {
        await store.complete(claim.scope, claim.key, reply.statusCode, JSON.stringify(headers), body);
      } catch (error) {
        // The operation did happen: answer it anyway; the key is released, so a retry would repeat it.
        request.log.error({ err: error, event: 'idempotency.store-failed' }, 'could not store the response for replay');
        await store.release(claim.scope, claim.key).catch(() => undefined);
      }
      return payload;
    });
    // A client that goes away does not release its key: the operation goes on, and onSend stores its
    // response for the retry. Only a request that ends without passing onSend (a hijacked reply) releases it here.
    app.addHook('onResponse', release);
  },
  { name: 'idempotency', dependencies: ['database'] },
);
