import { stripExtension } from './module-paths.ts';
import type { Patch } from './types.ts';
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
    // The AST work (and ts-morph) loads only when a patch runs: `--version`, `--help` and `list` stay cheap.
    async apply(context) {
      const { registerPluginIn } = await import('./register-plugin-apply.ts');
      registerPluginIn(spec, context);
    },
  };
}
