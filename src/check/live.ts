import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { CheckResult, Finding, Rule, Severity, Skipped } from './types.ts';

/**
 * Checks against a running API. Bounded and polite: about fifteen requests (plus up to
 * RATE_LIMIT_BUDGET with --probe-rate-limit), one at a time, each with a timeout; redirects are never
 * followed, so no request leaves the host the user named.
 */
export const RATE_LIMIT_BUDGET = 200;
const TIMEOUT_MS = 10_000;
const OVERSIZED_BYTES = 11 * 1024 * 1024;
const HOSTILE_ORIGIN = 'https://evil.example';

const rule = (id: string, severity: Severity, title: string, why: string, checklist: number[], remedy: string, feature?: string): Rule => ({
  id,
  severity,
  title,
  why,
  owasp: 'API8:2023 Security Misconfiguration',
  checklist,
  remedy,
  ...(feature ? { feature } : {}),
});

export const liveHeaders = rule(
  'live.headers',
  'medium',
  'Security headers missing from a response',
  'Error responses need the same headers as successful ones: browsers treat a 404 page like any other.',
  [18],
  'Set the headers in an onRequest hook (or helmet) so that 200, 404 and error responses all carry them.',
);
export const liveServerVersion = rule(
  'live.server-banner',
  'low',
  'Response names the server software',
  'X-Powered-By or a Server header with a version tells clients which known vulnerabilities to try.',
  [18],
  "Remove X-Powered-By (app.disable('x-powered-by')) and version numbers from Server (nginx: server_tokens off).",
);
export const liveErrorFormat = rule(
  'live.error-format',
  'medium',
  'Errors are not RFC 9457 problems',
  'Clients need one machine-readable error shape (application/problem+json) for 400 and 404 as for every other error.',
  [21],
  'Answer errors with application/problem+json through setErrorHandler and setNotFoundHandler.',
);
export const liveStackTrace = rule(
  'live.stack-trace',
  'high',
  'Error response contains a stack trace',
  'A stack trace shows file paths, library versions and code structure to any client.',
  [21],
  'Log errors server-side; send a generic problem detail.',
);
export const liveTrace = rule(
  'live.trace-method',
  'medium',
  'TRACE is answered',
  'TRACE echoes the request (cookies and authorization headers included) back to the client: cross-site tracing.',
  [20],
  'Answer TRACE with 404 or 405; declare only the methods each route needs.',
);
export const liveBodyLimit = rule(
  'live.body-limit',
  'medium',
  'Oversized request body accepted',
  'An 11 MiB body was read instead of refused with 413: a few concurrent clients can exhaust memory.',
  [12],
  'Keep the body limit small (Fastify bodyLimit, express.json({ limit })) and raise it only where needed.',
);
export const liveCors = rule(
  'live.cors',
  'high',
  'A hostile Origin is allowed',
  `A preflight or request from ${HOSTILE_ORIGIN} got Access-Control-Allow-Origin: any web site can call the API from a browser (with credentials, as the user).`,
  [19],
  'Allow only configured origins; never reflect the Origin or send * with credentials.',
);
export const liveMetrics = rule(
  'live.metrics-public',
  'medium',
  '/metrics is public',
  'Metrics reveal routes, traffic, error rates and internals; they belong on an internal port or behind a token.',
  [35],
  'Serve /metrics on an internal port or require a token (create-hardened-api add metrics does the latter).',
  'metrics',
);
export const liveDocs = rule(
  'live.docs-public',
  'low',
  'API documentation is public',
  'Public docs are an inventory of every route for an attacker; in production they should be off or behind authentication.',
  [24],
  'Serve Swagger UI and the OpenAPI document only outside production, or behind authentication.',
  'openapi',
);
export const liveRateLimit = rule(
  'live.rate-limit',
  'medium',
  'No 429 within the request budget',
  `${RATE_LIMIT_BUDGET} requests in a row were all served: one client can use the API without limit.`,
  [10],
  'Limit requests per client and answer 429 with Retry-After (create-hardened-api add rate-limit).',
  'rate-limit',
);
export const liveRetryAfter = rule(
  'live.retry-after',
  'low',
  '429 without Retry-After',
  'Without Retry-After, well-behaved clients cannot know when to come back and retry at once.',
  [10, 11],
  'Send Retry-After (seconds) with every 429.',
);
export const liveTls = rule(
  'live.tls-version',
  'high',
  'TLS below 1.2 accepted',
  'TLS 1.0 and 1.1 are deprecated (RFC 8996) and have known weaknesses.',
  [43],
  'Offer TLS 1.2 and 1.3 only (Mozilla intermediate configuration); create-hardened-api add nginx.',
  'nginx',
);

