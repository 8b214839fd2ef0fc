import type { FastifyPluginAsync } from 'fastify';
import { itemsV2Routes } from './items/index.ts';

/** Every resource of API version 2. */
export const v2Routes: FastifyPluginAsync = async (app) => {
  await app.register(itemsV2Routes, { prefix: '/items' });
};
