import { addConfigProperty } from '../patch/config-property.ts';
import { registerPlugin } from '../patch/register-plugin.ts';
import { defineFeature } from './define.ts';

export const metrics = defineFeature({
  id: 'metrics',
  title: 'Metrics',
  description:
    'Prometheus /metrics behind a bearer token: RED metrics per route template, in-flight, runtime, build info, security and cache signals; alert rules with unit tests, Grafana dashboard',
  presets: ['standard', 'full'],
  dependencies: { 'prom-client': '15.1.3' },
  equivalents: ['fastify-metrics', '@immobiliarelabs/fastify-metrics', 'fastify-prometheus', 'prom-client'],
  env: [
    {
      name: 'METRICS_TOKEN',
      example: '',
      description:
        'Bearer token Prometheus presents to scrape /metrics, e.g. from `openssl rand -hex 32` (secret; required in production, at least 32 characters; empty: /metrics refuses every request)',
    },
    {
      name: 'METRICS_CLIENT_LIMIT',
      example: '0',
      description:
        'Count requests per client (signed-in user) for this many distinct clients, the rest as one "other" series; 0 turns the per-client counter off',
    },
  ],
  patches: [
    registerPlugin({ name: 'metrics', file: 'src/plugins/metrics.ts', settings: true }),
    addConfigProperty('METRICS_TOKEN', "Type.String({ default: '', secret: true, productionMinLength: 32, maxLength: 512 })"),
    addConfigProperty('METRICS_CLIENT_LIMIT', 'Type.Integer({ default: 0, minimum: 0, maximum: 10_000 })'),
  ],
});
