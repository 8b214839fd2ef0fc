import { defineFeature } from './define.ts';

export const docker = defineFeature({
  id: 'docker',
  title: 'Docker',
  description:
    'Multi-stage Dockerfile (pinned Node LTS, npm ci --ignore-scripts, non-root, tini, HEALTHCHECK without curl) and a hardened compose stack with PostgreSQL and Redis',
  unsupportedForeign: 'not yet adapted to projects we did not generate.',
  presets: ['standard', 'full'],
});
