import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from 'typebox';
import { Upstream, type UpstreamOptions } from '../../src/lib/upstream/client.ts';
import { UpstreamError } from '../../src/lib/upstream/errors.ts';
import { OutboundGuard } from '../../src/lib/upstream/guard.ts';
import { type FakeUpstream, fakeUpstream, hang, json, reset } from '../helpers/fake-upstream.ts';

const Answer = Type.Object({ ok: Type.Boolean() });
const OK = json(200, { ok: true });

let upstream: FakeUpstream;
const clients: Upstream[] = [];

/** A client of the fake upstream with quick timeouts; loopback is allowlisted unless `guard` says otherwise. */
function client(options: Partial<UpstreamOptions> = {}): Upstream {
  const created = new Upstream({
    name: `test-${clients.length}`,
    baseUrl: `${upstream.url}/data`,
    guard: new OutboundGuard({ allowedOrigins: [upstream.url], allowedNetworks: ['127.0.0.1/32'] }),
    connectTimeoutMs: 500,
    attemptTimeoutMs: 300,
    deadlineMs: 3000,
    maxRetries: 2,
    maxConcurrency: 10,
    backoffBaseMs: 10,
    backoffMaxMs: 50,
    ...options,
  });
  clients.push(created);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UpstreamError, `an UpstreamError, not ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

beforeEach(async () => {
  upstream = await fakeUpstream(OK);
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await upstream.close();
});

describe('retries', () => {
  it('waits as long as Retry-After says, then succeeds', async () => {
    upstream.answer(json(503, {}, { 'retry-after': '1' }), OK);
    const started = performance.now();
    assert.deepEqual(await client().getJson('', Answer), { ok: true });
    assert.ok(performance.now() - started >= 1000, 'waited at least 1 s');
    assert.equal(upstream.hits, 2);
  });

  it('retries a flapping upstream (5xx, dropped connection) until it answers', async () => {
    upstream.answer(json(502, {}), reset, OK);
    assert.deepEqual(await client().getJson('', Answer), { ok: true });
    assert.equal(upstream.hits, 3);
  });

  it('gives up after the configured retries', async () => {
    upstream.answer(json(500, {}));
    const error = await failure(client({ maxRetries: 2 }).getJson('', Answer));
    assert.equal(error.kind, 'unavailable');
    assert.equal(upstream.hits, 3);
  });

  it('never retries a POST without an Idempotency-Key', async () => {
    upstream.answer(json(503, {}), OK);
    const error = await failure(client().request({ method: 'POST', body: '{}' }));
    assert.equal(error.kind, 'unavailable');
    assert.equal(upstream.hits, 1);
  });

  it('retries a POST that carries an Idempotency-Key, with the same key', async () => {
    upstream.answer(json(503, {}), json(201, { ok: true }));
    const response = await client().request({ method: 'POST', body: '{}', headers: { 'idempotency-key': 'k-1' } });
    assert.equal(response.status, 201);
    assert.deepEqual(
      upstream.requests.map((r) => [r.method, r.headers['idempotency-key']]),
      [
        ['POST', 'k-1'],
        ['POST', 'k-1'],
      ],
    );
  });

  it('does not retry when Retry-After is beyond the deadline', async () => {
    upstream.answer(json(503, {}, { 'retry-after': '30' }), OK);
    const started = performance.now();
    const error = await failure(client({ deadlineMs: 2000 }).getJson('', Answer));
    assert.ok(performance.now() - started < 500);
    assert.equal(error.retryAfterMs, 30_000);
    assert.equal(upstream.hits, 1);
  });

  it('does not retry client errors (4xx other than 429)', async () => {
    upstream.answer(json(404, {}), OK);
    const error = await failure(client().getJson('', Answer));
    assert.equal(error.kind, 'invalid-response');
    assert.equal(upstream.hits, 1);
  });
});

describe('timeouts', () => {
  it('a hanging upstream times out within the deadline, retries included', async () => {
    upstream.answer(hang);
    const started = performance.now();
    const error = await failure(client({ attemptTimeoutMs: 150, deadlineMs: 400, maxRetries: 5 }).getJson('', Answer));
    const elapsed = performance.now() - started;
    assert.equal(error.kind, 'timeout');
    assert.ok(elapsed >= 150 && elapsed < 700, `gave up after ${Math.round(elapsed)} ms`);
    assert.ok(upstream.hits >= 1 && upstream.hits <= 3);
  });

  it('a body that trickles in past the attempt timeout times out too', async () => {
    upstream.answer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"ok":');
    });
    const error = await failure(client({ attemptTimeoutMs: 150, maxRetries: 0 }).getJson('', Answer));
    assert.equal(error.kind, 'timeout');
  });
});

describe('the circuit breaker', () => {
  const transitions: unknown[] = [];
  const record = (message: unknown) => transitions.push(message);
  beforeEach(() => {
    transitions.length = 0;
    subscribe('hardened-api:circuit.state', record);
  });
  afterEach(() => unsubscribe('hardened-api:circuit.state', record));

  it('opens after consecutive failures, then fails fast without contacting the upstream', async () => {
    upstream.answer(json(503, {}));
    const breaking = client({ maxRetries: 0, breaker: { consecutiveFailures: 3, resetMs: 60_000 } });
    for (let i = 0; i < 3; i += 1) assert.equal((await failure(breaking.getJson('', Answer))).kind, 'unavailable');
    assert.equal(upstream.hits, 3);
    assert.deepEqual(transitions, [{ upstream: breaking.name, state: 'open' }]);

    const started = performance.now();
    const error = await failure(breaking.getJson('', Answer));
    assert.ok(performance.now() - started < 10, 'failed fast');
    assert.equal(error.kind, 'circuit-open');
    assert.ok(error.retryAfterMs !== undefined && error.retryAfterMs > 59_000);
    assert.equal(upstream.hits, 3, 'the upstream was not contacted');
  });

  it('lets one probe through once the reset time has passed: a success closes it', async () => {
    upstream.answer(json(500, {}));
    const breaking = client({ maxRetries: 0, breaker: { consecutiveFailures: 2, resetMs: 200 } });
    await failure(breaking.getJson('', Answer));
    await failure(breaking.getJson('', Answer));
    assert.equal(breaking.breaker.state, 'open');
    await sleep(250);
    upstream.answer(OK);
    assert.deepEqual(await breaking.getJson('', Answer), { ok: true });
    assert.equal(breaking.breaker.state, 'closed');
    assert.deepEqual(
      transitions.map((t) => (t as { state: string }).state),
      ['open', 'half-open', 'closed'],
    );
    assert.equal(upstream.hits, 3);
  });

  it('a failed probe opens it again; concurrent calls fail fast while the probe is out', async () => {
    upstream.answer(json(500, {}));
    const breaking = client({ maxRetries: 0, breaker: { consecutiveFailures: 1, resetMs: 150 } });
    await failure(breaking.getJson('', Answer));
    await sleep(200);
    upstream.answer((_request, response) => {
      setTimeout(() => json(500, {})(_request, response), 50);
    });
    const [probe, concurrent] = await Promise.all([
      failure(breaking.getJson('', Answer)),
      failure(breaking.getJson('', Answer)),
    ]);
    assert.equal(probe.kind, 'unavailable');
    assert.equal(concurrent.kind, 'circuit-open');
    assert.equal(breaking.breaker.state, 'open');
    assert.equal(upstream.hits, 2);
  });

  it('counts retries as calls: one failing call with retries can open it', async () => {
    upstream.answer(json(503, {}));
    const breaking = client({ maxRetries: 5, breaker: { consecutiveFailures: 2, resetMs: 60_000 } });
    const error = await failure(breaking.getJson('', Answer));
    assert.equal(error.kind, 'circuit-open');
    assert.equal(upstream.hits, 2);
  });
});

describe('the bulkhead', () => {
  it('refuses calls beyond the concurrency limit at once', async () => {
    upstream.answer(hang);
    const limited = client({ maxConcurrency: 1, attemptTimeoutMs: 300, maxRetries: 0 });
    const first = failure(limited.getJson('', Answer));
    await sleep(20);
    const started = performance.now();
    const second = await failure(limited.getJson('', Answer));
    assert.equal(second.kind, 'saturated');
    assert.ok(performance.now() - started < 10);
    assert.equal((await first).kind, 'timeout');
    assert.equal(upstream.hits, 1);
  });
});

describe('untrusted payloads', () => {
  it('refuses a body that is not JSON', async () => {
    upstream.answer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok": tru');
    });
    assert.equal((await failure(client().getJson('', Answer))).kind, 'invalid-response');
  });

  it('refuses JSON of the wrong shape', async () => {
    upstream.answer(json(200, { ok: 'yes', extra: [] }));
    const error = await failure(client().getJson('', Answer));
    assert.equal(error.kind, 'invalid-response');
    assert.match(error.message, /\/ok/);
  });

  it('refuses a body larger than the cap without buffering it all', async () => {
    upstream.answer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(`{"ok":true,"pad":"${'x'.repeat(100_000)}"}`);
    });
    const error = await failure(client({ maxResponseBytes: 10_000 }).getJson('', Answer));
    assert.equal(error.kind, 'invalid-response');
  });

  it('does not follow redirects', async () => {
    upstream.answer(json(302, {}, { location: 'http://169.254.169.254/latest/meta-data/' }));
    const response = await client().request();
    assert.equal(response.status, 302);
    assert.equal((await failure(client().getJson('', Answer))).kind, 'invalid-response');
    assert.equal(upstream.hits, 2);
  });
});

describe('the SSRF guard', () => {
  it('refuses the cloud metadata address even when its origin is allowlisted', async () => {
    const metadata = client({
      baseUrl: 'http://169.254.169.254/latest/meta-data/',
      guard: new OutboundGuard({ allowedOrigins: ['http://169.254.169.254'], allowedNetworks: [] }),
    });
    const started = performance.now();
    const error = await failure(metadata.request());
    assert.equal(error.kind, 'refused');
    assert.ok(performance.now() - started < 50, 'refused before any connection attempt');
  });

  it('refuses loopback unless its network is allowlisted', async () => {
    const guard = new OutboundGuard({ allowedOrigins: [upstream.url], allowedNetworks: [] });
    assert.equal((await failure(client({ guard }).request())).kind, 'refused');
    assert.equal(upstream.hits, 0);
    assert.equal((await client().request()).status, 200);
    assert.equal(upstream.hits, 1);
  });

  it('checks the addresses a name resolves to (localhost is loopback)', async () => {
    const byName = upstream.url.replace('127.0.0.1', 'localhost');
    const guard = new OutboundGuard({ allowedOrigins: [byName], allowedNetworks: [] });
    const error = await failure(client({ baseUrl: byName, guard, maxRetries: 0 }).request());
    assert.equal(error.kind, 'refused');
    assert.match(error.message, /internal address/);
    assert.equal(upstream.hits, 0);
  });

  it('refuses origins that are not allowlisted, other schemes, and credentials in URLs', async () => {
    const guard = new OutboundGuard({ allowedOrigins: ['https://api.example.com'], allowedNetworks: [] });
    for (const url of [
      'https://evil.example/',
      'http://api.example.com/',
      'https://api.example.com:8443/',
      'file:///etc/passwd',
      'https://user:pw@api.example.com/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
    ]) {
      assert.throws(() => guard.checkUrl(new URL(url)), UpstreamError, url);
    }
    guard.checkUrl(new URL('https://api.example.com/rates?x=1'));
  });

  it('keeps every path on the base origin, even one leading to another allowlisted origin', async () => {
    const guard = new OutboundGuard({
      allowedOrigins: [upstream.url, 'http://evil.example'],
      allowedNetworks: ['127.0.0.1/32'],
    });
    for (const path of ['//evil.example/steal', 'http://evil.example/steal']) {
      const error = await failure(client({ guard }).request({ path }));
      assert.equal(error.kind, 'refused', path);
    }
    assert.equal(upstream.hits, 0);
  });

  it('classifies internal addresses', () => {
    const guard = new OutboundGuard({ allowedOrigins: [], allowedNetworks: ['10.1.0.0/16'] });
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
    ]) {
      assert.equal(guard.addressAllowed(address), false, address);
    }
    for (const address of ['10.1.2.3', '93.184.215.14', '2606:4700::1111']) {
      assert.equal(guard.addressAllowed(address), true, address);
    }
  });
});
