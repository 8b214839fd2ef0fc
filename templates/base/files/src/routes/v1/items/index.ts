import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { decodeCursor } from '../../../lib/cursor.ts';
import { HttpError, notFound } from '../../../lib/problem.ts';
import { problemResponses } from '../../../schemas/problem.ts';
import { itemsRepository } from './repository.ts';
import { CreateItemBody, ItemPage, ItemParams, ItemSchema, ListItemsQuery, UpdateItemBody } from './schemas.ts';

/** CRUD and cursor-paginated listing of items, confined to `request.dataScope`. */
export const itemsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const items = itemsRepository(app.db);

  app.get(
    '/',
    { schema: { tags: ['items'], querystring: ListItemsQuery, response: { 200: ItemPage, ...problemResponses } } },
    async (request, reply) => {
      const { cursor, sort } = request.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor, sort);
      if (cursor !== undefined && !after) throw new HttpError(400, 'The cursor is not valid for this query.');
      const page = await items.list(request.dataScope, request.query, after);
      if (page.nextCursor) {
        const next = new URLSearchParams({ ...stringValues(request.query), cursor: page.nextCursor });
        reply.header('link', `<${pathOf(request.url)}?${next}>; rel="next"`);
      }
      return { data: page.items, nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/',
    { schema: { tags: ['items'], body: CreateItemBody, response: { 201: ItemSchema, ...problemResponses } } },
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
    { schema: { tags: ['items'], params: ItemParams, response: { 200: ItemSchema, ...problemResponses } } },
    async (request) => (await items.get(request.dataScope, request.params.id)) ?? Promise.reject(notFound()),
  );

  app.patch(
    '/:id',
    {
      schema: {
        tags: ['items'],
        params: ItemParams,
        body: UpdateItemBody,
        response: { 200: ItemSchema, ...problemResponses },
      },
    },
    async (request) =>
      (await items.update(request.dataScope, request.params.id, request.body)) ?? Promise.reject(notFound()),
  );

  app.delete(
    '/:id',
    { schema: { tags: ['items'], params: ItemParams, response: { 204: Type.Null(), ...problemResponses } } },
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
