import { addConfigProperty } from '../patch/config-property.ts';
import { registerPlugin } from '../patch/register-plugin.ts';
import { defineFeature } from './define.ts';

/**
 * The shape of an ISO 8601 date or date-time (`2027-06-30`, `2027-06-30T12:00:00Z`), or empty (not
 * announced); the plugin rejects one that is not a real instant. Short enough to stay on one line, as
 * Biome formats ConfigSchema.
 */
const INSTANT = "Type.String({ default: '', pattern: '^([0-9-]{10}(T[0-9:.]{5,12}(Z|[+-][0-9:]{5}))?)?$' })";

export const versioning = defineFeature({
  id: 'versioning',
  title: 'Versioning',
  description:
    'URL major versions: /v2 beside /v1 on the same data access; v1 Deprecation (RFC 9745), Sunset (RFC 8594) and Link headers, 410 Gone after the sunset',
  unsupportedForeign:
    "it serves our example resource under /v1 and /v2; an existing API's URLs would change. Register your routes under a version prefix yourself (`register(routes, { prefix: '/v1' })`).",
  presets: ['full'],
  env: [
    {
      name: 'API_V1_DEPRECATED_AT',
      example: '',
      description:
        'When v1 was (or will be) deprecated, e.g. 2027-01-01: every v1 response then says so (Deprecation, Link to /v2); empty: not announced',
    },
    {
      name: 'API_V1_SUNSET_AT',
      example: '',
      description:
        'When v1 stops answering, e.g. 2027-07-01T00:00:00Z: announced in a Sunset header, 410 Gone from then on; empty: not scheduled',
    },
  ],
  patches: [
    registerPlugin({ name: 'versioning', file: 'src/plugins/versioning.ts' }),
    addConfigProperty('API_V1_DEPRECATED_AT', INSTANT),
    addConfigProperty('API_V1_SUNSET_AT', INSTANT),
  ],
});
