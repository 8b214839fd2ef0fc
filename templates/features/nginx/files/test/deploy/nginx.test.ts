import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';

// ops/nginx/nginx.conf repeats some of the API's settings; change one side, and this says what else to change.
const conf = readFileSync(new URL('../../ops/nginx/nginx.conf', import.meta.url), 'utf8');
const config = loadConfig({ NODE_ENV: 'test' });
const upstream = /^\s*upstream api \{([^}]*)\}/m.exec(conf)?.[1] ?? '';

/** The values of a simple directive (`name value;`), in order. */
function values(name: string, within = conf): string[] {
  return [...within.matchAll(new RegExp(`^\\s*${name}\\s+([^;]+);`, 'gm'))].map((m) => m[1] as string);
}

function only(name: string, within = conf): string {
  const found = values(name, within);
  assert.equal(found.length, 1, `one ${name} directive`);
  return found[0] as string;
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, ms: 0.001, s: 1, d: 86_400 };

/** An nginx size (1m) in bytes, or time (25s) in seconds. */
function amount(value: string): number {
  const match = /^(\d+)(ms|[kmgsd]?)$/i.exec(value);
  assert.ok(match, `an nginx size or time: ${value}`);
  return Number(match[1]) * (UNITS[(match[2] as string).toLowerCase()] as number);
}

describe('the NGINX configuration agrees with the API', () => {
  it('accepts exactly the bodies the API accepts (client_max_body_size = BODY_LIMIT)', () => {
    assert.equal(amount(only('client_max_body_size')), config.BODY_LIMIT);
  });

  it('gives up on a slow client no later than the API does', () => {
    assert.ok(amount(only('client_header_timeout')) * 1000 <= config.HEADERS_TIMEOUT_MS);
    assert.ok(amount(only('client_body_timeout')) * 1000 <= config.REQUEST_TIMEOUT_MS);
  });

  it('waits for the API less than the API allows a request, so that the API answers first', () => {
    assert.ok(amount(only('proxy_read_timeout')) * 1000 < config.REQUEST_TIMEOUT_MS);
    assert.ok(amount(only('proxy_send_timeout')) * 1000 < config.REQUEST_TIMEOUT_MS);
  });

  it('closes idle upstream connections before the API does (keep-alive without resets)', () => {
    assert.ok(Number(only('keepalive', upstream)) > 0, 'keep-alive to the upstream');
    assert.ok(amount(only('keepalive_timeout', upstream)) * 1000 < config.KEEP_ALIVE_TIMEOUT_MS);
    assert.deepEqual(values('proxy_set_header Connection'), ['""'], 'no Connection header to the upstream');
  });

  it('hands the client address over, never a client-supplied chain', () => {
    assert.deepEqual(values('proxy_set_header X-Forwarded-For'), ['$remote_addr']);
    assert.deepEqual(values('proxy_set_header X-Forwarded-Proto'), ['$scheme']);
  });

  it('speaks TLS 1.2 and 1.3 only', () => {
    assert.equal(only('ssl_protocols'), 'TLSv1.2 TLSv1.3');
    for (const suite of only('ssl_ciphers').split(':'))
      assert.match(suite, /^ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
  });
});
