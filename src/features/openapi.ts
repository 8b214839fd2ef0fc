import { addConfigProperty } from '../patch/config-property.ts';
import { registerPlugin } from '../patch/register-plugin.ts';
import { defineFeature } from './define.ts';

export const openapi = defineFeature({
  id: 'openapi',
  title: 'OpenAPI docs',
  description:
    'OpenAPI 3.1 generated from the route schemas at /openapi.json, Swagger UI at /docs (own CSP, off in production unless enabled), Spectral OWASP lint',
  unsupportedForeign: 'not yet adapted to projects we did not generate.',
  presets: ['standard', 'full'],
  dependencies: { '@fastify/swagger': '9.9.3', '@fastify/swagger-ui': '6.1.3' },
  devDependencies: {
    '@stoplight/spectral-cli': '6.16.3',
    '@stoplight/spectral-owasp-ruleset': '2.0.1',
  },
  scripts: {
    openapi: 'node scripts/openapi.ts',
    'lint:api': 'npm run openapi && spectral lint dist/openapi.json --ruleset .spectral.yaml --fail-severity=error',
  },
  env: [
    {
      name: 'DOCS_ENABLED',
      example: '',
      description: 'Serve /openapi.json and /docs: true or false; unset serves them everywhere except production (NODE_ENV=production)',
    },
  ],
  patches: [
    registerPlugin({ name: 'openapi', file: 'src/plugins/openapi.ts', placement: 'first' }),
    registerPlugin({ name: 'apiDocs', file: 'src/plugins/api-docs.ts' }),
    addConfigProperty('DOCS_ENABLED', 'Type.Optional(Type.Boolean())'),
  ],
});
