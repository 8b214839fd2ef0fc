import { findAppFactory, importSource, registrations } from './app-factory.ts';
import { ensureImport } from './imports.ts';
import { resolveSpecifier, specifierFor, stripExtension } from './module-paths.ts';
import { insertionIndex } from './ordered-insert.ts';
import { PatchError } from './patch-error.ts';
import type { Patch, PatchContext } from './types.ts';

export interface PluginSpec {
  /** Local name of the plugin, e.g. `rateLimit`; the module's named export of that name. */
  name: string;
  /** The plugin's file in the project, e.g. `src/plugins/rate-limit.ts`. */
  file: string;
}

/**
 * Registers a plugin in the app factory: after the base's own plugins and before the routes, so its
 * hooks apply to every route; among feature plugins in registry order.
 */
export function registerPlugin(spec: PluginSpec): Patch {
  return {
    description: `register ${spec.name} (${spec.file}) in the app factory`,
    role: 'app',
    kind: 'plugin',
    identity: stripExtension(spec.file),
    apply(context: PatchContext) {
      const { file, path } = context;
      const factory = findAppFactory(file);
      if (!factory) {
        throw new PatchError(
          `Could not find the app factory in ${path}: looked for a function that assigns the result of calling the 'fastify' import to a variable (const app = Fastify(...)).`,
        );
      }
      ensureImport(file, { from: specifierFor(file, path, spec.file), named: spec.name });
      const existing = registrations(factory);
      if (existing.some((r) => r.plugin === spec.name)) return;

      const modules = existing.map((r) => {
        const specifier = r.plugin ? importSource(file, r.plugin) : undefined;
        return specifier ? resolveSpecifier(path, specifier) : undefined;
      });
      const statements = factory.body.getStatements();
      let anchor = modules.findIndex((m) => m?.includes('/routes/'));
      let anchorStatement = anchor >= 0 ? existing[anchor]?.statement : undefined;
      if (!anchorStatement) {
        anchor = existing.length;
        anchorStatement = statements.find((s) => s.getText().startsWith(`return ${factory.instance}`));
      }
      if (!anchorStatement) {
        throw new PatchError(
          `Could not find where routes are registered in ${factory.name}() in ${path}: looked for \`await ${factory.instance}.register(<plugin imported from a routes/ folder>)\` or \`return ${factory.instance}\`.`,
        );
      }
      const keys = modules.slice(0, anchor).map((m) => (m ? context.order.of('plugin', m) : undefined));
      const position = insertionIndex(keys, context.key, anchor);
      const before = position < anchor ? existing[position]?.statement : anchorStatement;
      const index = before ? before.getChildIndex() : statements.length;
      factory.body.insertStatements(index, `await ${factory.instance}.register(${spec.name});`);
    },
  };
}
