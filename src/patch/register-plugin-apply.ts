import type { Statement } from 'ts-morph';
import { type AppFactory, findAppFactory, importSource, type Registration, registrations } from './app-factory.ts';
import { ensureImport } from './imports.ts';
import { resolveSpecifier, specifierFor } from './module-paths.ts';
import { insertionIndex } from './ordered-insert.ts';
import { PatchError } from './patch-error.ts';
import type { PluginSpec } from './register-plugin.ts';
import type { PatchContext } from './types.ts';

/** registerPlugin's work on the AST (see PluginSpec). */
export function registerPluginIn(spec: PluginSpec, context: PatchContext): void {
  const placement = spec.placement ?? 'features';
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
