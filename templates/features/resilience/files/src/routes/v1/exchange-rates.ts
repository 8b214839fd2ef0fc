import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import { UpstreamError } from '../../lib/upstream/errors.ts';
import { problemResponses } from '../../schemas/problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false`: never serve this route's reads from the application cache (the caching feature's option). */
    cache?: boolean;
  }
}

const CURRENCY = '^[A-Z]{3}$';

/** What the upstream must send (as https://api.frankfurter.app/latest does); anything else is refused. */
const UpstreamRates = Type.Object({
  base: Type.String({ pattern: CURRENCY }),
  date: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
  rates: Type.Record(Type.String(), Type.Number({ exclusiveMinimum: 0 }), { maxProperties: 500 }),
});

const ExchangeRates = Type.Object({
  base: Type.String({ pattern: CURRENCY, maxLength: 3 }),
  date: Type.Union([Type.String({ format: 'date', maxLength: 10 }), Type.Null()]),
  rates: Type.Array(
    Type.Object({
      currency: Type.String({ pattern: CURRENCY, maxLength: 3 }),
      rate: Type.Number({ exclusiveMinimum: 0, maximum: 1e12 }),
    }),
    { maxItems: 500 },
  ),
  source: Type.Union([Type.Literal('upstream'), Type.Literal('last-good'), Type.Literal('default')], {
    description:
      '`upstream`: fresh; `last-good`: the upstream failed, these are the last rates it sent; `default`: it never answered',
  }),
  retrievedAt: Type.Union([Type.String({ format: 'date-time', maxLength: 30 }), Type.Null()]),
});
type Rates = Omit<Static<typeof ExchangeRates>, 'source'>;

const DEFAULT_RATES: Rates = { base: 'EUR', date: null, rates: [], retrievedAt: null };

/**
 * GET /v1/exchange-rates: rates from the upstream at UPSTREAM_URL, degrading instead of failing. When the
 * upstream is down, slow, sends garbage or its circuit is open, it answers 200 with the last good rates
 * (or the defaults), and says so in `source`.
 */
export const exchangeRatesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  let lastGood: Rates | undefined;

  app.get(
    '/',
    {
      // It keeps its own last good answer: a response cache would hide the upstream's state from it.
      config: { cache: false },
      schema: {
        tags: ['exchange-rates'],
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: ExchangeRates, ...problemResponses },
      },
    },
    async (request) => {
      const upstream = app.ratesUpstream;
      if (upstream) {
        try {
          const document = await upstream.getJson('', UpstreamRates);
          lastGood = {
            base: document.base,
            date: document.date,
            rates: Object.entries(document.rates)
              .filter(([currency]) => /^[A-Z]{3}$/.test(currency))
              .map(([currency, rate]) => ({ currency, rate })),
            retrievedAt: new Date().toISOString(),
          };
          return { ...lastGood, source: 'upstream' as const };
        } catch (error) {
          if (!(error instanceof UpstreamError)) throw error;
          request.log.warn({ event: 'upstream.degraded', upstream: upstream.name, kind: error.kind }, error.message);
        }
      }
      return lastGood
        ? { ...lastGood, source: 'last-good' as const }
        : { ...DEFAULT_RATES, source: 'default' as const };
    },
  );
};
