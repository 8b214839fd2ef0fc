import cors from '@fastify/cors';
import fp from 'fastify-plugin';

/** CORS only for the origins listed in CORS_ORIGINS; none listed means no cross-origin access at all. */
export const corsAllowlist = fp(
  async (app) => {
    const origins = app.config.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    if (origins.length === 0) return;
    await app.register(cors, {
      origin: origins,
      methods: ['GET', 'POST', 'PATCH', 'DELETE'],
      credentials: false,
      maxAge: 600,
      strictPreflight: true,
    });
  },
  { name: 'cors' },
);
