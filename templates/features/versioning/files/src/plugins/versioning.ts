import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { type Static, Type } from 'typebox';
import { HttpError } from '../lib/problem.ts';
import { v2Routes } from '../routes/v2/index.ts';
import { problemResponses } from '../schemas/problem.ts';

declare module 'fastify' {
  interface FastifySchema {
    /** Marks the operation deprecated in the OpenAPI document. */
    deprecated?: boolean;
  }
}

/** Where clients read about the deprecation (the `rel="deprecation"` link): the version inventory below. */
export const VERSIONS_PATH = '/versions';

/** Path of a v1 request (`/v1` or below it), or undefined for any other. */
const v1Path = (url: string): string | undefined => {
  const path = url.split('?')[0] ?? url;
  return path === '/v1' || path.startsWith('/v1/') ? path : undefined;
};

/** The v1 lifecycle from the configuration: instants in ms, undefined when not announced. */
export interface V1Lifecycle {
  deprecatedAt: number | undefined;
  sunsetAt: number | undefined;
}

export function v1Lifecycle(config: { API_V1_DEPRECATED_AT: string; API_V1_SUNSET_AT: string }): V1Lifecycle {
  const instant = (name: string, value: string) => {
    if (value === '') return undefined;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new Error(`${name} is not a date: use the form 2027-06-30 or 2027-06-30T12:00:00Z`);
    return ms;
  };
  const deprecatedAt = instant('API_V1_DEPRECATED_AT', config.API_V1_DEPRECATED_AT);
  const sunsetAt = instant('API_V1_SUNSET_AT', config.API_V1_SUNSET_AT);
  if (deprecatedAt !== undefined && sunsetAt !== undefined && sunsetAt <= deprecatedAt) {
    throw new Error('API_V1_SUNSET_AT must be later than API_V1_DEPRECATED_AT');
  }
  return { deprecatedAt, sunsetAt };
}

const VersionInfo = Type.Object({
  version: Type.Union([Type.Literal('v1'), Type.Literal('v2')]),
  status: Type.Union([Type.Literal('current'), Type.Literal('deprecated'), Type.Literal('retired')]),
  deprecatedAt: Type.Optional(Type.String({ format: 'date-time', maxLength: 30 })),
  sunsetAt: Type.Optional(Type.String({ format: 'date-time', maxLength: 30 })),
  successor: Type.Optional(Type.Literal('v2')),
});

/**
 * URL major versions: /v2 next to the base's /v1 (same data access), and the v1 lifecycle as headers on
 * every v1 response: `Deprecation: @<unix time>` (RFC 9745) once API_V1_DEPRECATED_AT is set,
 * `Sunset: <HTTP-date>` (RFC 8594) once API_V1_SUNSET_AT is set, and `Link` to the policy
 * (`rel="deprecation"`) and to the same resource in v2 (`rel="successor-version"`). From the sunset on,
 * v1 answers 410 Gone. GET /versions lists the versions and their status.
 */
export const versioning = fp(
  async (app) => {
    const { deprecatedAt, sunsetAt } = v1Lifecycle(app.config);
    const announced = deprecatedAt !== undefined || sunsetAt !== undefined;
    const routes = new Set<string>();

    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) routes.add(`${method} ${route.url}`);
      if (announced && v1Path(route.url)) route.schema = { ...route.schema, deprecated: true };
    });

    if (announced) {
      const lifecycle: Record<string, string> = {};
      if (deprecatedAt !== undefined) lifecycle.deprecation = `@${Math.floor(deprecatedAt / 1000)}`;
      if (sunsetAt !== undefined) lifecycle.sunset = new Date(sunsetAt).toUTCString();
      const gone = sunsetAt === undefined ? '' : `API v1 was retired on ${new Date(sunsetAt).toISOString()}: use /v2.`;

      app.addHook('onRequest', (request, reply, done) => {
        const path = v1Path(request.url);
        if (!path) return done();
        const links = [`<${VERSIONS_PATH}>; rel="deprecation"; type="application/json"`];
        const template = request.routeOptions.url;
        if (template && routes.has(`${request.method} ${template.replace(/^\/v1/, '/v2')}`)) {
          links.push(`<${path.replace(/^\/v1/, '/v2')}>; rel="successor-version"`);
        }
        reply.headers({ ...lifecycle, link: links.join(', ') });
        if (sunsetAt !== undefined && Date.now() >= sunsetAt) return done(new HttpError(410, gone));
        done();
      });
    }

    const versionsRoutes: FastifyPluginAsyncTypebox = async (routesApp) => {
      routesApp.get(
        VERSIONS_PATH,
        {
          config: { public: true },
          schema: {
            tags: ['versions'],
            querystring: Type.Object({}, { additionalProperties: false }),
            response: {
              200: Type.Object({ versions: Type.Array(VersionInfo, { maxItems: 10 }) }),
              ...problemResponses,
            },
          },
        },
        async () => {
          const iso = (instant: number) => new Date(instant).toISOString();
          const v1: Static<typeof VersionInfo> = {
            version: 'v1',
            status: sunsetAt !== undefined && Date.now() >= sunsetAt ? 'retired' : announced ? 'deprecated' : 'current',
            ...(deprecatedAt === undefined ? {} : { deprecatedAt: iso(deprecatedAt) }),
            ...(sunsetAt === undefined ? {} : { sunsetAt: iso(sunsetAt) }),
            ...(announced ? { successor: 'v2' as const } : {}),
          };
          return { versions: [v1, { version: 'v2' as const, status: 'current' as const }] };
        },
      );
    };
    await app.register(versionsRoutes);
    await app.register(v2Routes, { prefix: '/v2' });
  },
  { name: 'versioning' },
);
