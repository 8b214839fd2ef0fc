import { type CallExpression, Node, type ObjectLiteralExpression, type SourceFile, SyntaxKind } from 'ts-morph';
import {
  callsTo,
  findingAt,
  functionOf,
  methodCalls,
  objectLiteral,
  pluginRegistrations,
  property,
  propertyNode,
  staticValue,
} from '../code.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';

export const credentialsAnyOrigin: Rule = {
  id: 'cors.credentials-any-origin',
  severity: 'high',
  title: 'CORS allows every origin with credentials',
  why: "Reflecting any Origin together with Access-Control-Allow-Credentials lets every web site act with the user's cookies and read the answers (CSRF plus data theft). With '*' browsers refuse credentials, so the setting is broken rather than open.",
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [19],
  remedy:
    'Allow an explicit list of origins from configuration (origin: [...]); never origin: true, "*" or a callback that accepts every origin when credentials are on.',
};

export const anyOrigin: Rule = {
  id: 'cors.any-origin',
  severity: 'low',
  title: 'CORS allows every origin',
  why: 'Any web site can call the API from a browser and read the answers. Fine for a public, anonymous API; otherwise an allowlist is safer.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [19],
  remedy:
    'Allow an explicit list of origins from configuration (origin: [...]), or remove CORS if no browser client calls the API from another origin.',
};

type OriginPolicy = 'reflect' | 'wildcard' | 'allowlist' | 'unknown';

/** @fastify/cors and cors both default to '*'. */
function originPolicy(node: Node | undefined): OriginPolicy {
  if (!node) return 'wildcard';
  const value = staticValue(node);
  if (value === true) return 'reflect';
  if (value === '*') return 'wildcard';
  if (value instanceof RegExp) return /^\^?\.[*+]\$?$/.test(value.source) ? 'reflect' : 'allowlist';
  if (Array.isArray(value)) return value.includes('*') ? 'wildcard' : 'allowlist';
  if (typeof value === 'string' || value === false) return 'allowlist';
  const fn = functionOf(node) ?? (Node.isMethodDeclaration(node) ? node : undefined);
  if (fn && acceptsEveryOrigin(fn)) return 'reflect';
  return 'unknown';
}

/** A callback with no decision in it (no condition, comparison or lookup) accepts whatever it is given. */
function acceptsEveryOrigin(fn: Node): boolean {
  const decisions = [
    SyntaxKind.IfStatement,
    SyntaxKind.ConditionalExpression,
    SyntaxKind.SwitchStatement,
    SyntaxKind.BinaryExpression,
  ].some((kind) =>
    fn.getDescendantsOfKind(kind).some((n) => {
      if (!Node.isBinaryExpression(n)) return true;
      const op = n.getOperatorToken().getKind();
      return op !== SyntaxKind.EqualsToken && op !== SyntaxKind.CommaToken;
    }),
  );
  const lookups = fn
    .getDescendantsOfKind(SyntaxKind.CallExpression)
    .some((call) => /\.(?:includes|has|test|indexOf|some|find|match|startsWith|endsWith)$/.test(call.getExpression().getText()));
  return !decisions && !lookups;
}

function judge(options: ObjectLiteralExpression | undefined, at: Node): Finding[] {
  const originNode = property(options, 'origin');
  const policy = originPolicy(originNode);
  if (policy === 'allowlist' || policy === 'unknown') return [];
  const credentials = staticValue(property(options, 'credentials')) === true;
  const where = propertyNode(options, 'origin') ?? at;
  const described = originNode ? `origin: ${originNode.getText().replace(/\s+/g, ' ').slice(0, 80)}` : "no origin (the default is '*')";
  if (credentials) {
    return [findingAt(credentialsAnyOrigin, where, `${described} with credentials: true`, policy === 'reflect' ? 'high' : 'medium')];
  }
  return [findingAt(anyOrigin, where, described)];
}

/** `reply.header('Access-Control-Allow-Origin', request.headers.origin)` and friends, set by hand. */
function handWrittenReflection(source: SourceFile): Finding[] {
  const calls = methodCalls(source, 'header', 'setHeader', 'set', 'append');
  const named = (call: CallExpression, name: string) => String(staticValue(call.getArguments()[0])).toLowerCase() === name;
  const credentials = calls.some(
    (call) => named(call, 'access-control-allow-credentials') && String(staticValue(call.getArguments()[1])) === 'true',
  );
  const findings: Finding[] = [];
  for (const call of calls.filter((c) => named(c, 'access-control-allow-origin'))) {
    const value = call.getArguments()[1];
    if (!value) continue;
    const reflects = /\.headers\.origin\b|\.headers\[['"]origin['"]\]|\.get\(['"]origin['"]\)|\.header\(['"]origin['"]\)/i.test(
      value.getText(),
    );
    const wildcard = staticValue(value) === '*';
    if (!reflects && !wildcard) continue;
    if (credentials)
      findings.push(
        findingAt(
          credentialsAnyOrigin,
          call,
          `${call.getText()} with Access-Control-Allow-Credentials: true`,
          reflects ? 'high' : 'medium',
        ),
      );
    else findings.push(findingAt(anyOrigin, call));
  }
  return findings;
}

export const cors: StaticCheck = {
  rules: [credentialsAnyOrigin, anyOrigin],
  async run(project: ProjectFiles): Promise<Finding[]> {
    const sources = await project.sources();
    const findings: Finding[] = [];
    for (const { call, options } of pluginRegistrations(sources, /^(?:@fastify\/cors|fastify-cors)$/)) {
      if (options || call.getArguments().length < 2) findings.push(...judge(options, call));
    }
    for (const call of callsTo(sources, 'cors')) {
      const [argument] = call.getArguments();
      const options = objectLiteral(argument);
      if (options || !argument) findings.push(...judge(options, call));
    }
    for (const source of sources) findings.push(...handWrittenReflection(source));
    return findings;
  },
};
