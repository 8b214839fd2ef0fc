import { defineFeature } from './define.ts';

export const nginx = defineFeature({
  id: 'nginx',
  title: 'NGINX',
  description:
    'TLS reverse proxy (Mozilla intermediate, HSTS, HTTP to HTTPS), least_conn upstream with keep-alive, client address handed to the API, edge limits, dev certificate script',
  unsupportedForeign: 'not yet adapted to projects we did not generate.',
  presets: ['full'],
  scripts: { 'dev:cert': 'sh scripts/dev-cert.sh' },
});
