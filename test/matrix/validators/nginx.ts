import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import tls from 'node:tls';
import { execa } from 'execa';
import { toolEnv } from '../../helpers/generated.ts';
import { killGroup } from '../../helpers/processes.ts';
import { type GeneratedServer, startGeneratedServer } from '../../helpers/server.ts';

/**
 * Validates ops/nginx/nginx.conf with Debian's nginx (1.22) and testssl.sh, offline:
 * - `nginx -t` on the generated configuration, with a certificate from the project's own
 *   scripts/dev-cert.sh; a warning fails like an error;
 * - nginx runs it on loopback high ports in front of two started instances of the API (trusting
 *   127.0.0.1 as compose trusts NGINX's address) and we check: HTTPS with HTTP/2 answers, requests reach
 *   both instances, HTTP redirects to HTTPS with the same path, HSTS appears once, no version in
 *   `Server`, `/metrics` is not routed, an oversized body gets a problem+json 413, the client address
 *   reaches the API as `request.ip` (a client-supplied X-Forwarded-For is replaced) with proto https,
 *   NGINX's request id is the API's, upstream connections are reused, a burst from one address gets 429s,
 *   requests keep succeeding when one instance dies, and NGINX's own errors are problem+json;
 * - testssl.sh (protocols, cipher categories, headers; 25-40 s) finds nothing LOW or worse (but the
 *   expected, below), no protocol below TLS 1.2 is offered, TLS 1.2 and 1.3 are. Its exit code says nothing about findings: the JSON does.
 *
 * The file is written for nginx 1.28 in the container; each adaptation to this machine is in REWRITES.
 */
type Rewrite = { what: RegExp; to: (ports: Ports, dir: string) => string; why: string };
interface Ports {
  http: number;
  https: number;
  upstreams: number[];
}

