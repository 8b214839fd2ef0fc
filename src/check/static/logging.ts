import { type CallExpression, Node, type SourceFile, SyntaxKind } from 'ts-morph';
import { callsIn, callsTo, findingAt, objectLiteral, property, resolve, staticValue } from '../code.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';

export const sensitiveHeaders: Rule = {
  id: 'logging.credentials',
  severity: 'medium',
  title: 'Authorization headers written to the logs',
  why: 'Bearer tokens, API keys and cookies in logs are credentials that everyone with log access (and every log pipeline) can replay.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [31],
  remedy:
    "Redact them in the logger: redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers[\"x-api-key\"]'] (pino), or log only the headers you need.",
};

export const requestBody: Rule = {
  id: 'logging.request-body',
  severity: 'medium',
  title: 'Request bodies written to the logs',
  why: 'Bodies carry passwords, tokens and personal data; logged whole, they end up in every log store and backup.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [31],
  remedy: "Log only the fields you need, or redact secrets in the logger (redact: ['*.password', '*.token', ...]).",
};

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'log']);
const LOGGER = /(?:^|\.)(?:log|logger|console)$/;
const REQUEST = /^(?:req|request)$/;

/** `logger.info(...)`, `request.log.warn(...)`, `console.log(...)`. */
function loggingCalls(source: SourceFile): CallExpression[] {
  return callsIn(source).filter((call) => {
    const callee = call.getExpression();
    return Node.isPropertyAccessExpression(callee) && LEVELS.has(callee.getName()) && LOGGER.test(callee.getExpression().getText());
  });
}

const CREDENTIAL_HEADER = /^(?:authorization|cookie|x-api-key|proxy-authorization)$/i;

/** Where a logged argument holds request headers (all, or a credential one) or the whole body. */
function loggedRequestParts(call: CallExpression): { headers?: Node; body?: Node } {
  const found: { headers?: Node; body?: Node } = {};
  for (const argument of call.getArguments()) {
    for (const node of [argument, ...argument.getDescendants()]) {
      if (!Node.isPropertyAccessExpression(node) || !REQUEST.test(node.getExpression().getText())) continue;
      const parent = node.getParent();
      const member = Node.isPropertyAccessExpression(parent)
        ? parent.getName()
        : Node.isElementAccessExpression(parent)
          ? String(staticValue(parent.getArgumentExpression()))
          : undefined;
      if (node.getName() === 'headers' && (member === undefined || CREDENTIAL_HEADER.test(member))) found.headers ??= node;
      if (node.getName() === 'body' && member === undefined) found.body ??= node;
    }
  }
  return found;
}

/** pino `redact` configured anywhere, and whether it covers the authorization header. */
function redaction(sources: readonly SourceFile[]): { any: boolean; authorization: boolean } {
  let any = false;
  let authorization = false;
  for (const source of sources.filter((s) => s.getFullText().includes('redact'))) {
    for (const assignment of source.getDescendantsOfKind(SyntaxKind.PropertyAssignment)) {
      if (assignment.getName() !== 'redact') continue;
      any = true;
      const initializer = assignment.getInitializer();
      if (!initializer) continue;
      // The paths are often a constant list declared elsewhere in the file.
      const texts = [initializer, ...initializer.getDescendantsOfKind(SyntaxKind.Identifier)].map((n) => resolve(n).getText());
      if (texts.some((t) => /authorization/i.test(t))) authorization = true;
    }
  }
  return { any, authorization };
}

export const logging: StaticCheck = {
  rules: [sensitiveHeaders, requestBody],
  async run(project: ProjectFiles): Promise<Finding[]> {
    const sources = await project.sources();
    const redacted = redaction(sources);
    const findings: Finding[] = [];
    // pino-http's default request serializer logs every header.
    for (const call of callsTo(sources, /^(?:pino-http|express-pino-logger)$/, [], ['pinoHttp'])) {
      const options = objectLiteral(call.getArguments()[0]);
      const custom = property(objectLiteral(property(options, 'serializers')), 'req');
      if (!property(options, 'redact') && !custom && !redacted.authorization) {
        findings.push(findingAt(sensitiveHeaders, call, `${call.getText().slice(0, 60)}: every request header is logged, none redacted`));
      }
    }
    for (const call of callsTo(sources, 'morgan')) {
      const format = staticValue(call.getArguments()[0]);
      if (typeof format === 'string' && /:req\[(?:authorization|cookie|x-api-key)\]/i.test(format)) {
        findings.push(findingAt(sensitiveHeaders, call, `morgan format ${JSON.stringify(format)}`));
      }
    }
    for (const source of sources) {
      for (const call of loggingCalls(source)) {
        const console = /^console$/.test((call.getExpression() as Node).getFirstChild()?.getText() ?? '');
        const { headers, body } = loggedRequestParts(call);
        if (headers && (console || !redacted.authorization))
          findings.push(findingAt(sensitiveHeaders, headers, call.getText().slice(0, 100)));
        if (body) findings.push(findingAt(requestBody, body, call.getText().slice(0, 100), !console && redacted.any ? 'low' : undefined));
      }
    }
    return findings;
  },
};
