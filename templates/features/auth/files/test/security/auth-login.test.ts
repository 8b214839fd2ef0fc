import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, it } from 'node:test';
import { hashPassword, passwordParams, verifyPassword } from '../../src/auth/passwords.ts';
import { FAST_HASHING, PASSWORD, signUp } from '../helpers/accounts.ts';
import { buildTestApp } from '../helpers/app.ts';
import { injectAnonymously } from '../helpers/auth.ts';
import { LogCapture } from '../helpers/logs.ts';

const login = (app: Awaited<ReturnType<typeof buildTestApp>>, email: string, password: string, ip = '198.51.100.7') =>
  injectAnonymously(app, { method: 'POST', url: '/v1/auth/login', payload: { email, password }, remoteAddress: ip });

describe('sign-up and sign-in', () => {
  it('an unknown email and a wrong password get byte-identical answers after the same work', async () => {
    const app = await buildTestApp({ ...FAST_HASHING, AUTH_LOGIN_MAX_FAILURES: '100' });
    const user = await signUp(app);
    const wrong = await login(app, user.email, 'not the password');
    const unknown = await login(app, `nobody-${Date.now()}@example.test`, 'not the password');
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, wrong.statusCode);
    assert.equal(unknown.body, wrong.body, 'same body, byte for byte');
    assert.equal(unknown.headers['www-authenticate'], wrong.headers['www-authenticate']);

    // Interleaved, so that load from elsewhere on the machine weighs on both sides alike.
    const time = async (attempt: Promise<unknown>) => {
      const started = process.hrtime.bigint();
      await attempt;
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const wrongTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < 9; i++) {
      wrongTimes.push(await time(login(app, user.email, 'not the password')));
      unknownTimes.push(await time(login(app, `nobody-${i}@example.test`, 'not the password')));
    }
    const median = (times: number[]) => times.sort((a, b) => a - b)[4] as number;
    const [wrongMs, unknownMs] = [median(wrongTimes), median(unknownTimes)];
    // Without the decoy hash an unknown email would answer many times faster (no scrypt at all).
    const ratio = Math.min(wrongMs, unknownMs) / Math.max(wrongMs, unknownMs);
    assert.ok(ratio > 0.4, `wrong password ${wrongMs.toFixed(1)} ms vs unknown email ${unknownMs.toFixed(1)} ms`);
    await app.close();
  });

  it('brute force: past the limit per account, 429 with Retry-After even for the right password', async () => {
    const app = await buildTestApp({ ...FAST_HASHING, AUTH_LOGIN_MAX_FAILURES: '5' });
    const user = await signUp(app);
    for (let i = 0; i < 5; i++) assert.equal((await login(app, user.email, `guess-${i}`)).statusCode, 401);
    const blocked = await login(app, user.email, 'guess-6');
    assert.equal(blocked.statusCode, 429);
    assert.match(String(blocked.headers['retry-after']), /^\d+$/);
    assert.ok(Number(blocked.headers['retry-after']) > 0);
    assert.equal((await login(app, user.email, PASSWORD)).statusCode, 429, 'no oracle while blocked');
    assert.equal(
      (await login(app, user.email.toUpperCase(), PASSWORD)).statusCode,
      429,
      'the same account in another case',
    );
    await app.close();
  });

  it('brute force: past the limit per client address, across accounts', async () => {
    const app = await buildTestApp({ ...FAST_HASHING, AUTH_LOGIN_MAX_FAILURES_PER_IP: '3' });
    const user = await signUp(app);
    for (let i = 0; i < 3; i++) await login(app, `sprayed-${i}@example.test`, 'Winter2026!', '203.0.113.50');
    assert.equal((await login(app, user.email, PASSWORD, '203.0.113.50')).statusCode, 429);
    assert.equal((await login(app, user.email, PASSWORD, '203.0.113.51')).statusCode, 200, 'other addresses go on');
    await app.close();
  });

  it('failed sign-ins are logged as auth.failure and published, without the password', async () => {
    const logs = new LogCapture();
    const app = await buildTestApp({ ...FAST_HASHING, LOG_LEVEL: 'info' }, { logStream: logs });
    const reasons: string[] = [];
    const listener = (message: unknown) => reasons.push((message as { reason: string }).reason);
    subscribe('hardened-api:auth.failure', listener);
    const user = await signUp(app);
    await login(app, user.email, 'hunter2-not-the-password');
    unsubscribe('hardened-api:auth.failure', listener);
    assert.ok(logs.lines.some((l) => l.event === 'auth.failure' && l.reason === 'wrong-credentials'));
    assert.ok(logs.lines.some((l) => l.event === 'auth.login.success'));
    assert.deepEqual(reasons, ['wrong-credentials']);
    assert.equal(logs.text.includes('hunter2-not-the-password'), false);
    assert.equal(logs.text.includes(PASSWORD), false);
    await app.close();
  });

  it('sign-up: policy, one account per address, no extra fields (no role or id from the body)', async () => {
    const app = await buildTestApp(FAST_HASHING);
    const register = (payload: Record<string, unknown>) =>
      injectAnonymously(app, { method: 'POST', url: '/v1/auth/register', payload });
    assert.equal((await register({ email: 'a@example.test', password: 'short' })).statusCode, 400);
    assert.equal((await register({ email: 'not-an-email', password: PASSWORD })).statusCode, 400);
    assert.equal((await register({ email: 'a@example.test', password: PASSWORD, role: 'admin' })).statusCode, 400);
    assert.equal((await register({ email: 'a@example.test', password: PASSWORD, id: 'mine' })).statusCode, 400);
    const created = await register({ email: 'A@Example.test', password: PASSWORD });
    assert.equal(created.statusCode, 201);
    assert.deepEqual(Object.keys(created.json()).sort(), ['createdAt', 'email', 'id']);
    assert.equal(created.json().email, 'a@example.test');
    assert.equal((await register({ email: 'a@example.test', password: PASSWORD })).statusCode, 409);
    await app.close();
  });

  it('passwords are stored as scrypt hashes with their parameters, never in the clear', async () => {
    const app = await buildTestApp(FAST_HASHING);
    const user = await signUp(app);
    const [row] = await app.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [
      user.email,
    ]);
    assert.match(String(row?.password_hash), /^\$scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(String(row?.password_hash).includes(PASSWORD), false);
    await app.close();
    // The default is OWASP's: N=2^17, r=8, p=1.
    const defaults = await buildTestApp();
    assert.equal(defaults.config.AUTH_PASSWORD_COST, 17);
    await defaults.close();
    const strong = await hashPassword(PASSWORD, passwordParams(17));
    assert.match(strong, /^\$scrypt\$ln=17,r=8,p=1\$/);
    assert.equal(await verifyPassword(PASSWORD, strong), true);
    assert.equal(await verifyPassword(`${PASSWORD}!`, strong), false);
  });

  it('a hash made with weaker parameters is replaced at the next sign-in', async () => {
    const app = await buildTestApp({ AUTH_PASSWORD_COST: '15' });
    const user = await signUp(app);
    await app.db.execute('UPDATE users SET password_hash = $1 WHERE email = $2', [
      await hashPassword(PASSWORD, passwordParams(14)),
      user.email,
    ]);
    assert.equal((await login(app, user.email, PASSWORD)).statusCode, 200);
    const [row] = await app.db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [
      user.email,
    ]);
    assert.match(String(row?.password_hash), /^\$scrypt\$ln=15,r=8,p=1\$/);
    await app.close();
  });
});