const REWRITES: readonly Rewrite[] = [
  { what: /listen 8080 default_server;/, to: (p) => `listen 127.0.0.1:${p.http} default_server;`, why: 'loopback, a free port' },
  {
    what: /listen 8443 ssl default_server;\s*http2 on;/,
    to: (p) => `listen 127.0.0.1:${p.https} ssl http2 default_server;`,
    why: 'nginx 1.22 has no `http2 on;` (1.25.1+): the listen parameter instead',
  },
  {
    what: /server api:3000 (.*);/,
    to: (p) => p.upstreams.map((port) => `server 127.0.0.1:${port} $1;`).join('\n        '),
    why: "the two API instances started here instead of compose's replicas",
  },
  { what: /\/tmp\//g, to: (_p, dir) => `${dir}/tmp/`, why: 'a private temp dir (pid, buffers)' },
  { what: /\/etc\/nginx\/certs\//g, to: (_p, dir) => `${dir}/certs/`, why: 'the certificate scripts/dev-cert.sh wrote' },
];

/**
 * testssl.sh findings that do not fail: those of a local self-signed certificate, Mozilla's "the client
 * picks the cipher" (tools.md, section 3), and this machine's OpenSSL lacking GOST engines. Everything
 * else from LOW up fails (a LOW `cipherlist_AVERAGE` is a CBC suite offered).
 */
const TESTSSL_EXPECTED = new Set([
  'cert_chain_of_trust',
  'cert_expirationStatus',
  'cert_notAfter',
  'cert_revocation',
  'cipher_order',
  'engine_problem',
]);

/** Records, for every request the API handles, the address it believes and what NGINX passed on. */
const PROBE = `import diagnostics from 'node:diagnostics_channel';
diagnostics.subscribe('http.server.request.start', ({ request, socket }) => {
  process.stderr.write(JSON.stringify({ probe: 'http', url: request.url, xff: request.headers['x-forwarded-for'], connection: socket.remotePort }) + '\\n');
});
diagnostics.subscribe('tracing:fastify.request.handler:start', ({ request }) => {
  process.stderr.write(JSON.stringify({ probe: 'fastify', url: request.url, ip: request.ip, protocol: request.protocol, id: request.id, port: process.env.PORT }) + '\\n');
});
`;

type Instance = GeneratedServer;
interface Seen {
  probe: string;
  url: string;
  xff?: string;
  connection?: number;
  ip?: string;
  protocol?: string;
  id?: string;
  port?: string;
}

export async function validateNginx(project: string): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'nginx-'));
  const processes: ChildProcess[] = [];
  const certDir = path.join(project, 'ops/nginx/certs');
  try {
    mkdirSync(path.join(scratch, 'tmp'));
    mkdirSync(path.join(scratch, 'certs'));
    // The project's own script makes the certificate, into the project (git-ignored), copied from there.
    const cert = await execa('sh', ['scripts/dev-cert.sh'], { cwd: project, env: toolEnv, reject: false, all: true, stdin: 'ignore' });
    if (cert.exitCode !== 0) throw new Error(`scripts/dev-cert.sh failed:\n${cert.all}`);
    for (const file of ['cert.pem', 'key.pem']) writeFileSync(path.join(scratch, 'certs', file), readFileSync(path.join(certDir, file)));
    const ca = readFileSync(path.join(scratch, 'certs/cert.pem'));

    writeFileSync(path.join(scratch, 'probe.mjs'), PROBE);
    const instances = [await startApi(project, scratch), await startApi(project, scratch)];
    processes.push(...instances.map((i) => i.child));
    const ports: Ports = { http: await freePort(), https: await freePort(), upstreams: instances.map((i) => i.port) };
    let config = readFileSync(path.join(project, 'ops/nginx/nginx.conf'), 'utf8');
    for (const rewrite of REWRITES) {
      if (config.search(rewrite.what) === -1) throw new Error(`ops/nginx/nginx.conf: expected ${rewrite.what} (${rewrite.why})`);
      config = config.replace(rewrite.what, rewrite.to(ports, scratch));
    }
    // Debian's OpenSSL 3 refuses TLS 1.0/1.1 at its default security level even when nginx asks for
    // them, so testssl.sh alone would not see them in the configuration.
    const protocols = [...config.matchAll(/^\s*ssl_protocols ([^;]+);/gm)].map((m) => m[1]);
    if (protocols.length !== 1 || protocols[0] !== 'TLSv1.2 TLSv1.3') {
      throw new Error(`ops/nginx/nginx.conf: ssl_protocols must be exactly TLSv1.2 TLSv1.3 (found ${protocols.join('; ') || 'none'})`);
    }
    const conf = path.join(scratch, 'nginx.conf');
    writeFileSync(conf, config);
    const nginxArgs = ['-p', scratch, '-e', path.join(scratch, 'error.log'), '-c', conf];
    // Standard output and error are files, as in a container: nginx cannot open /dev/stderr on a socket.
    const log = path.join(scratch, 'nginx.log');
    const testLog = path.join(scratch, 'nginx-t.log');
    const testFd = openSync(testLog, 'a');
    const test = spawnSync('nginx', ['-t', ...nginxArgs], { stdio: ['ignore', testFd, testFd], timeout: 30_000 });
    closeSync(testFd);
    const tested = readFileSync(testLog, 'utf8');
    if (test.status !== 0 || /\[(warn|emerg|alert|crit|error)\]/.test(tested)) throw new Error(`nginx -t:\n${tested}`);

    const fd = openSync(log, 'a');
    // Its own process group, stopped as a whole (see killGroup).
    const nginx = spawn('nginx', ['-g', 'daemon off;', ...nginxArgs], { stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    processes.push(nginx);
    const nginxLog = () => readFileSync(log, 'utf8');
    await waitForPort(ports.https);
    const problems = await checkProxy(ports, ca, instances, nginxLog);
    problems.push(...(await testssl(ports.https, scratch)), ...(await checkAllDown(ports, ca, instances)));
    if (problems.length > 0) throw new Error(`ops/nginx/nginx.conf in front of the API:\n  ${problems.join('\n  ')}`);
  } finally {
    for (const child of processes) killGroup(child);
    rmSync(scratch, { recursive: true, force: true });
    for (const file of ['cert.pem', 'key.pem']) rmSync(path.join(certDir, file), { force: true });
  }
}

async function checkProxy(ports: Ports, ca: Buffer, instances: Instance[], nginxLog: () => string): Promise<string[]> {
  const problems: string[] = [];
  const expect = (ok: unknown, message: string): void => {
    if (!ok) problems.push(message);
  };
  // The client connects from 127.0.0.2 (still loopback), so its address differs from NGINX's 127.0.0.1.
  const client = '127.0.0.2';
  const get = (pathname: string, headers: Record<string, string> = {}, body?: Buffer) =>
    request(ports.https, ca, client, pathname, headers, body);

  const responses = [];
  for (let i = 0; i < 6; i++) responses.push(await get('/health/live', { 'x-forwarded-for': '6.6.6.6', 'x-request-id': 'client-chosen' }));
  const first = responses[0] as Response;
  expect(
    responses.every((r) => r.status === 200),
    `GET /health/live over HTTPS: ${responses.map((r) => r.status).join(', ')}`,
  );
  const hsts = first.headers['strict-transport-security'];
  expect(
    hsts === 'max-age=63072000; includeSubDomains',
    `one HSTS header, max-age=63072000; includeSubDomains (got ${JSON.stringify(hsts)})`,
  );
  expect(first.headers.server === 'nginx', `Server without a version (got ${first.headers.server})`);
  expect(first.headers['x-content-type-options'] === 'nosniff', 'X-Content-Type-Options from the API or NGINX');
  expect((await alpn(ports.https, ca)) === 'h2', 'HTTP/2 is offered (ALPN h2)');

  const seen = probes(instances).filter((s) => s.probe === 'fastify' && s.url === '/health/live');
  const perInstance = instances.map((i) => seen.filter((s) => s.port === String(i.port)).length);
  expect(
    perInstance.every((n) => n > 0),
    `requests reach both instances (least_conn): ${perInstance.join(' and ')}`,
  );
  expect(
    seen.length === 6 && seen.every((s) => s.ip === client),
    `the API sees the client's address ${client}, not a spoofed X-Forwarded-For: ${seen.map((s) => s.ip).join(', ')}`,
  );
  expect(
    seen.every((s) => s.protocol === 'https'),
    'the API sees X-Forwarded-Proto https',
  );
  const raw = probes(instances).filter((s) => s.probe === 'http' && s.url === '/health/live');
  expect(
    raw.every((s) => s.xff === client),
    `X-Forwarded-For is set to the client address, not appended to: ${raw.map((s) => s.xff).join(', ')}`,
  );
  const connections = new Set(raw.map((s) => s.connection)).size;
  expect(
    connections < raw.length,
    `NGINX reuses its connections to the API (keep-alive): ${connections} connections for ${raw.length} requests`,
  );
  const ids = seen.map((s) => s.id ?? '');
  expect(
    ids.every((id) => /^[0-9a-f]{32}$/.test(id) && nginxLog().includes(`"requestId":"${id}"`)),
    `NGINX's request id is the API's: ${ids.join(', ')}`,
  );
  expect(first.headers['x-request-id'] === ids[0], 'the response carries the same request id');

  const metrics = await get('/metrics');
  expect(metrics.status === 404, `/metrics is not routed (got ${metrics.status})`);
  expect(!probes(instances).some((s) => s.url.startsWith('/metrics')), '/metrics never reaches the API');

  const large = await get('/v1/items', { 'content-type': 'application/json' }, Buffer.alloc(1_048_576 + 1024, 'a'));
  expect(
    large.status === 413 &&
      large.headers['content-type'] === 'application/problem+json' &&
      problemStatus(large) === 413 &&
      large.headers['strict-transport-security'],
    `a body over client_max_body_size: 413 problem+json with HSTS (got ${large.status} ${large.headers['content-type']})`,
  );

  // Another client address (its own limit): a burst well past 40 at once gets 429s, in the API's error format.
  const burst = await Promise.all(Array.from({ length: 100 }, () => request(ports.https, ca, '127.0.0.3', '/health/live', {})));
  const limited = burst.filter((r) => r.status === 429);
  expect(
    limited.length > 0 &&
      limited.length < burst.length &&
      limited.every((r) => r.headers['content-type'] === 'application/problem+json' && problemStatus(r) === 429),
    `a burst from one address is limited at the edge with problem+json 429s: ${burst.length - limited.length} passed, ${limited.length} limited`,
  );

  // One instance dies: NGINX retries idempotent requests on the other, so clients see no error.
  instances[0]?.child.kill('SIGKILL');
  const afterCrash = [];
  for (let i = 0; i < 6; i++) afterCrash.push((await get('/health/live')).status);
  expect(
    afterCrash.every((status) => status === 200),
    `requests keep succeeding after one instance dies: ${afterCrash.join(', ')}`,
  );

  const redirect = await plain(ports.http, client, '/v1/items?limit=5');
  expect(
    redirect.status === 301 && redirect.headers.location === 'https://localhost/v1/items?limit=5',
    `HTTP redirects to HTTPS, same path: ${redirect.status} ${redirect.headers.location}`,
  );
  return problems;
}

/** Run last: with no instance left, NGINX answers its own 502, in the API's error format. */
async function checkAllDown(ports: Ports, ca: Buffer, instances: Instance[]): Promise<string[]> {
  for (const instance of instances) instance.child.kill('SIGKILL');
  const down = await request(ports.https, ca, '127.0.0.2', '/health/live', {});
  return down.status === 502 && down.headers['content-type'] === 'application/problem+json' && problemStatus(down) === 502
    ? []
    : [`no instance left: 502 problem+json (got ${down.status} ${down.headers['content-type']} ${down.body})`];
}

async function testssl(port: number, scratch: string): Promise<string[]> {
  const out = path.join(scratch, 'testssl.json');
  const result = await execa(
    'testssl',
    ['--quiet', '--color', '0', '--warnings', 'off', '--nodns', 'none', '-p', '-s', '-h', '--jsonfile', out, `127.0.0.1:${port}`],
    { env: { ...process.env, NXCONNECT: '127.0.0.1:1' }, reject: false, all: true, stdin: 'ignore', timeout: 180_000 },
  );
  if (!existsSync(out)) return [`testssl.sh wrote no report (exit ${result.exitCode}):\n${result.all}`];
  const findings = JSON.parse(readFileSync(out, 'utf8')) as { id: string; severity: string; finding: string }[];
  const problems = findings
    .filter((f) => ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'FATAL', 'WARN'].includes(f.severity) && !TESTSSL_EXPECTED.has(f.id))
    .map((f) => `testssl.sh ${f.severity} ${f.id}: ${f.finding}`);
  for (const old of ['SSLv2', 'SSLv3', 'TLS1', 'TLS1_1']) {
    const finding = findings.find((f) => f.id === old);
    if (!finding || !/^not offered/.test(finding.finding)) problems.push(`testssl.sh: ${old} ${finding ? finding.finding : 'not tested'}`);
  }
  for (const current of ['TLS1_2', 'TLS1_3']) {
    if (!/^offered/.test(findings.find((f) => f.id === current)?.finding ?? '')) problems.push(`testssl.sh: ${current} is not offered`);
  }
  return problems;
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(
  port: number,
  ca: Buffer,
  localAddress: string,
  pathname: string,
  headers: Record<string, string>,
  body?: Buffer,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port,
        path: pathname,
        method: body ? 'POST' : 'GET',
        ca,
        localAddress,
        headers: { host: 'localhost', ...headers },
        agent: false,
      },
      (res) => collect(res, resolve),
    );
    req.on('error', (error) => (body && 'code' in error && error.code === 'EPIPE' ? undefined : reject(error)));
    req.end(body);
  });
}

