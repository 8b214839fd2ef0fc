import {
  type Block,
  type CallExpression,
  type FunctionDeclaration,
  Node,
  type ParameterDeclaration,
  type SourceFile,
  type Statement,
  SyntaxKind,
} from 'ts-morph';
import { callsFactory, type FrameworkBinding, frameworkBinding } from './imports.ts';
import { classifyStatement, instanceCalls } from './statements.ts';

export const FASTIFY_FACTORY_EXPORTS = ['fastify'];

/**
 * Who holds the instance, in the words of docs/architecture.md:
 * - factory: a function creates it in a local variable (and usually returns it);
 * - module: a module-level constant;
 * - class-field: a class keeps it in a field (`this.app`, `this.#fastify`) set in its constructor;
 * - app-plugin: an `async (fastify, opts)` plugin that registers the app's routes, for an instance
 *   created elsewhere (an entry file, or fastify-cli).
 */
export type AppHolder = 'factory' | 'module' | 'class-field' | 'app-plugin';

export interface AppCandidate {
  holder: AppHolder;
  /** The expression the app's plugins are registered on: `app`, `this.#fastify`, `fastify`. */
  instance: string;
  /** The statements where the instance is configured: a function body, or the module. */
  container: Block | SourceFile;
  /** The statement creating the instance, when it is in `container`. */
  creation: Statement | undefined;
  /** The Fastify(...) call, when this candidate creates the instance. */
  creationCall: CallExpression | undefined;
  /** In words, for messages: `buildApp() in src/app.ts creates it (const app = Fastify(...))`. */
  label: string;
  /** True when the container runs in an async function or an ES module's top level. */
  canAwait: boolean;
}

export interface Unsupported {
  line: number;
  reason: string;
}

export interface FileFindings {
  binding: FrameworkBinding;
  candidates: AppCandidate[];
  /** Instances created in a way we cannot patch (returned directly, passed along, ...), with why. */
  unsupported: Unsupported[];
}

/** Every place in one file where a Fastify app is created or configured as an app plugin. */
export function findAppCandidates(file: SourceFile, path: string, esm: boolean): FileFindings {
  const binding = frameworkBinding(file, 'fastify', FASTIFY_FACTORY_EXPORTS);
  const candidates: AppCandidate[] = [];
  const unsupported: Unsupported[] = [];
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (!callsFactory(call.getExpression(), binding, FASTIFY_FACTORY_EXPORTS)) continue;
    const found = holderOfCreation(call, path, esm);
    if ('reason' in found) unsupported.push({ line: call.getStartLineNumber(), reason: found.reason });
    else candidates.push(found);
  }
  if (candidates.length === 0) candidates.push(...appPlugins(file, path));
  return { binding, candidates, unsupported };
}

/** `Fastify(options).withTypeProvider<T>()`: method chains on the new instance belong to its creation. */
function outermostChainCall(call: CallExpression): CallExpression {
  let current = call;
  for (;;) {
    const access = current.getParent();
    const outer = access?.getParent();
    if (!Node.isPropertyAccessExpression(access) || !Node.isCallExpression(outer) || outer.getExpression() !== access) return current;
    current = outer;
  }
}

function holderOfCreation(call: CallExpression, path: string, esm: boolean): AppCandidate | { reason: string } {
  const creation = outermostChainCall(call);
  let parent = creation.getParent();
  while (Node.isAsExpression(parent) || Node.isParenthesizedExpression(parent) || Node.isSatisfiesExpression(parent)) {
    parent = parent.getParent();
  }
  const callText = `${call.getExpression().getText()}(...)`;
  if (Node.isVariableDeclaration(parent) && Node.isIdentifier(parent.getNameNode())) {
    const statement = parent.getFirstAncestorByKind(SyntaxKind.VariableStatement);
    const container = statement?.getParent();
    if (!statement || !(Node.isBlock(container) || Node.isSourceFile(container))) {
      return { reason: `the instance is created inside an expression (${parent.getName()} = ${callText})` };
    }
    const fn = enclosingFunction(container);
    const holder: AppHolder = Node.isSourceFile(container) ? 'module' : 'factory';
    const where = holder === 'module' ? `${path} (module level)` : `${functionName(fn)} in ${path}`;
    return {
      holder,
      instance: parent.getName(),
      container,
      creation: statement,
      creationCall: call,
      label: `${where} creates it: const ${parent.getName()} = ${callText}`,
      canAwait: Node.isSourceFile(container) ? esm && hasTopLevelAwait(container) : isAsync(fn),
    };
  }
  if (Node.isBinaryExpression(parent) && parent.getOperatorToken().getKind() === SyntaxKind.EqualsToken) {
    const target = parent.getLeft();
    const statement = parent.getParent();
    const container = statement?.getParent();
    if (Node.isPropertyAccessExpression(target) && target.getExpression().getKind() === SyntaxKind.ThisKeyword) {
      if (!Node.isExpressionStatement(statement) || !Node.isBlock(container)) {
        return { reason: `the instance is assigned to ${target.getText()} inside an expression` };
      }
      const className = parent.getFirstAncestorByKind(SyntaxKind.ClassDeclaration)?.getName() ?? 'a class';
      return {
        holder: 'class-field',
        instance: target.getText(),
        container,
        creation: statement,
        creationCall: call,
        label: `${className} in ${path} keeps it in ${target.getText()} = ${callText}`,
        canAwait: isAsync(enclosingFunction(container)),
      };
    }
    if (Node.isIdentifier(target) && Node.isExpressionStatement(statement) && (Node.isBlock(container) || Node.isSourceFile(container))) {
      return {
        holder: Node.isSourceFile(container) ? 'module' : 'factory',
        instance: target.getText(),
        container,
        creation: statement,
        creationCall: call,
        label: `${path} creates it: ${target.getText()} = ${callText}`,
        canAwait: Node.isSourceFile(container) ? esm && hasTopLevelAwait(container) : isAsync(enclosingFunction(container)),
      };
    }
  }
  if (Node.isPropertyDeclaration(parent)) {
    const owner = parent.getParentIfKind(SyntaxKind.ClassDeclaration);
    const ownConstructor = owner?.getConstructors().find((c) => c.getBody());
    const body = ownConstructor?.getBody();
    if (!owner || !body || !Node.isBlock(body)) return { reason: `the class field ${parent.getName()} is set outside a constructor` };
    const name = parent.getName();
    const instance = `this.${name}`;
    return {
      holder: 'class-field',
      instance,
      container: body,
      creation: undefined,
      creationCall: call,
      label: `${owner.getName() ?? 'a class'} in ${path} keeps it in ${instance} = ${callText}`,
      canAwait: false,
    };
  }
  if (Node.isReturnStatement(parent) || Node.isArrowFunction(parent)) {
    return { reason: `a function returns ${callText} directly, without a variable to register plugins on` };
  }
  if (Node.isExportAssignment(parent)) return { reason: `the module exports ${callText} directly, without a variable` };
  return { reason: `${callText} is passed along (${parent?.getKindName() ?? 'unknown'}) rather than kept in a variable` };
}

