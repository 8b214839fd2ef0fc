import { type Block, Node, type SourceFile, type Statement, SyntaxKind } from 'ts-morph';
import type { AppCandidate } from './app-candidates.ts';
import { classifyStatement, instanceCalls, localFunction, type StatementRole, sameExpression } from './statements.ts';

/** Where a registration line goes, and how to write it so that it reads like its neighbours. */
export interface InsertionPoint {
  container: Block | SourceFile;
  /** Statement index in `container` to insert at. */
  index: number;
  /** The instance as it is called in `container` (a helper function may call it `server`). */
  instance: string;
  /** `await app.register(x)`, `void app.register(x)` or `app.register(x)`, like the registrations around it. */
  prefix: 'await ' | 'void ' | '';
}

interface Step {
  statement: Statement;
  role: StatementRole;
  container: Block | SourceFile;
  instance: string;
  canAwait: boolean;
}

/**
 * After the app's existing infrastructure (plugins, decorators, hooks) and before its first route,
 * `ready()`, `listen()` or `return`: where a maintainer adds a plugin. Helper functions and methods the
 * configuring code calls with the instance (`registerPlugins(app)`, `this.#setupPlugins()`) are followed
 * one level deep, so the line lands inside them when that is where the infrastructure is.
 */
export function insertionPoint(candidate: AppCandidate, file: SourceFile): InsertionPoint {
  const statements = candidate.container.getStatements();
  const start = candidate.creation ? candidate.creation.getChildIndex() + 1 : 0;
  const steps = expand(statements.slice(start), candidate.instance, candidate.container, candidate.canAwait, file, 1);
  const firstStop = steps.findIndex((s) => s.role === 'route' || s.role === 'end');
  const considered = firstStop < 0 ? steps : steps.slice(0, firstStop);
  const lastInfra = considered.map((s) => s.role).lastIndexOf('infra');
  const anchor = lastInfra >= 0 ? considered[lastInfra] : undefined;
  if (anchor) {
    return {
      container: anchor.container,
      index: anchor.statement.getChildIndex() + 1,
      instance: anchor.instance,
      prefix: prefixFor(
        steps.filter((s) => s.container === anchor.container),
        anchor.canAwait,
      ),
    };
  }
  const index = candidate.creation ? start : firstStatementAfterSuper(statements);
  return {
    container: candidate.container,
    index,
    instance: candidate.instance,
    prefix: prefixFor(
      steps.filter((s) => s.container === candidate.container),
      candidate.canAwait,
    ),
  };
}

function expand(
  statements: readonly Statement[],
  instance: string,
  container: Block | SourceFile,
  canAwait: boolean,
  file: SourceFile,
  depth: number,
): Step[] {
  const steps: Step[] = [];
  for (const statement of statements) {
    const helper = depth > 0 ? helperCall(statement, instance, file) : undefined;
    if (helper) {
      const inner = expand(helper.body.getStatements(), helper.instance, helper.body, helper.canAwait, file, depth - 1);
      if (inner.some((s) => s.role !== 'other')) {
        steps.push(...inner);
        continue;
      }
    }
    steps.push({ statement, role: classifyStatement(statement, instance, file), container, instance, canAwait });
  }
  return steps;
}

/** `this.registerPlugins()` / `await setupPlugins(app)`: a method or function of this file that configures the instance. */
function helperCall(
  statement: Statement,
  instance: string,
  file: SourceFile,
): { body: Block; instance: string; canAwait: boolean } | undefined {
  if (!Node.isExpressionStatement(statement)) return undefined;
  let expression = statement.getExpression();
  if (Node.isAwaitExpression(expression) || Node.isVoidExpression(expression)) expression = expression.getExpression();
  if (!Node.isCallExpression(expression)) return undefined;
  const callee = expression.getExpression();
  if (
    Node.isPropertyAccessExpression(callee) &&
    callee.getExpression().getKind() === SyntaxKind.ThisKeyword &&
    instance.startsWith('this.')
  ) {
    const owner = statement.getFirstAncestorByKind(SyntaxKind.ClassDeclaration);
    const name = callee.getName();
    const method = owner?.getMethods().find((m) => m.getName() === name || `#${m.getName()}` === name || m.getName() === `#${name}`);
    const body = method?.getBody();
    return body && Node.isBlock(body) ? { body, instance, canAwait: method?.isAsync() === true } : undefined;
  }
  if (!Node.isIdentifier(callee)) return undefined;
  const position = expression.getArguments().findIndex((a) => sameExpression(a.getText(), instance));
  if (position < 0) return undefined;
  const fn = localFunction(file, callee.getText());
  const parameter = (fn as { getParameters?(): { getName(): string }[] } | undefined)?.getParameters?.()[position];
  const body = (fn as { getBody?(): Node | undefined } | undefined)?.getBody?.();
  if (!parameter || !body || !Node.isBlock(body)) return undefined;
  return { body, instance: parameter.getName(), canAwait: (fn as { isAsync?(): boolean }).isAsync?.() === true };
}

function prefixFor(steps: readonly Step[], canAwait: boolean): InsertionPoint['prefix'] {
  for (const step of steps) {
    if (!Node.isExpressionStatement(step.statement)) continue;
    const expression = step.statement.getExpression();
    const registers = instanceCalls(expression, step.instance).some((c) => c.method === 'register');
    if (!registers) continue;
    if (Node.isAwaitExpression(expression)) return canAwait ? 'await ' : '';
    if (Node.isVoidExpression(expression)) return 'void ';
    return '';
  }
  return canAwait ? 'await ' : '';
}

function firstStatementAfterSuper(statements: readonly Statement[]): number {
  const first = statements[0];
  return first && /^super\s*\(/.test(first.getText()) ? 1 : 0;
}