function plain(port: number, localAddress: string, pathname: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname, localAddress, headers: { host: 'localhost' }, agent: false }, (res) =>
        collect(res, resolve),
      )
      .on('error', reject);
  });
}

function problemStatus(response: Response): unknown {
  try {
    return (JSON.parse(response.body) as { status?: unknown }).status;
  } catch {
    return undefined;
  }
}

function collect(res: http.IncomingMessage, resolve: (r: Response) => void): void {
  let body = '';
  res.on('data', (c) => {
    body += c;
  });
  res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
}

function alpn(port: number, ca: Buffer): Promise<string | false | null> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca, ALPNProtocols: ['h2', 'http/1.1'] }, () => {
      resolve(socket.alpnProtocol);
      socket.end();
    });
    socket.on('error', reject);
  });
}

/** An API instance from its sources, as in development, trusting NGINX's address (loopback here). */
async function startApi(project: string, scratch: string): Promise<Instance> {
  const env = { NODE_ENV: 'test', PORT: String(await freePort()), SQLITE_PATH: ':memory:', TRUST_PROXY: '127.0.0.1', LOG_LEVEL: 'info' };
  return startGeneratedServer(project, { env, nodeArgs: ['--import', path.join(scratch, 'probe.mjs')] });
}

function probes(instances: Instance[]): Seen[] {
  return instances.flatMap((i) =>
    i
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{"probe"'))
      .map((l) => JSON.parse(l) as Seen),
  );
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`nginx is not listening on 127.0.0.1:${port}`);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
