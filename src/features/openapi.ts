import { findAppFactory, importSource, registrations } from '../patch/app-factory.ts';
import { addConfigProperty } from '../patch/config-property.ts';
import { ensureImport } from '../patch/imports.ts';
import { resolveSpecifier, specifierFor, stripExtension } from '../patch/module-paths.ts';
import { PatchError } from '../patch/patch-error.ts';
import { registerPlugin } from '../patch/register-plugin.ts';
import type { Patch } from '../patch/types.ts';
import { defineFeature } from './define.ts';

/**
 * Registers a plugin right after the base's own plugins, before every feature plugin and every route.
 *
 * @fastify/swagger learns the routes from an `onRoute` hook, so it misses every route added before it
 * is registered: feature plugins add routes too (login, /v2, /metrics), and registerPlugin would order
 * this one among them by registry position, after most. Its kind is not `plugin`, so to other
 * features' registerPlugin it is like one of the base's plugins: it keeps its place, before theirs.
 */
function registerBeforeFeatures(spec: { name: string; file: string }): Patch {
  return {
    description: `register ${spec.name} (${spec.file}) in the app factory, before every feature plugin and route`,
    role: 'app',
    kind: 'plugin-before-features',
    identity: stripExtension(spec.file),
    apply({ file, path, order }) {
      const factory = findAppFactory(file);
      if (!factory) {
        throw new PatchError(
          `Could not find the app factory in ${path}: looked for a function that assigns the result of calling the 'fastify' import to a variable (const app = Fastify(...)).`,
        );
      }
      ensureImport(file, { from: specifierFor(file, path, spec.file), named: spec.name });
      const existing = registrations(factory);
      if (existing.some((r) => r.plugin === spec.name)) return;
      const first = existing.find((r) => {
        const specifier = r.plugin ? importSource(file, r.plugin) : undefined;
        const module = specifier ? resolveSpecifier(path, specifier) : undefined;
        return module !== undefined && (module.includes('/routes/') || order.of('plugin', module) !== undefined);
      });
      const anchor = first?.statement ?? factory.body.getStatements().find((s) => s.getText().startsWith(`return ${factory.instance}`));
      if (!anchor) {
        throw new PatchError(
          `Could not find where plugins are registered in ${factory.name}() in ${path}: looked for \`await ${factory.instance}.register(...)\` of a route or feature plugin, or \`return ${factory.instance}\`.`,
        );
      }
      factory.body.insertStatements(anchor.getChildIndex(), `await ${factory.instance}.register(${spec.name});`);
    },
  };
}

export const openapi = defineFeature({
  id: 'openapi',
  title: 'OpenAPI docs',
  description:
    'OpenAPI 3.1 generated from the route schemas at /openapi.json, Swagger UI at /docs (own CSP, off in production unless enabled), Spectral OWASP lint',
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
    registerBeforeFeatures({ name: 'openapi', file: 'src/plugins/openapi.ts' }),
    registerPlugin({ name: 'apiDocs', file: 'src/plugins/api-docs.ts' }),
    addConfigProperty('DOCS_ENABLED', 'Type.Optional(Type.Boolean())'),
  ],
});
