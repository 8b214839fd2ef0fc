import { type CallExpression, Node, type SourceFile, type Statement, SyntaxKind } from 'ts-morph';

/**
 * What a statement does to the app, for deciding where a maintainer would add a plugin:
 * - infra: registers infrastructure (a package plugin, a local plugins/ module), decorates, adds hooks;
 * - route: adds routes (shorthand methods, route plugins, a prefix, autoloading a routes folder);
 * - end: the app is done being configured (`ready()`, `listen()`, `return app`);
 * - other: anything else.
 */
export type StatementRole = 'infra' | 'route' | 'end' | 'other';

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all', 'route']);
const END_METHODS = new Set(['listen', 'ready', 'inject']);
const INFRA_METHODS = new Set([
  'decorate',
  'decorateRequest',
  'decorateReply',
  'addHook',
  'setErrorHandler',
  'setNotFoundHandler',
  'setValidatorCompiler',
  'setSerializerCompiler',
  'setSchemaErrorFormatter',
  'setReplySerializer',
  'addSchema',
  'addContentTypeParser',
  'setGenReqId',
]);
const ROUTE_PATH = /(^|\/)(routes?|controllers?|api|modules|handlers|endpoints|features|resources|v\d+)(\/|$)/i;
const INFRA_PATH =
  /(^|\/)(plugins?|middlewares?|hooks|lib|libs|infra|infrastructure|db|database|config|decorators|services|utils|core|hardened-api)(\/|$)/i;
const ROUTE_NAME = /routes?|controller|api|endpoint|handler|module|resource/i;
const INFRA_NAME = /plugin|db|database|auth|config|env|swagger|docs|cors|helmet|sensible|cookie|jwt|redis|cache|metrics|limit/i;

/** The calls a statement makes on the instance (`app.register(...)`, `this.#app.get(...)`), outermost first. */
export function instanceCalls(statement: Node, instance: string): { method: string; call: CallExpression }[] {
  const calls = Node.isCallExpression(statement) ? [statement] : [];
  calls.push(...statement.getDescendantsOfKind(SyntaxKind.CallExpression));
  const result: { method: string; call: CallExpression }[] = [];
  for (const call of calls) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) continue;
    if (sameExpression(callee.getExpression().getText(), instance)) result.push({ method: callee.getName(), call });
  }
  return result;
}

export function sameExpression(a: string, b: string): boolean {
  return a.replace(/\s+/g, '') === b.replace(/\s+/g, '');
}

export function classifyStatement(statement: Statement, instance: string, file: SourceFile): StatementRole {
  if (Node.isReturnStatement(statement) && sameExpression(statement.getExpression()?.getText() ?? '', instance)) return 'end';
  const calls = instanceCalls(statement, instance);
  if (calls.some((c) => END_METHODS.has(c.method))) return 'end';
  if (calls.some((c) => ROUTE_METHODS.has(c.method))) return 'route';
  const registrations = calls.filter((c) => c.method === 'register');
  if (registrations.some((r) => registrationRole(r.call, file) === 'route')) return 'route';
  if (registrations.length > 0 || calls.some((c) => INFRA_METHODS.has(c.method))) return 'infra';
  return 'other';
}

/** Whether `instance.register(plugin, options)` adds routes or infrastructure. */
export function registrationRole(call: CallExpression, file: SourceFile): 'route' | 'infra' {
  const [plugin, options] = call.getArguments();
  if (options && Node.isObjectLiteralExpression(options) && options.getProperty('prefix')) return 'route';
  if (!plugin) return 'infra';
  if (Node.isArrowFunction(plugin) || Node.isFunctionExpression(plugin)) return functionRegistersRoutes(plugin, file) ? 'route' : 'infra';
  const name = pluginName(plugin);
  const local = name ? localFunction(file, name) : undefined;
  if (local) return functionRegistersRoutes(local, file) ? 'route' : 'infra';
  const specifier = name ? importSpecifierOf(file, name) : dynamicImportSpecifier(plugin);
  if (specifier !== undefined && !specifier.startsWith('.') && !specifier.startsWith('@/') && !specifier.startsWith('~/')) {
    if (/autoload/.test(specifier)) return ROUTE_PATH.test(autoloadedFolder(options)) ? 'route' : 'infra';
    return 'infra';
  }
  if (specifier !== undefined) {
    if (ROUTE_PATH.test(specifier)) return 'route';
    if (INFRA_PATH.test(specifier)) return 'infra';
  }
  if (name && ROUTE_NAME.test(name)) return 'route';
  if (name && INFRA_NAME.test(name)) return 'infra';
  // Unknown local plugins count as routes: ours then goes before them, so its hooks cover what they add.
  return 'route';
}

function pluginName(plugin: Node): string | undefined {
  if (Node.isIdentifier(plugin)) return plugin.getText();
  if (Node.isPropertyAccessExpression(plugin)) return plugin.getExpression().getText();
  return undefined;
}

/** The folder an autoload registration names (`dir: join(__dirname, 'routes')` -> `routes`). */
export function autoloadedFolder(options: Node | undefined): string {
  if (!options || !Node.isObjectLiteralExpression(options)) return '';
  const dir = options.getProperty('dir');
  const parts = dir?.getDescendantsOfKind(SyntaxKind.StringLiteral).map((s) => s.getLiteralValue()) ?? [];
  return parts.filter((p) => !p.startsWith('/')).join('/');
}

function dynamicImportSpecifier(plugin: Node): string | undefined {
  const call = Node.isCallExpression(plugin) ? plugin : plugin.getFirstDescendantByKind(SyntaxKind.CallExpression);
  if (!call || !['import', 'require'].includes(call.getExpression().getText())) return undefined;
  const [argument] = call.getArguments();
  return argument && Node.isStringLiteral(argument) ? argument.getLiteralValue() : undefined;
}

export function importSpecifierOf(file: SourceFile, identifier: string): string | undefined {
  for (const declaration of file.getImportDeclarations()) {
    const isDefault = declaration.getDefaultImport()?.getText() === identifier;
    const isNamed = declaration.getNamedImports().some((n) => (n.getAliasNode()?.getText() ?? n.getName()) === identifier);
    const isNamespace = declaration.getNamespaceImport()?.getText() === identifier;
    if (isDefault || isNamed || isNamespace) return declaration.getModuleSpecifierValue();
  }
  for (const declaration of file.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    if (declaration.getName() !== identifier) continue;
    const specifier = dynamicImportSpecifier(declaration.getInitializer() ?? declaration);
    if (specifier !== undefined) return specifier;
  }
  return undefined;
}

/** A function defined in this file under `name` (declaration, or a const holding a function, possibly fp()-wrapped). */
export function localFunction(file: SourceFile, name: string): Node | undefined {
  const declaration = file.getFunction(name);
  if (declaration) return declaration;
  const variable = file.getVariableDeclaration(name);
  let initializer: Node | undefined = variable?.getInitializer();
  if (initializer && Node.isCallExpression(initializer)) initializer = initializer.getArguments()[0];
  return initializer && (Node.isArrowFunction(initializer) || Node.isFunctionExpression(initializer)) ? initializer : undefined;
}

function functionRegistersRoutes(fn: Node, file: SourceFile): boolean {
  const parameters = (fn as { getParameters?(): { getName(): string }[] }).getParameters?.() ?? [];
  const instance = parameters[0]?.getName();
  const body = (fn as { getBody?(): Node | undefined }).getBody?.();
  if (!instance || !body) return false;
  const statements = Node.isBlock(body) ? body.getStatements() : [];
  return statements.some((s) => classifyStatement(s, instance, file) === 'route');
}
