import { Node, type SourceFile, SyntaxKind } from 'ts-morph';
import { anchorFinding, appInstances, routes } from '../apps.ts';
import { findingAt, functionOf, methodCalls } from '../code.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';

export const stackInResponse: Rule = {
  id: 'errors.stack-in-response',
  severity: 'high',
  title: 'Error handler sends stack traces',
  why: 'A stack trace shows file paths, library versions and code structure to whoever triggers an error.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [21],
  remedy: 'Log the error with the request id and send an RFC 9457 problem with a generic detail; never err.stack.',
};

export const messageIn5xx: Rule = {
  id: 'errors.message-in-5xx',
  severity: 'medium',
  title: 'Error handler sends internal error messages',
  why: 'For unexpected (5xx) errors the message comes from a library or the database (SQL, hostnames, file paths) and should stay in the logs.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [21],
  remedy: 'Send err.message only for client errors (status < 500) you raised yourself; for 5xx send a generic detail and log the error.',
};

export const defaultHandler: Rule = {
  id: 'errors.default-handler',
  severity: 'medium',
  title: "Fastify's default error handler is in use",
  why: "Without setErrorHandler, Fastify answers a 500 with the thrown error's message ({statusCode, error, message}) as application/json: internals leak, and errors are not RFC 9457 problems.",
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [21],
  remedy:
    'Set an error handler (app.setErrorHandler) that logs 5xx errors and sends problem+json with a generic detail, plus setNotFoundHandler.',
};

/** Conditions that separate client errors from server errors, or development from production. */
const STATUS_GATE = /status|code|[45]\d\d|expose|operational|instanceof|isBoom|client|validation/i;
const ENVIRONMENT_GATE = /NODE_ENV|production|development|isDev|isProd|debug|\benv\b/i;

const ERROR_PARAMETER = /^(?:err|error|e|ex|exception)$/i;

/**
 * Error handlers: Fastify's setErrorHandler(fn), and for Express every four-parameter function that
 * takes an error first (Express tells error middleware by its arity, wherever it is declared).
 */
function errorHandlers(source: SourceFile, express: boolean): Node[] {
  const handlers: Node[] = [];
  for (const call of methodCalls(source, 'setErrorHandler')) {
    const fn = functionOf(call.getArguments()[0]);
    if (fn) handlers.push(fn);
  }
  if (express) {
    const functions = [
      ...source.getDescendantsOfKind(SyntaxKind.FunctionDeclaration),
      ...source.getDescendantsOfKind(SyntaxKind.FunctionExpression),
      ...source.getDescendantsOfKind(SyntaxKind.ArrowFunction),
    ];
    for (const fn of functions) {
      const parameters = fn.getParameters();
      const first = parameters[0];
      if (parameters.length !== 4 || !first) continue;
      if (ERROR_PARAMETER.test(first.getName()) || /\bError\b/.test(first.getTypeNode()?.getText() ?? '')) handlers.push(fn);
    }
  }
  return handlers;
}

/** The conditions between a node and the handler that contains it. */
function conditionsAbove(node: Node, handler: Node): string[] {
  const conditions: string[] = [];
  let child = node;
  for (let current = node.getParent(); current && current !== handler; current = current.getParent()) {
    if (Node.isIfStatement(current) && child !== current.getExpression()) conditions.push(current.getExpression().getText());
    if (Node.isConditionalExpression(current) && child !== current.getCondition()) conditions.push(current.getCondition().getText());
    if (Node.isBinaryExpression(current) && child === current.getRight()) conditions.push(current.getLeft().getText());
    if (Node.isCaseClause(current)) conditions.push(current.getExpression().getText());
    child = current;
  }
  return conditions;
}

function leaks(handler: Node, fastify: boolean): Finding[] {
  if (!(Node.isArrowFunction(handler) || Node.isFunctionExpression(handler) || Node.isFunctionDeclaration(handler))) return [];
  const errorName = handler.getParameters()[0]?.getName();
  if (!errorName) return [];
  const findings: Finding[] = [];
  for (const send of handler.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = send.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || !['send', 'json', 'jsonp', 'end'].includes(callee.getName())) continue;
    const [payload] = send.getArguments();
    if (!payload) continue;
    const accesses = [payload, ...payload.getDescendants()].filter(
      (n) => Node.isPropertyAccessExpression(n) && n.getExpression().getText() === errorName && ['stack', 'message'].includes(n.getName()),
    );
    for (const access of accesses) {
      if (!Node.isPropertyAccessExpression(access)) continue;
      const conditions = conditionsAbove(access, handler);
      if (access.getName() === 'stack') {
        const devOnly = conditions.some((c) => ENVIRONMENT_GATE.test(c));
        findings.push(
          findingAt(stackInResponse, access, `${access.getText()} in ${send.getText().slice(0, 80)}`, devOnly ? 'low' : undefined),
        );
      } else if (!conditions.some((c) => STATUS_GATE.test(c) || ENVIRONMENT_GATE.test(c))) {
        findings.push(findingAt(messageIn5xx, access, `${access.getText()} sent whatever the status`));
      }
    }
    // Fastify serializes an Error sent as is with its message, 500s included.
    if (fastify && payload.getText() === errorName && !conditionsAbove(payload, handler).some((c) => STATUS_GATE.test(c))) {
      findings.push(findingAt(messageIn5xx, payload, `${send.getText()}: the error is serialized with its message`));
    }
  }
  return findings;
}

export const errors: StaticCheck = {
  rules: [stackInResponse, messageIn5xx, defaultHandler],
  async run(project: ProjectFiles): Promise<Finding[]> {
    const fastify = project.dependsOn('fastify');
    const express = project.dependsOn('express');
    if (!fastify && !express) return [];
    const sources = await project.sources();
    const findings: Finding[] = [];
    let fastifyHandlers = 0;
    for (const source of sources) {
      for (const handler of errorHandlers(source, express)) {
        findings.push(...leaks(handler, fastify && !express));
      }
      fastifyHandlers += methodCalls(source, 'setErrorHandler').length;
    }
    const hasFastifyApp =
      appInstances(sources).some((a) => a.framework === 'fastify') || (fastify && !express && routes(sources).length > 0);
    if (fastify && hasFastifyApp && fastifyHandlers === 0) {
      findings.push(anchorFinding(project, sources, defaultHandler, 'no setErrorHandler call in the application', 'fastify'));
    }
    return findings;
  },
};