/**
 * App plugins: a function whose first parameter is the instance (typed FastifyInstance, or the function
 * is typed FastifyPluginAsync/Callback) and that registers the app's plugins and routes. Plugins that
 * only add infrastructure (a database decorator), or only routes, are not the app.
 */
function appPlugins(file: SourceFile, path: string): AppCandidate[] {
  const result: AppCandidate[] = [];
  const functions = [
    ...file.getDescendantsOfKind(SyntaxKind.FunctionDeclaration),
    ...file.getDescendantsOfKind(SyntaxKind.ArrowFunction),
    ...file.getDescendantsOfKind(SyntaxKind.FunctionExpression),
  ];
  for (const fn of functions) {
    const parameter = fn.getParameters()[0];
    const body = fn.getBody();
    if (!parameter || !body || !Node.isBlock(body) || !takesInstance(fn, parameter)) continue;
    const instance = parameter.getName();
    // The app, not one of its route plugins: it registers plugins (route plugins, an autoloaded folder).
    const statements = body.getStatements();
    if (!statements.some((s) => classifyStatement(s, instance, file) === 'route')) continue;
    if (!statements.some((s) => instanceCalls(s, instance).some((c) => c.method === 'register'))) continue;
    result.push({
      holder: 'app-plugin',
      instance,
      container: body,
      creation: undefined,
      creationCall: undefined,
      label: `the app plugin ${functionName(fn)} in ${path} (${instance}: FastifyInstance) registers the routes`,
      canAwait: isAsync(fn as FunctionLike),
    });
  }
  return result;
}

function takesInstance(fn: Node, parameter: ParameterDeclaration): boolean {
  if (/\bFastifyInstance\b/.test(parameter.getTypeNode()?.getText() ?? '')) return true;
  const declaration = fn.getParentIfKind(SyntaxKind.VariableDeclaration);
  if (/\bFastifyPlugin(Async|Callback)\w*\b/.test(declaration?.getTypeNode()?.getText() ?? '')) return true;
  const call = fn.getParentIfKind(SyntaxKind.CallExpression);
  return call !== undefined && /^(fp|fastifyPlugin)$/.test(call.getExpression().getText()) && isExported(call);
}

function isExported(node: Node): boolean {
  const declaration = node.getFirstAncestorByKind(SyntaxKind.VariableStatement);
  return declaration?.isExported() === true || node.getFirstAncestorByKind(SyntaxKind.ExportAssignment) !== undefined;
}

/** Top-level await is only safe to write where the module already uses it (its settings allow it). */
function hasTopLevelAwait(file: SourceFile): boolean {
  return file.getDescendantsOfKind(SyntaxKind.AwaitExpression).some((a) => enclosingFunction(a) === undefined);
}

type FunctionLike = Node & { isAsync?(): boolean };

function enclosingFunction(node: Node): FunctionLike | undefined {
  return node.getFirstAncestor(
    (a) =>
      Node.isFunctionDeclaration(a) ||
      Node.isArrowFunction(a) ||
      Node.isFunctionExpression(a) ||
      Node.isMethodDeclaration(a) ||
      Node.isConstructorDeclaration(a),
  ) as FunctionLike | undefined;
}

function isAsync(fn: FunctionLike | undefined): boolean {
  return fn?.isAsync?.() === true;
}

function functionName(fn: Node | undefined): string {
  if (!fn) return 'the module';
  if (Node.isFunctionDeclaration(fn)) return `${(fn as FunctionDeclaration).getName() ?? 'default'}()`;
  if (Node.isMethodDeclaration(fn)) return `${fn.getName()}()`;
  if (Node.isConstructorDeclaration(fn)) return 'the constructor';
  const variable = fn.getFirstAncestorByKind(SyntaxKind.VariableDeclaration);
  if (variable) return `${variable.getName()}()`;
  return fn.getFirstAncestorByKind(SyntaxKind.ExportAssignment) ? 'the default export' : 'a function';
}
