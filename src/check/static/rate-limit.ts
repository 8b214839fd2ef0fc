import { SyntaxKind } from 'ts-morph';
import { anchorFinding, frameworksOf, routes } from '../apps.ts';
import { findingAt, importsOf } from '../code.ts';
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

export const rateLimit: StaticCheck = {
  rules: [absent, signIn],
  async run(project: ProjectFiles): Promise<Finding[]> {
    if (frameworksOf(project).length === 0) return [];
    const sources = await project.sources();
    const inApp = sources.some((s) => [...importsOf(s).values()].some((i) => LIMITERS.test(i.module)));
    const atEdge = project.files.some(
      (f) => /\.conf(?:\.hbs)?$|nginx|ingress/i.test(f) && /\blimit_req\s|limit-rps|limit-rpm/.test(project.read(f) ?? ''),
    );
    if (inApp || atEdge) return [];
    const findings: Finding[] = [
      anchorFinding(project, sources, absent, 'no rate-limit package imported and no limit_req in an nginx configuration'),
    ];
    for (const route of routes(sources)) {
      if (!SIGN_IN.test(route.path) || route.method === 'get') continue;
      const file = route.call.getSourceFile();
      const throttled = file.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => THROTTLE_NAME.test(id.getText()));
      if (!throttled) findings.push(findingAt(signIn, route.call, `${route.method.toUpperCase()} ${route.path} with no limiter`));
    }
    return findings;
  },
};
