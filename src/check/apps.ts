import { type CallExpression, Node, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import {
  calleeTarget,
  callsTo,
  constDeclarationOf,
  findingAt,
  functionOf,
  isTarget,
  methodCalls,
  objectLiteral,
  property,
  staticValue,
  unwrap,
} from './code.ts';
import { findingInFile } from './locate.ts';
import type { ProjectFiles } from './project.ts';
import type { Finding, Rule, Severity } from './types.ts';

/**
 * Finding the application in a project we may not have written: which framework, where its
 * instances are created and with what options, and which routes it declares. (The `add` command has
 * its own detection for foreign projects; these readers are syntax-only and tolerant, for auditing.)
 */
export type Framework = 'fastify' | 'express';

export function frameworksOf(project: ProjectFiles): Framework[] {
  const frameworks: Framework[] = [];
  if (project.dependsOn('fastify')) frameworks.push('fastify');
  if (project.dependsOn('express')) frameworks.push('express');
  return frameworks;
}

export interface AppInstance {
  call: CallExpression;
  framework: Framework;
  /** The factory's options object when it is a literal (or a constant holding one). */
  options: ObjectLiteralExpression | undefined;
}

/** `Fastify({...})`, `fastify.fastify()`, `require('fastify')()`, `express()`, however they are named. */
export function appInstances(sources: readonly SourceFile[]): AppInstance[] {
  return [
    ...callsTo(sources, 'fastify', [], ['fastify']).map((call) => ({
      call,
      framework: 'fastify' as const,
      options: objectLiteral(call.getArguments()[0]),
    })),
    ...callsTo(sources, 'express', []).map((call) => ({ call, framework: 'express' as const, options: undefined })),
  ];
}

/**
 * Whether a receiver is an Express app: created by `express()` in a constant, a parameter typed as one,
 * or named like one (`app`, `this.app`, `server`); a `new Map()` or any other object is not.
 */
export function isExpressApp(receiver: Node): boolean {
  const node = unwrap(receiver);
  if (Node.isPropertyAccessExpression(node)) return /^(?:app|application|server)$/i.test(node.getName());
  if (!Node.isIdentifier(node)) return Node.isCallExpression(node) && isTarget(calleeTarget(node), 'express');
  const initializer = constDeclarationOf(node)?.getInitializer();
  if (initializer)
    return Node.isCallExpression(unwrap(initializer)) && isTarget(calleeTarget(unwrap(initializer) as CallExpression), 'express');
  const parameter = node
    .getAncestors()
    .flatMap((a) => (Node.isFunctionLikeDeclaration(a) ? a.getParameters() : []))
    .find((p) => p.getName() === node.getText());
  const type = parameter?.getTypeNode()?.getText();
  if (type) return /\b(?:Express|Application)\b/.test(type);
  return /^(?:app|application|server)$/i.test(node.getText());
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'all', 'head', 'options'];

export interface Route {
  /** The route's path as written (a literal), without prefixes applied elsewhere. */
  path: string;
  method: string;
  call: CallExpression;
  /** Route options (Fastify's second argument or `route({...})`). */
  options: ObjectLiteralExpression | undefined;
  /** Every handler and middleware argument, as functions where they can be found. */
  handlers: Node[];
}

/**
 * Route declarations: `x.get('/path', ...handlers)` (Fastify and Express), `x.route({ method, url })`
 * (Fastify) and `x.route('/path').post(...)` (Express). A call counts only when its first argument
 * is a literal path starting with `/` and a handler follows, which tells it apart from `map.get(key)`.
 */
export function routes(sources: readonly SourceFile[]): Route[] {
  const result: Route[] = [];
  for (const source of sources) {
    for (const call of methodCalls(source, ...HTTP_METHODS, 'route')) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) continue;
      const method = callee.getName();
      const args = call.getArguments();
      if (method === 'route') {
        const options = objectLiteral(args[0]);
        const url = staticValue(property(options, 'url') ?? property(options, 'path'));
        if (options && typeof url === 'string') {
          const methods = staticValue(property(options, 'method'));
          result.push({
            path: url,
            method: Array.isArray(methods) ? methods.join(',') : String(methods),
            call,
            options,
            handlers: [property(options, 'handler'), property(options, 'preHandler'), property(options, 'onRequest')]
              .map(functionOf)
              .filter((f): f is Node => f !== undefined),
          });
        }
        continue;
      }
      const path = routePath(call);
      if (path === undefined) continue;
      const rest = Node.isCallExpression(callee.getExpression()) && args.length > 0 && !isPath(args[0]) ? args : args.slice(1);
      if (rest.length === 0) continue;
      const options = rest.length > 1 ? objectLiteral(rest[0]) : undefined;
      result.push({
        path,
        method,
        call,
        options,
        handlers: rest.map((arg) => functionOf(arg) ?? arg),
      });
    }
  }
  return result;
}

function isPath(node: Node | undefined): boolean {
  const value = node ? staticValue(node) : undefined;
  return typeof value === 'string' && value.startsWith('/');
}

/** The path of `x.get('/p', ...)`, or of `x.route('/p').get(...)` (Express). */
function routePath(call: CallExpression): string | undefined {
  const [first] = call.getArguments();
  const value = first ? staticValue(first) : undefined;
  if (typeof value === 'string' && value.startsWith('/')) return value;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  const receiver = callee.getExpression();
  if (Node.isCallExpression(receiver)) {
    const receiverCallee = receiver.getExpression();
    if (Node.isPropertyAccessExpression(receiverCallee) && receiverCallee.getName() === 'route') {
      const inner = staticValue(receiver.getArguments()[0]);
      if (typeof inner === 'string' && inner.startsWith('/')) return inner;
    }
  }
  return undefined;
}

/**
 * Where a finding about the whole application goes: its instance (of the given framework), else its
 * first route, else the framework's line in package.json.
 */
export function anchorFinding(
  project: ProjectFiles,
  sources: readonly SourceFile[],
  rule: Rule,
  seen: string,
  framework?: Framework,
  severity?: Severity,
): Finding {
  const instance = appInstances(sources).find((a) => !framework || a.framework === framework);
  if (instance) return findingAt(rule, instance.call, seen, severity);
  const [route] = routes(sources);
  if (route) return findingAt(rule, route.call, seen, severity);
  return findingInFile(project, rule, 'package.json', seen, framework ? `"${framework}"` : undefined, severity);
}
