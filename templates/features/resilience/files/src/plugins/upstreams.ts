import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import fp from 'fastify-plugin';
import { circuitStateChannel } from '../lib/upstream/circuit-breaker.ts';
import type { Upstream } from '../lib/upstream/client.ts';
import { OutboundGuard } from '../lib/upstream/guard.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The SSRF guard: give it to every other Upstream client this API creates. */
    outboundGuard: OutboundGuard;
    /** The exchange-rates service at UPSTREAM_URL; undefined when none is configured. */
    ratesUpstream: Upstream | undefined;
  }
}

const list = (value: string) =>
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

/**
 * Outbound calls: the SSRF guard (origins from OUTBOUND_ALLOWED_ORIGINS plus UPSTREAM_URL's own,
 * internal networks only from OUTBOUND_ALLOWED_NETWORKS) and the client for UPSTREAM_URL, closed on
 * shutdown. Circuit transitions are logged.
 */
export const upstreams = fp(
  async (app) => {
    const config = app.config;
    if (config.UPSTREAM_DEADLINE_MS >= config.REQUEST_TIMEOUT_MS) {
      // The caller would be cut off (REQUEST_TIMEOUT_MS) before the fallback could answer.
      throw new Error('UPSTREAM_DEADLINE_MS must be shorter than REQUEST_TIMEOUT_MS');
    }
    const guard = new OutboundGuard({
      allowedOrigins: [...list(config.OUTBOUND_ALLOWED_ORIGINS), ...(config.UPSTREAM_URL ? [config.UPSTREAM_URL] : [])],
      allowedNetworks: list(config.OUTBOUND_ALLOWED_NETWORKS),
    });
    let rates: Upstream | undefined;
    if (config.UPSTREAM_URL) {
      // The HTTP client (undici) is loaded only when there is an upstream: it is a good part of start-up time.
      const { Upstream } = await import('../lib/upstream/client.ts');
      rates = new Upstream({
        name: 'exchange-rates',
        baseUrl: config.UPSTREAM_URL,
        guard,
        connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
        attemptTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
        deadlineMs: config.UPSTREAM_DEADLINE_MS,
        maxRetries: config.UPSTREAM_MAX_RETRIES,
        maxConcurrency: config.UPSTREAM_MAX_CONCURRENCY,
        breaker: {
          consecutiveFailures: config.UPSTREAM_BREAKER_FAILURES,
          resetMs: config.UPSTREAM_BREAKER_RESET_MS,
        },
      });
    }
    app.decorate('outboundGuard', guard);
    app.decorate('ratesUpstream', rates);

    const logTransition = (message: unknown) => {
      const { upstream, state } = message as { upstream: string; state: string };
      if (upstream === rates?.name) app.log.warn({ event: 'circuit.state', upstream, state }, `circuit ${state}`);
    };
    subscribe(circuitStateChannel.name, logTransition);
    app.addHook('onClose', async () => {
      unsubscribe(circuitStateChannel.name, logTransition);
      await rates?.close();
    });
  },
  { name: 'upstreams' },
);
