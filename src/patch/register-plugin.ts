import type { Statement } from 'ts-morph';
import { type AppFactory, findAppFactory, importSource, type Registration, registrations } from './app-factory.ts';
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
  /**
   * Where the registration goes:
   * - `features` (default): after the base's own plugins and before the routes, so its hooks apply to
   *   every route; among feature plugins in registry order;
   * - `first`: before every feature plugin and route, for a plugin that must see every route as it is
   *   added (@fastify/swagger's onRoute hook). Feature plugins add routes too, and registry order would
   *   put it after most of them;
   * - `last`: right before `return app`, after every plugin, so that their onRoute hooks see these
   *   routes as they see the base's.
   */
  placement?: 'features' | 'first' | 'last';
  /** Registers it under this URL prefix (`{ prefix }`). */
  prefix?: string;
  /**
   * Passes the configuration as the plugin's options (`register(metrics, config)`): the plugin reads its
   * settings from there, never from a decorator, so that it works in any app (see feature-contract.md).
   */
  settings?: boolean;
}

const KINDS = { features: 'plugin', first: 'plugin-before-features', last: 'routes' } as const;

const DESCRIPTIONS = {
  features: 'in the app factory',
  first: 'in the app factory, before every feature plugin and route',
  last: 'in the app factory, after the others',
} as const;

/** Registers a plugin in the app factory (see PluginSpec.placement for where). Re-running it changes nothing. */
export function registerPlugin(spec: PluginSpec): Patch {
  const placement = spec.placement ?? 'features';
  const under = spec.prefix ? ` under ${spec.prefix}` : '';
  return {
    description: `register ${spec.name} (${spec.file})${under} ${DESCRIPTIONS[placement]}`,
    role: 'app',
    kind: KINDS[placement],
    identity: stripExtension(spec.file),
    apply(context: PatchContext) {
      const { file, path } = context;
      const factory = findAppFactory(file);
      if (!factory) {
        throw new PatchError(
          `Could not find the app factory in ${path}: looked for a function that assigns the result of calling the 'fastify' import to a variable (const app = Fastify(...)).`,
        );
      }
      ensureImport(file, { from: specifierFor(file, path, context.paths.toProject(spec.file)), named: spec.name });
      const existing = registrations(factory);
      if (existing.some((r) => r.plugin === spec.name)) return;
      // Each registration's module as the templates name it, so that ordering works wherever our files sit.
      const modules = existing.map((r) => {
        const specifier = r.plugin ? importSource(file, r.plugin) : undefined;
        const module = specifier ? resolveSpecifier(path, specifier) : undefined;
        return module ? context.paths.toTemplate(module) : undefined;
      });
      const before =
        placement === 'first'
          ? firstFeatureOrRoute(factory, existing, modules, context)
          : placement === 'last'
            ? returnStatement(factory)
            : amongFeatures(factory, existing, modules, context);
      const prefix = spec.prefix ? `prefix: '${spec.prefix}'` : undefined;
      const options = spec.settings ? (prefix ? `, { ...config, ${prefix} }` : ', config') : prefix ? `, { ${prefix} }` : '';
      const statement = `await ${factory.instance}.register(${spec.name}${options});`;
      factory.body.insertStatements(before ? before.getChildIndex() : factory.body.getStatements().length, statement);
    },
  };
}

function returnStatement(factory: AppFactory): Statement | undefined {
  return factory.body.getStatements().find((s) => s.getText().startsWith(`return ${factory.instance}`));
}

/** Before the first route registration (or the return, or at the end), among feature plugins by registry order. */
function amongFeatures(
  factory: AppFactory,
  existing: readonly Registration[],
  modules: readonly (string | undefined)[],
  context: PatchContext,
): Statement | undefined {
  let anchor = modules.findIndex((m) => m?.includes('/routes/'));
  let anchorStatement: Statement | undefined = anchor >= 0 ? existing[anchor]?.statement : undefined;
  if (!anchorStatement) {
    anchor = existing.length;
    anchorStatement = returnStatement(factory);
  }
  const keys = modules.slice(0, anchor).map((m) => (m ? context.order.of('plugin', m) : undefined));
  const position = insertionIndex(keys, context.key, anchor);
  return position < anchor ? existing[position]?.statement : anchorStatement;
}

/** Before the first registration of a route plugin or of a feature's plugin (or the return). */
function firstFeatureOrRoute(
  factory: AppFactory,
  existing: readonly Registration[],
  modules: readonly (string | undefined)[],
  context: PatchContext,
): Statement | undefined {
  const index = modules.findIndex((m) => m !== undefined && (m.includes('/routes/') || context.order.of('plugin', m) !== undefined));
  return index >= 0 ? existing[index]?.statement : returnStatement(factory);
}
