import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { cli, tempDir } from '../helpers/cli.ts';

type Handler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;

/** A server on 127.0.0.1 that counts the requests it gets. */
async function serve(
  handler: Handler,
  tlsOptions?: https.ServerOptions,
): Promise<{ url: string; requests: () => number; close: () => void }> {
  let count = 0;
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    count++;
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 1024 * 1024) chunks.push(chunk);
    });
    request.on('end', () => handler(request, response, Buffer.concat(chunks)));
  };
  const server = tlsOptions ? https.createServer(tlsOptions, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `${tlsOptions ? 'https' : 'http'}://127.0.0.1:${port}/`, requests: () => count, close: () => server.close() };
}

/** Everything the checklist warns about: no headers, HTML errors with stack traces, TRACE, any Origin... */
const careless: Handler = (request, response) => {
  response.setHeader('x-powered-by', 'Express');
  const url = request.url ?? '/';
  if (request.method === 'OPTIONS' || request.headers.origin) {
    response.setHeader('access-control-allow-origin', request.headers.origin ?? '*');
    response.setHeader('access-control-allow-credentials', 'true');
  }
  if (request.method === 'TRACE') return response.end(JSON.stringify(request.headers));
  if (url === '/metrics')
    return response.end('# HELP http_requests_total Requests\n# TYPE http_requests_total counter\nhttp_requests_total 7\n');
  if (url === '/docs') return response.end('<html><div id="swagger-ui"></div></html>');
  if (url === '/') return response.end(request.method === 'POST' ? '{"ok":true}' : '<h1>hello</h1>');
  response.statusCode = 404;
  response.end('Error: Not Found\n    at handler (/srv/app/src/server.js:10:5)\n');
};

const HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'strict-transport-security': 'max-age=31536000',
};

/** What the checklist asks for, by hand. */
function careful(limit: number): Handler {
  let served = 0;
  return (request, response, body) => {
    for (const [name, value] of Object.entries(HEADERS)) response.setHeader(name, value);
    const problem = (status: number) => {
      response.statusCode = status;
      response.setHeader('content-type', 'application/problem+json');
      response.end(JSON.stringify({ type: 'about:blank', title: http.STATUS_CODES[status], status }));
    };
    if (++served > limit) {
      response.setHeader('retry-after', '60');
      return problem(429);
    }
    if (!['GET', 'POST', 'OPTIONS'].includes(request.method ?? '')) return problem(405);
    if (request.url !== '/') return problem(404);
    if (request.method === 'POST') {
      if (Number(request.headers['content-length']) > 1024 * 1024) return problem(413);
      try {
        JSON.parse(body.toString('utf8'));
      } catch {
        return problem(400);
      }
    }
    response.setHeader('content-type', 'application/json');
    response.end('{"ok":true}');
  };
}

interface Report {
  findings: { id: string; severity: string; location: { url: string } }[];
  skipped: { id: string; reason: string }[];
}

async function live(url: string, ...args: string[]): Promise<{ exitCode: number; report: Report; stderr: string }> {
  const result = await cli(['check', '--url', url, '--format', 'json', ...args]);
  return {
    exitCode: result.exitCode,
    report: JSON.parse(result.stdout || '{"findings":[],"skipped":[]}') as Report,
    stderr: result.stderr,
  };
}

describe('check --url: live checks against a running API', () => {
  const servers: { close: () => void }[] = [];
  after(() => {
    for (const server of servers) server.close();
  });

  it('finds what a careless server does, with at most twenty requests', async () => {
    const server = await serve(careless);
    servers.push(server);
    const { exitCode, report, stderr } = await live(server.url);
    assert.equal(exitCode, 1, stderr);
    const found = report.findings
      .map((f) => `${f.id} ${f.severity} ${new URL(f.location.url).pathname.replace(/create-hardened-api-check-\w+/, '<missing>')}`)
      .sort();
    assert.deepEqual(found, [
      'live.body-limit medium /',
      'live.cors high /',
      'live.docs-public low /docs',
      'live.error-format medium /<missing>',
      'live.headers medium /',
      'live.headers medium /<missing>',
      'live.metrics-public medium /metrics',
      'live.server-banner low /',
      'live.server-banner low /<missing>',
      'live.stack-trace high /<missing>',
      'live.trace-method medium /',
    ]);
    assert.deepEqual(
      report.skipped.map((s) => s.id),
      ['live.error-format (400)'],
      'a POST that is not refused gives no 400 to inspect, and says so',
    );
    assert.ok(server.requests() <= 20, `${server.requests()} requests`);
  });

  it('finds nothing on a careful server; --probe-rate-limit sees its 429 with Retry-After within the budget', async () => {
    const server = await serve(careful(30));
    servers.push(server);
    const { exitCode, report, stderr } = await live(server.url, '--probe-rate-limit', '--fail-on', 'low');
    assert.equal(exitCode, 0, `${stderr}${JSON.stringify(report)}`);
    assert.deepEqual(report.findings, []);
    assert.deepEqual(report.skipped, []);
    assert.ok(server.requests() <= 31 + 20, `${server.requests()} requests: it stops at the first 429`);
  });

  it('--probe-rate-limit reports a server that never answers 429 (and stops at its budget)', async () => {
    const server = await serve(careful(Number.POSITIVE_INFINITY));
    servers.push(server);
    const { report } = await live(server.url, '--probe-rate-limit');
    assert.deepEqual(
      report.findings.map((f) => f.id),
      ['live.rate-limit'],
    );
    assert.ok(server.requests() <= 200 + 20, `${server.requests()} requests`);
  });

  it('over https: refuses nothing when TLS 1.2 is the floor, reports a server that accepts TLS 1.1', async () => {
    const dir = tempDir('tls-');
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      {
        stdio: 'ignore',
      },
    );
    const credentials = { key: readFileSync(key), cert: readFileSync(cert) };
    const modern = await serve(careful(1000), { ...credentials, minVersion: 'TLSv1.2' });
    const legacy = await serve(careful(1000), { ...credentials, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    servers.push(modern, legacy);
    const env = { NODE_EXTRA_CA_CERTS: cert };
    const ok = await cli(['check', '--url', modern.url, '--format', 'json'], { env });
    assert.deepEqual((JSON.parse(ok.stdout) as Report).findings, [], ok.stderr);
    const weak = await cli(['check', '--url', legacy.url, '--format', 'json'], { env });
    const report = JSON.parse(weak.stdout) as Report;
    assert.deepEqual(
      report.findings.map((f) => [f.id, f.severity]),
      [['live.tls-version', 'high']],
      JSON.stringify(report.skipped),
    );
  });

  it('a URL that does not answer is an error (exit 2), not a clean result', async () => {
    const server = await serve(careless);
    server.close();
    const result = await cli(['check', '--url', server.url]);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /could not be checked: .*ECONNREFUSED/);
  });
});