export const liveRules: Rule[] = [
  liveHeaders,
  liveServerVersion,
  liveErrorFormat,
  liveStackTrace,
  liveTrace,
  liveBodyLimit,
  liveCors,
  liveMetrics,
  liveDocs,
  liveRateLimit,
  liveRetryAfter,
  liveTls,
];

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with node:http(s): any method (fetch refuses TRACE), no redirects, bounded body read. */
export function send(url: URL, method: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, { method, headers, timeout: TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < 65_536) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
}

const STACK = /\bat (?:async )?[\w$.<>]+ \(?(?:file:\/\/|\/|[A-Z]:\\|node:)[^)\n]*:\d+:\d+\)?|"stack"\s*:/;
const REQUIRED_HEADERS = ['x-content-type-options', 'content-security-policy'] as const;

function missingHeaders(answer: Answer, secure: boolean): string[] {
  const missing: string[] = REQUIRED_HEADERS.filter((h) => !answer.headers[h]);
  if (!answer.headers['x-frame-options'] && !/frame-ancestors/.test(String(answer.headers['content-security-policy'] ?? ''))) {
    missing.push('x-frame-options (or CSP frame-ancestors)');
  }
  if (secure && !answer.headers['strict-transport-security']) missing.push('strict-transport-security');
  return missing;
}

export interface LiveOptions {
  probeRateLimit: boolean;
}

