import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { decodeCursor } from '../../../lib/cursor.ts';
import { HttpError, notFound } from '../../../lib/problem.ts';
import { problemResponses } from '../../../schemas/problem.ts';
import { itemsRepository } from '../../v1/items/repository.ts';
import { CreateItemBody, ItemParams, ItemSchema, ListItemsQuery, UpdateItemBody } from '../../v1/items/schemas.ts';

/**
 * What changed from v1: a page is `{ data, page: { next } }` (v1: `{ data, nextCursor }`), leaving room
 * for more page metadata without another breaking change. Items themselves, their validation and their
 * data access are v1's (one repository, one table, the same `request.dataScope`).
 */
export const ItemPageV2 = Type.Object({
  data: Type.Array(ItemSchema, { maxItems: 100 }),
  page: Type.Object({
    next: Type.Union([Type.String({ maxLength: 512, pattern: '^[A-Za-z0-9_-]+$' }), Type.Null()]),
  }),
});

const tags = ['items v2'];

export const itemsV2Routes: FastifyPluginAsyncTypebox = async (app) => {
  const items = itemsRepository(app.db);

  app.get(
    '/',
    { schema: { tags, querystring: ListItemsQuery, response: { 200: ItemPageV2, ...problemResponses } } },
    async (request, reply) => {
      const { cursor, sort } = request.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor, sort);
      if (cursor !== undefined && !after) throw new HttpError(400, 'The cursor is not valid for this query.');
      const page = await items.list(request.dataScope, request.query, after);
      if (page.nextCursor) {
        const next = new URLSearchParams({ ...stringValues(request.query), cursor: page.nextCursor });
        reply.header('link', `<${pathOf(request.url)}?${next}>; rel="next"`);
      }
      return { data: page.items, page: { next: page.nextCursor } };
    },
  );

  app.post(
    '/',
    { schema: { tags, body: CreateItemBody, response: { 201: ItemSchema, ...problemResponses } } },
    async (request, reply) => {
      const item = await items.create(request.dataScope, request.body);
      return reply
        .code(201)
        .header('location', `${pathOf(request.url).replace(/\/$/, '')}/${item.id}`)
        .send(item);
    },
  );

  app.get(
    '/:id',
    { schema: { tags, params: ItemParams, response: { 200: ItemSchema, ...problemResponses } } },
    async (request) => (await items.get(request.dataScope, request.params.id)) ?? Promise.reject(notFound()),
  );

  app.patch(
    '/:id',
    { schema: { tags, params: ItemParams, body: UpdateItemBody, response: { 200: ItemSchema, ...problemResponses } } },
    async (request) =>
      (await items.update(request.dataScope, request.params.id, request.body)) ?? Promise.reject(notFound()),
  );

  app.delete(
    '/:id',
    { schema: { tags, params: ItemParams, response: { 204: Type.Null(), ...problemResponses } } },
    async (request, reply) => {
      if (!(await items.remove(request.dataScope, request.params.id))) throw notFound();
      return reply.code(204).send(null);
    },
  );
};

const pathOf = (url: string) => url.split('?')[0] ?? url;

function stringValues(query: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
}
