import fp from 'fastify-plugin';
import { loadConfig } from './config.ts';
import { core } from './plugins/core.ts';

/**
 * The plugins create-hardened-api added to this app, in the order they must run. The app registers this
 * one plugin before its routes; `create-hardened-api add <feature>` adds its line here.
 */
export const hardenedApi = fp(
  async (app) => {
    const config = loadConfig();
    await app.register(core, config);
  },
  { name: 'hardened-api' },
);