export async function runLiveChecks(base: URL, options: LiveOptions): Promise<CheckResult> {
  const findings: Finding[] = [];
  const skipped: Skipped[] = [];
  const secure = base.protocol === 'https:';
  const at = (rule: Rule, url: URL, seen: string, severity?: Severity): Finding => ({
    rule,
    location: { url: url.href },
    seen,
    ...(severity ? { severity } : {}),
  });
  const relative = (path: string) => new URL(path, base.href.endsWith('/') ? base.href : `${base.href}/`);

  const home = await send(base, 'GET');
  const notFoundUrl = relative(`create-hardened-api-check-${Date.now().toString(36)}`);
  const notFound = await send(notFoundUrl, 'GET');
  for (const [answer, url] of [
    [home, base],
    [notFound, notFoundUrl],
  ] as const) {
    const missing = missingHeaders(answer, secure);
    if (missing.length > 0) findings.push(at(liveHeaders, url, `${answer.status} without ${missing.join(', ')}`));
    const banner = [
      answer.headers['x-powered-by'] && `X-Powered-By: ${answer.headers['x-powered-by']}`,
      /\d/.test(String(answer.headers.server ?? '')) && `Server: ${answer.headers.server}`,
    ].filter(Boolean);
    if (banner.length > 0) findings.push(at(liveServerVersion, url, banner.join(', ')));
  }

  const malformed = await send(base, 'POST', { 'content-type': 'application/json' }, '{"check":');
  for (const [answer, url, expected] of [
    [notFound, notFoundUrl, 404],
    [malformed, base, 400],
  ] as const) {
    if (answer.status !== expected) {
      skipped.push({
        id: `${liveErrorFormat.id} (${expected})`,
        reason: `${url.href} answered ${answer.status}, not ${expected}: no ${expected} to inspect`,
      });
      continue;
    }
    const type = String(answer.headers['content-type'] ?? '');
    if (!type.startsWith('application/problem+json'))
      findings.push(at(liveErrorFormat, url, `${expected} with content-type ${type || '(none)'}`));
    if (STACK.test(answer.body)) findings.push(at(liveStackTrace, url, `${expected} body: ${answer.body.slice(0, 100)}`));
  }

  const trace = await send(base, 'TRACE');
  if (trace.status >= 200 && trace.status < 300) findings.push(at(liveTrace, base, `TRACE answered ${trace.status}`));

  const oversized = await send(base, 'POST', { 'content-type': 'application/json' }, Buffer.alloc(OVERSIZED_BYTES, 0x20)).catch(
    (error: Error) => ({ status: -1, headers: {}, body: error.message }) as Answer,
  );
  if (oversized.status === 413 || oversized.status === -1) {
    // Refused (or the connection closed while sending): either way the body was not taken.
  } else if ([400, 422].includes(oversized.status) || (oversized.status >= 200 && oversized.status < 300)) {
    findings.push(at(liveBodyLimit, base, `POST of ${OVERSIZED_BYTES} bytes answered ${oversized.status}`));
  } else {
    skipped.push({
      id: liveBodyLimit.id,
      reason: `${base.href} answered ${oversized.status} before reading the body; use --url of a route that takes POST bodies`,
    });
  }

  const preflight = await send(base, 'OPTIONS', { origin: HOSTILE_ORIGIN, 'access-control-request-method': 'GET' });
  const simple = await send(base, 'GET', { origin: HOSTILE_ORIGIN });
  for (const answer of [preflight, simple]) {
    const allowed = answer.headers['access-control-allow-origin'];
    if (allowed !== '*' && allowed !== HOSTILE_ORIGIN) continue;
    const credentials = answer.headers['access-control-allow-credentials'] === 'true';
    findings.push(
      at(
        liveCors,
        base,
        `Origin ${HOSTILE_ORIGIN} got Access-Control-Allow-Origin: ${allowed}${credentials ? ' with credentials' : ''}`,
        credentials && allowed !== '*' ? undefined : 'low',
      ),
    );
    break;
  }

  const metricsUrl = relative('/metrics');
  const metrics = await send(metricsUrl, 'GET');
  if (metrics.status === 200 && /^# (?:HELP|TYPE) /m.test(metrics.body))
    findings.push(at(liveMetrics, metricsUrl, 'GET /metrics answered 200 with Prometheus metrics'));
  for (const path of ['/docs', '/documentation', '/swagger', '/api-docs', '/openapi.json', '/swagger.json']) {
    const url = relative(path);
    const docs = await send(url, 'GET');
    if (docs.status === 200 && /swagger|openapi|redoc/i.test(docs.body)) {
      findings.push(at(liveDocs, url, `GET ${path} answered 200`));
      break;
    }
  }

  if (options.probeRateLimit) {
    let limited: Answer | undefined;
    for (let i = 0; i < RATE_LIMIT_BUDGET && !limited; i++) {
      const answer = await send(base, 'GET');
      if (answer.status === 429) limited = answer;
    }
    if (!limited) findings.push(at(liveRateLimit, base, `${RATE_LIMIT_BUDGET} GET requests, no 429`));
    else if (!limited.headers['retry-after']) findings.push(at(liveRetryAfter, base, '429 without Retry-After'));
  }

  if (secure) {
    const outcome = await legacyTls(base);
    if (outcome === 'accepted') findings.push(at(liveTls, base, 'a TLS 1.1 handshake succeeded'));
    else if (outcome !== 'refused') skipped.push({ id: liveTls.id, reason: outcome });
  }
  return { findings, skipped };
}

/** Tries a TLS 1.0/1.1-only handshake: 'accepted', 'refused', or why it could not tell. */
function legacyTls(base: URL): Promise<string> {
  return new Promise((resolve) => {
    let socket: tls.TLSSocket;
    try {
      socket = tls.connect({
        host: base.hostname,
        port: Number(base.port || 443),
        servername: base.hostname,
        minVersion: 'TLSv1',
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT:@SECLEVEL=0',
        rejectUnauthorized: false,
        timeout: TIMEOUT_MS,
      });
    } catch (error) {
      resolve(`this Node.js cannot offer TLS 1.1 (${(error as Error).message})`);
      return;
    }
    socket.once('secureConnect', () => {
      socket.end();
      resolve('accepted');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('no TLS answer within the timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      // The server's alert says "protocol version"; a local refusal says "no protocols available".
      if (/no protocols available/i.test(error.message)) {
        resolve(`this Node.js cannot offer TLS 1.1 (${error.message})`);
      } else resolve('refused');
    });
  });
}
