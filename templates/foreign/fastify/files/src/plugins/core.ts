import fp from 'fastify-plugin';
import { type Config, loggableConfig } from '../config.ts';
import { NO_SCOPE } from '../lib/scope.ts';
import '../types.ts';

/**
 * What every feature here relies on: the readiness checks list and a data scope on every request
 * (empty: this app's own authentication decides who sees what). Logs the settings once, secrets masked.
 */
export const core = fp<Config>(
  async (app, config) => {
    app.decorate('readinessChecks', []);
    app.decorateRequest('dataScope', null as never);
    app.addHook('onRequest', (request, _reply, done) => {
      request.dataScope = NO_SCOPE;
      done();
    });
    app.log.info({ settings: loggableConfig(config) }, 'create-hardened-api settings loaded');
  },
  { name: 'hardened-api-core' },
);
