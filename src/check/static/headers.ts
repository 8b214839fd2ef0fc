import { type SourceFile, SyntaxKind } from 'ts-morph';
import { anchorFinding, appInstances, frameworksOf } from '../apps.ts';
import { findingAt, importsOf, methodCalls, staticValue } from '../code.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';

const HELMET = /^(?:@fastify\/helmet|fastify-helmet|helmet)$/;
/** Headers only a deliberate security-headers setup sends: seeing one set means someone took care. */
const SECURITY_HEADERS = new Set(['x-content-type-options', 'content-security-policy', 'strict-transport-security']);

export const missingHeaders: Rule = {
  id: 'headers.missing',
  severity: 'medium',
  title: 'No security headers',
  why: 'Without X-Content-Type-Options, a Content-Security-Policy, Strict-Transport-Security and frame protection, browsers may sniff, frame or downgrade what the API returns.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [18],
  remedy:
    "Register @fastify/helmet (Fastify) or helmet() (Express) tuned for JSON (CSP default-src 'none'; frame-ancestors 'none', frameguard deny), or set the headers in one onRequest hook as generated projects do.",
};

export const poweredBy: Rule = {
  id: 'headers.x-powered-by',
  severity: 'low',
  title: 'Express announces itself with X-Powered-By',
  why: 'X-Powered-By: Express tells every client which framework (and so which known vulnerabilities) to try.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [18],
  remedy: "Call app.disable('x-powered-by') right after creating the app (helmet() does it too).",
};

function usesHelmet(sources: readonly SourceFile[]): boolean {
  return sources.some((source) => [...importsOf(source).values()].some((imported) => HELMET.test(imported.module)));
}

function setsHeadersByHand(sources: readonly SourceFile[]): boolean {
  // The text says where to look; the syntax tree says whether it is a string in the code (not a comment).
  const candidates = sources.filter((source) => {
    const text = source.getFullText().toLowerCase();
    return [...SECURITY_HEADERS].some((header) => text.includes(header));
  });
  return candidates.some((source) =>
    [SyntaxKind.StringLiteral, SyntaxKind.NoSubstitutionTemplateLiteral].some((kind) =>
      source
        .getDescendantsOfKind(kind as SyntaxKind.StringLiteral)
        .some((literal) => SECURITY_HEADERS.has(literal.getLiteralText().toLowerCase())),
    ),
  );
}

function disablesPoweredBy(sources: readonly SourceFile[]): boolean {
  return sources.some((source) =>
    methodCalls(source, 'disable', 'set').some((call) => {
      const [name, value] = call.getArguments();
      if (staticValue(name) !== 'x-powered-by') return false;
      return call.getExpression().getText().endsWith('disable') || staticValue(value) === false;
    }),
  );
}

export const headers: StaticCheck = {
  rules: [missingHeaders, poweredBy],
  async run(project: ProjectFiles): Promise<Finding[]> {
    const frameworks = frameworksOf(project);
    if (frameworks.length === 0) return [];
    const sources = await project.sources();
    const findings: Finding[] = [];
    const helmet = usesHelmet(sources);
    // A reverse proxy configured in the repository may add them for the API.
    const atEdge = project.files.some(
      (f) =>
        /\.conf(?:\.hbs)?$|nginx/i.test(f) &&
        /add_header\s+["']?(?:X-Content-Type-Options|Content-Security-Policy)\b/i.test(project.read(f) ?? ''),
    );
    if (!helmet && !atEdge && !setsHeadersByHand(sources)) {
      findings.push(anchorFinding(project, sources, missingHeaders, 'no helmet and no code that sets X-Content-Type-Options, CSP or HSTS'));
    }
    if (!helmet && !disablesPoweredBy(sources)) {
      for (const app of appInstances(sources).filter((a) => a.framework === 'express')) {
        findings.push(findingAt(poweredBy, app.call, `${app.call.getText()} without app.disable('x-powered-by')`));
      }
    }
    return findings;
  },
};
