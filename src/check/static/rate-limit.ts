import { type CallExpression, Node, type SourceFile, SyntaxKind } from 'ts-morph';
import { anchorFinding, frameworksOf, type Route, routes } from '../apps.ts';
import { callsTo, findingAt, importsOf, methodCalls, objectLiteral, pluginRegistrations, property, staticValue } from '../code.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';

const LIMITERS =
  /^(?:@fastify\/rate-limit|fastify-rate-limit|express-rate-limit|express-slow-down|express-brute|rate-limiter-flexible|@nestjs\/throttler|express-limiter|@upstash\/ratelimit)$/;
/** A path segment of a route where credentials or one-time codes are tried. */
const SIGN_IN =
  /(?:^|\/)(?:log-?in|sign-?in|signin|sign-?up|register|password|passwd|forgot|reset|otp|mfa|2fa|totp|token|session)s?(?:\/|$)/i;
/** A hand-written throttle near the route (the name says what it is for). */
const THROTTLE_NAME = /throttl|rate.?limit|limiter|brute|lockout|slow.?down/i;

export const absent: Rule = {
  id: 'rate-limit.absent',
  severity: 'low',
  title: 'No rate limiting found',
  why: 'Without per-client budgets one client can exhaust the API and its database, and scrape or brute-force at will. An API gateway in front may enforce limits this project cannot show; then accept this finding with that reason.',
  owasp: 'API4:2023 Unrestricted Resource Consumption',
  checklist: [10],
  remedy: 'create-hardened-api add rate-limit (or register @fastify/rate-limit / express-rate-limit with a shared store).',
  feature: 'rate-limit',
};

export const signIn: Rule = {
  id: 'rate-limit.sign-in',
  severity: 'medium',
  title: 'Sign-in route without any rate limit',
  why: 'A route that checks passwords, codes or tokens with no limit can be brute-forced or credential-stuffed at full speed.',
  owasp: 'API2:2023 Broken Authentication',
  checklist: [4],
  remedy:
    'create-hardened-api add rate-limit (stricter budget on routes marked sensitive), or a per-route limiter keyed on IP and account.',
  feature: 'rate-limit',
};

/**
 * Whether the application's limiter may apply to every route: @fastify/rate-limit unless `global: false`;
 * express-rate-limit unless every use of it is provably per route. Undefined: no limiter in the code.
 */
function limiterIsGlobal(sources: readonly SourceFile[]): boolean | undefined {
  const fastify = pluginRegistrations(sources, /^(?:@fastify\/rate-limit|fastify-rate-limit)$/);
  const express = callsTo(sources, /^(?:express-rate-limit|express-slow-down)$/, [], ['rateLimit'], ['slowDown']);
  if (fastify.length === 0 && express.length === 0) return undefined;
  if (fastify.some(({ options }) => staticValue(property(options, 'global')) !== false)) return true;
  if (fastify.length > 0 && sources.some(enforcedByRequestHook)) return true;
  return express.some((limiter) => !onlyPerRoute(limiter, sources));
}

const REQUEST_HOOKS = new Set(['onRequest', 'preParsing', 'preValidation', 'preHandler']);

/**
 * `global: false` with the limiter applied to every request by the application itself: a request hook
 * in a file that builds its checks with `createRateLimit` (per-route budgets chosen in the hook).
 */
function enforcedByRequestHook(source: SourceFile): boolean {
  if (methodCalls(source, 'createRateLimit').length === 0) return false;
  return methodCalls(source, 'addHook').some((hook) => {
    const phase = staticValue(hook.getArguments()[0]);
    return typeof phase === 'string' && REQUEST_HOOKS.has(phase);
  });
}

/** A call's use that limits one route or one narrower mount: `router.post('/login', limiter, ...)`, `app.use('/auth', limiter)`. */
function perRouteUse(argument: Node): boolean {
  const call = argument.getParent();
  if (!call || !Node.isCallExpression(call) || !call.getArguments().includes(argument)) return false;
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return false;
  const path = staticValue(call.getArguments()[0]);
  return typeof path === 'string' && path.startsWith('/') && (callee.getName() !== 'use' || path !== '/');
}

/** True only when every use of the limiter is per route (otherwise, or when unsure, it counts as global). */
function onlyPerRoute(limiter: CallExpression, sources: readonly SourceFile[]): boolean {
  const declaration = limiter.getParentIfKind(SyntaxKind.VariableDeclaration);
  if (!declaration) return perRouteUse(limiter);
  const name = declaration.getName();
  const uses = sources.flatMap((source) =>
    source.getDescendantsOfKind(SyntaxKind.Identifier).filter((id) => id.getText() === name && id !== declaration.getNameNode()),
  );
  return uses.length > 0 && uses.every((use) => perRouteUse(use));
}

/** A route protected on its own: Fastify `config.rateLimit`, or a middleware or call named like a limiter. */
function limitedRoute(route: Route): boolean {
  if (property(objectLiteral(property(route.options, 'config')), 'rateLimit')) return true;
  return route.handlers.some(
    (handler) => !Node.isArrowFunction(handler) && !Node.isFunctionExpression(handler) && THROTTLE_NAME.test(handler.getText()),
  );
}

export const rateLimit: StaticCheck = {
  rules: [absent, signIn],
  async run(project: ProjectFiles): Promise<Finding[]> {
    if (frameworksOf(project).length === 0) return [];
    const sources = await project.sources();
    const global = limiterIsGlobal(sources);
    const inApp = global !== undefined || sources.some((s) => [...importsOf(s).values()].some((i) => LIMITERS.test(i.module)));
    const atEdge = project.files.some(
      (f) => /\.conf(?:\.hbs)?$|nginx|ingress/i.test(f) && /\blimit_req\s|limit-rps|limit-rpm/.test(project.read(f) ?? ''),
    );
    if (global === true || atEdge || (inApp && global === undefined)) return [];
    const findings: Finding[] = [];
    if (!inApp)
      findings.push(anchorFinding(project, sources, absent, 'no rate-limit package imported and no limit_req in an nginx configuration'));
    for (const route of routes(sources)) {
      if (!SIGN_IN.test(route.path) || route.method === 'get' || limitedRoute(route)) continue;
      // Without any limiter, a hand-written throttle in the route's file (named as one) counts.
      const file = route.call.getSourceFile();
      if (!inApp && file.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => THROTTLE_NAME.test(id.getText()))) continue;
      const why = inApp ? 'the limiter is not applied to every route, nor to this one' : 'no limiter';
      findings.push(findingAt(signIn, route.call, `${route.method.toUpperCase()} ${route.path}: ${why}`));
    }
    return findings;
  },
};
