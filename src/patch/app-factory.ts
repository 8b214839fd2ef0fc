import { type Block, type CallExpression, Node, type SourceFile, type Statement, SyntaxKind } from 'ts-morph';

export interface AppFactory {
  /** The function body that creates and configures the Fastify instance. */
  body: Block;
  /** The variable holding the Fastify instance (`app`). */
  instance: string;
  name: string;
}

export interface Registration {
  statement: Statement;
  /** The identifier passed as the plugin, when it is one. */
  plugin: string | undefined;
}

/**
 * Finds where plugins are registered, by meaning: a function that assigns the result of calling the
 * `fastify` import to a variable (our app factory), or a plugin function wrapped in `fastify-plugin`
 * (the plugin our folder in another project registers everything through). Returns undefined when
 * this file has neither.
 */
export function findAppFactory(file: SourceFile): AppFactory | undefined {
  return factoryCreatingInstance(file) ?? pluginFunction(file);
}

function factoryCreatingInstance(file: SourceFile): AppFactory | undefined {
  const fastifyImport = file.getImportDeclaration((d) => d.getModuleSpecifierValue() === 'fastify');
  if (!fastifyImport) return undefined;
  const factoryNames = new Set<string>();
  const defaultImport = fastifyImport.getDefaultImport()?.getText();
  if (defaultImport) factoryNames.add(defaultImport);
  for (const named of fastifyImport.getNamedImports()) {
    if (named.getName() === 'fastify') factoryNames.add(named.getAliasNode()?.getText() ?? 'fastify');
  }
  for (const declaration of file.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const factoryCall = innermostCall(declaration.getInitializer());
    if (!factoryCall || !factoryNames.has(factoryCall.getExpression().getText())) continue;
    const fn = declaration.getFirstAncestor(
      (a) => Node.isFunctionDeclaration(a) || Node.isArrowFunction(a) || Node.isFunctionExpression(a),
    );
    if (!fn) continue;
    const body = (fn as unknown as { getBody(): Node | undefined }).getBody();
    if (!body || !Node.isBlock(body)) continue;
    const name = Node.isFunctionDeclaration(fn)
      ? (fn.getName() ?? 'default')
      : (fn.getFirstAncestorByKind(SyntaxKind.VariableDeclaration)?.getName() ?? 'factory');
    return { body, instance: declaration.getName(), name };
  }
  return undefined;
}

/** `export const hardenedApi = fp(async (app) => { ... })`: its body, and its first parameter as the instance. */
function pluginFunction(file: SourceFile): AppFactory | undefined {
  const pluginImport = file.getImportDeclaration((d) => d.getModuleSpecifierValue() === 'fastify-plugin');
  const wrapper = pluginImport?.getDefaultImport()?.getText();
  if (!wrapper) return undefined;
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (call.getExpression().getText() !== wrapper) continue;
    const fn = call.getArguments()[0];
    if (!fn || !(Node.isArrowFunction(fn) || Node.isFunctionExpression(fn))) continue;
    const body = fn.getBody();
    const instance = fn.getParameters()[0]?.getName();
    if (!Node.isBlock(body) || !instance) continue;
    return { body, instance, name: call.getFirstAncestorByKind(SyntaxKind.VariableDeclaration)?.getName() ?? 'plugin' };
  }
  return undefined;
}

/**
 * `Fastify(options).setValidatorCompiler(...)` chains calls on the instance: the factory call is the
 * innermost one, so walk down the chain of `call().method()` to it.
 */
function innermostCall(node: Node | undefined): CallExpression | undefined {
  if (!node || !Node.isCallExpression(node)) return undefined;
  let call = node;
  for (;;) {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return call;
    const receiver = callee.getExpression();
    if (!Node.isCallExpression(receiver)) return call;
    call = receiver;
  }
}

/** Top-level `await app.register(plugin, ...)` statements of the factory, in order. */
export function registrations(factory: AppFactory): Registration[] {
  const result: Registration[] = [];
  for (const statement of factory.body.getStatements()) {
    if (!Node.isExpressionStatement(statement)) continue;
    let expression = statement.getExpression();
    if (Node.isAwaitExpression(expression)) expression = expression.getExpression();
    if (!Node.isCallExpression(expression)) continue;
    if (expression.getExpression().getText() !== `${factory.instance}.register`) continue;
    const first = expression.getArguments()[0];
    result.push({ statement, plugin: first && Node.isIdentifier(first) ? first.getText() : undefined });
  }
  return result;
}

/** The module a local identifier was imported from, if it was imported. */
export function importSource(file: SourceFile, identifier: string): string | undefined {
  for (const declaration of file.getImportDeclarations()) {
    const matchesDefault = declaration.getDefaultImport()?.getText() === identifier;
    const matchesNamed = declaration.getNamedImports().some((n) => (n.getAliasNode()?.getText() ?? n.getName()) === identifier);
    if (matchesDefault || matchesNamed) return declaration.getModuleSpecifierValue();
  }
  return undefined;
}
