import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { signAccessToken } from '../../src/auth/jwt.ts';
import { type Account, FAST_HASHING, signUp } from '../helpers/accounts.ts';
import { buildTestApp } from '../helpers/app.ts';
import { injectAnonymously } from '../helpers/auth.ts';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function forge(header: object, claims: object, key: KeyObject | null): string {
  const input = `${b64(header)}.${b64(claims)}`;
  return key ? `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}` : `${input}.`;
}

/** RFC 8725 attacks on the access token: every one of them is a 401 with a Bearer challenge. */
describe('access tokens: forged, tampered and misused tokens are refused', () => {
  let app: FastifyInstance;
  let user: Account;
  let claims: Record<string, unknown>;
  let header: { alg: string; typ: string; kid: string };
  const reasons: string[] = [];
  const onFailure = (message: unknown) => reasons.push((message as { reason: string }).reason);

  before(async () => {
    app = await buildTestApp(FAST_HASHING);
    user = await signUp(app);
    const [h, p] = user.accessToken.split('.') as [string, string];
    header = JSON.parse(Buffer.from(h, 'base64url').toString());
    claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    subscribe('hardened-api:auth.failure', onFailure);
  });
  after(async () => {
    unsubscribe('hardened-api:auth.failure', onFailure);
    await app.close();
  });

  const call = (token: string) =>
    injectAnonymously(app, { url: '/v1/items', headers: { authorization: `Bearer ${token}` } });

  async function assertRefused(token: string, label: string) {
    const response = await call(token);
    assert.equal(response.statusCode, 401, label);
    assert.match(String(response.headers['www-authenticate']), /^Bearer realm="api", error="invalid_token"$/, label);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/, label);
    assert.equal(response.json().detail, 'Valid credentials are required.', `${label}: the reason is not disclosed`);
  }

  it('the genuine token works (the control for every case below)', async () => {
    assert.equal((await call(user.accessToken)).statusCode, 200);
  });

  it('no credentials, another scheme, garbage: 401', async () => {
    const anonymous = await injectAnonymously(app, '/v1/items');
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.headers['www-authenticate'], 'Bearer realm="api"');
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer a.b',
      'Bearer ....',
      `Token ${user.accessToken}`,
    ]) {
      const response = await injectAnonymously(app, { url: '/v1/items', headers: { authorization } });
      assert.equal(response.statusCode, 401, authorization);
    }
  });

  it('alg "none" (unsigned), in every spelling', async () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE'])
      await assertRefused(forge({ ...header, alg }, claims, null), alg);
  });

  it('HS256 signed with the public key as the HMAC secret (algorithm confusion)', async () => {
    const jwk = app.tokens.keys.jwks.keys[0];
    const input = `${b64({ ...header, alg: 'HS256' })}.${b64(claims)}`;
    for (const secret of [JSON.stringify(jwk), String(jwk?.x), Buffer.from(String(jwk?.x), 'base64url')]) {
      const mac = createHmac('sha256', secret).update(input).digest('base64url');
      await assertRefused(`${input}.${mac}`, 'HS256');
    }
  });

  it('a tampered payload (another subject) or signature', async () => {
    const [h, p, s] = user.accessToken.split('.') as [string, string, string];
    await assertRefused(`${h}.${b64({ ...claims, sub: '00000000-0000-7000-8000-000000000000' })}.${s}`, 'payload');
    const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
    await assertRefused(`${h}.${p}.${flipped}`, 'signature');
  });

  it('signed by another key, with our kid or an unknown one', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    await assertRefused(forge(header, claims, privateKey), 'our kid, another key');
    await assertRefused(
      forge({ ...header, kid: 'unknown' }, claims, app.tokens.keys.current.privateKey),
      'unknown kid',
    );
    await assertRefused(
      forge({ alg: header.alg, typ: header.typ }, claims, app.tokens.keys.current.privateKey),
      'no kid',
    );
  });

  it('a key offered by the token itself (jwk / jku headers) is never used', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const jwk = publicKey.export({ format: 'jwk' });
    await assertRefused(forge({ ...header, kid: 'attacker', jwk }, claims, privateKey), 'jwk');
    await assertRefused(
      forge({ ...header, kid: 'attacker', jku: 'http://127.0.0.1:1/jwks' }, claims, privateKey),
      'jku',
    );
  });

  it('another token type (typ JWT, or none)', async () => {
    const key = app.tokens.keys.current.privateKey;
    await assertRefused(forge({ ...header, typ: 'JWT' }, claims, key), 'typ JWT');
    await assertRefused(forge({ alg: header.alg, kid: header.kid }, claims, key), 'no typ');
  });

  it('expired, not yet valid, wrong issuer, wrong audience', async () => {
    const subject = { sub: String(claims.sub), sid: String(claims.sid) };
    const hour = 3_600_000;
    await assertRefused(signAccessToken(app.tokens, subject, Date.now() - 2 * hour).token, 'expired');
    await assertRefused(signAccessToken(app.tokens, subject, Date.now() + hour).token, 'nbf in the future');
    await assertRefused(signAccessToken({ ...app.tokens, issuer: 'https://evil.example' }, subject).token, 'iss');
    await assertRefused(signAccessToken({ ...app.tokens, audience: 'another-api' }, subject).token, 'aud');
    const key = app.tokens.keys.current.privateKey;
    const { exp: _exp, ...noExpiry } = claims;
    await assertRefused(forge(header, noExpiry, key), 'no exp');
  });

  it('a token accepted before is refused once it expires (verified tokens are remembered only until then)', async (t) => {
    assert.equal((await call(user.accessToken)).statusCode, 200, 'accepted, and so remembered');
    t.mock.timers.enable({ apis: ['Date'], now: (Number(claims.exp) + 31) * 1000 });
    await assertRefused(user.accessToken, 'the same token after its expiry and the clock-skew allowance');
    t.mock.timers.reset();
    assert.equal((await call(user.accessToken)).statusCode, 200, 'the clock back: valid again');
  });

  it('a refresh token used as an access token', async () => {
    await assertRefused(user.refreshToken, 'refresh token');
  });

  it('a token of another instance (another signing key)', async () => {
    const other = await buildTestApp(FAST_HASHING);
    const stranger = await signUp(other);
    await other.close();
    await assertRefused(stranger.accessToken, 'foreign token');
  });

  it('publishes each refusal on hardened-api:auth.failure with its reason', () => {
    for (const reason of ['missing', 'algorithm', 'signature', 'unknown-key', 'expired', 'not-yet-valid', 'claims']) {
      assert.ok(reasons.includes(reason), `${reason} in ${reasons.join(',')}`);
    }
  });

  it('publishes the public key set, without private parts', async () => {
    const response = await injectAnonymously(app, '/.well-known/jwks.json');
    assert.equal(response.statusCode, 200);
    const { keys } = response.json();
    assert.equal(keys.length, 1);
    assert.deepEqual(Object.keys(keys[0]).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x']);
    assert.equal(keys[0].kid, header.kid);
    assert.equal(keys[0].alg, 'EdDSA');
  });
});
