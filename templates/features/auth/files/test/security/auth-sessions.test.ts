import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { FAST_HASHING, PASSWORD, signIn, signUp } from '../helpers/accounts.ts';
import { buildTestApp } from '../helpers/app.ts';
import { injectAnonymously } from '../helpers/auth.ts';
import { LogCapture } from '../helpers/logs.ts';

describe('sessions: refresh rotation, reuse detection, logout and password change revoke', () => {
  let app: FastifyInstance;
  const logs = new LogCapture();
  before(async () => {
    app = await buildTestApp({ ...FAST_HASHING, LOG_LEVEL: 'info' }, { logStream: logs });
  });
  after(() => app.close());

  const refresh = (refreshToken: string) =>
    injectAnonymously(app, { method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken } });
  const items = (authorization: string) => injectAnonymously(app, { url: '/v1/items', headers: { authorization } });

  it('a refresh token works once: it is rotated, and the old one then fails', async () => {
    const user = await signUp(app);
    const first = await refresh(user.refreshToken);
    assert.equal(first.statusCode, 200);
    const next = first.json();
    assert.notEqual(next.refreshToken, user.refreshToken);
    assert.equal((await items(`Bearer ${next.accessToken}`)).statusCode, 200);
    assert.equal((await refresh(next.refreshToken)).statusCode, 200);
  });

  it('presenting a rotated refresh token again revokes the whole family, new tokens included', async () => {
    const user = await signUp(app);
    const rotated = (await refresh(user.refreshToken)).json();
    const reuse = await refresh(user.refreshToken);
    assert.equal(reuse.statusCode, 401);
    assert.equal((await refresh(rotated.refreshToken)).statusCode, 401, 'the newer refresh token died too');
    assert.equal((await items(`Bearer ${rotated.accessToken}`)).statusCode, 401, 'and the access tokens of the family');
    assert.equal((await items(user.headers.authorization)).statusCode, 401);
    const event = logs.lines.find((l) => l.event === 'auth.token.reuse');
    assert.ok(event, 'the reuse is logged as a security event');
    assert.equal(logs.text.includes(user.refreshToken), false, 'without the token');
    // Another session of the same user is not affected.
    const other = await signIn(app, user.email);
    assert.equal((await items(other.headers.authorization)).statusCode, 200);
  });

  it('two concurrent refreshes with one token: at most one succeeds, and the family is revoked', async () => {
    const user = await signUp(app);
    const results = await Promise.all([refresh(user.refreshToken), refresh(user.refreshToken)]);
    const codes = results.map((r) => r.statusCode).sort();
    assert.deepEqual(codes, [200, 401]);
    const winner = results.find((r) => r.statusCode === 200)?.json();
    assert.equal((await refresh(winner.refreshToken)).statusCode, 401, 'the race counts as reuse');
  });

  it('unknown, malformed and expired refresh tokens are refused', async () => {
    for (const token of [`rt_${'A'.repeat(43)}`, 'not-a-token', 'x'])
      assert.equal((await refresh(token)).statusCode, 401, token);
    const user = await signUp(app);
    await app.db.execute("UPDATE refresh_tokens SET expires_at = '2000-01-01T00:00:00.000Z'");
    assert.equal((await refresh(user.refreshToken)).statusCode, 401);
  });

  it('logout revokes the access token at once and the refresh token family', async () => {
    const user = await signUp(app);
    assert.equal((await items(user.headers.authorization)).statusCode, 200, 'in use, so its signature check is cached');
    const out = await injectAnonymously(app, { method: 'POST', url: '/v1/auth/logout', headers: user.headers });
    assert.equal(out.statusCode, 204);
    assert.equal((await items(user.headers.authorization)).statusCode, 401, 'the access token is dead before its exp');
    assert.equal((await refresh(user.refreshToken)).statusCode, 401);
    const [row] = await app.db.query<{ count: number | string }>('SELECT COUNT(*) AS count FROM revoked_access_tokens');
    assert.ok(Number(row?.count) >= 1, 'the jti is on the deny list');
  });

  it('a password change needs the current password and ends every other session', async () => {
    const user = await signUp(app);
    const otherDevice = await signIn(app, user.email);
    const change = (currentPassword: string, newPassword: string) =>
      injectAnonymously(app, {
        method: 'POST',
        url: '/v1/auth/password',
        headers: user.headers,
        payload: { currentPassword, newPassword },
      });
    assert.equal((await change('wrong password!!', 'a brand new passphrase')).statusCode, 401);
    assert.equal((await change(PASSWORD, 'short')).statusCode, 400, 'the policy applies');
    assert.equal((await change(PASSWORD, 'a brand new passphrase')).statusCode, 204);
    assert.equal((await items(otherDevice.headers.authorization)).statusCode, 401, 'the other session ended');
    assert.equal((await items(user.headers.authorization)).statusCode, 200, 'this one goes on');
    await assert.rejects(signIn(app, user.email), /login: 401/);
    await signIn(app, user.email, 'a brand new passphrase');
  });
});
