import type { FastifyPluginAsync } from 'fastify';
import { itemsRoutes } from './items/index.ts';

/** Every resource of API version 1. `npm run generate -- resource <name>` adds new ones here. */
export const v1Routes: FastifyPluginAsync = async (app) => {
  await app.register(itemsRoutes, { prefix: '/items' });
};
