import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'typebox';
import { ConfigError, loadConfig, loggableConfig, parseEnvironment } from '../../src/config.ts';

const rejects = (run: () => unknown, message: RegExp, value?: string) =>
  assert.throws(run, (error: Error) => {
    assert.ok(error instanceof ConfigError, error.message);
    assert.match(error.message, message);
    assert.equal(error.message.split('\n').length, 1);
    if (value) assert.equal(error.message.includes(value), false, `the message repeats ${value}`);
    return true;
  });

describe('configuration', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadConfig({ PORT: '8080', BODY_LIMIT: '' });
    assert.equal(config.PORT, 8080);
    assert.equal(config.BODY_LIMIT, 1_048_576);
    assert.equal(config.KEEP_ALIVE_TIMEOUT_MS, 72_000);
    assert.equal(config.NODE_ENV, 'development');
  });

  it('names the bad variable and the rule, without echoing the value', () => {
    rejects(() => loadConfig({ PORT: 'eighty' }), /^Invalid environment variable PORT: /, 'eighty');
    rejects(() => loadConfig({ PORT: '70000' }), /^Invalid environment variable PORT: must be <= 65535$/);
    rejects(
      () => loadConfig({ NODE_ENV: 'staging' }),
      /^Invalid environment variable NODE_ENV: must be one of: development, test, production$/,
      'staging',
    );
    rejects(() => loadConfig({ BODY_LIMIT: '1' }), /BODY_LIMIT/);
  });

  it('trusts proxies only by address: no `true`, no hop counts', () => {
    for (const value of ['10.0.0.0/8', '10.0.0.1, 192.168.0.0/16', '::1', 'fd00::/8,loopback']) {
      assert.equal(loadConfig({ TRUST_PROXY: value }).TRUST_PROXY, value);
    }
    for (const value of ['true', '1', '2', '*', 'proxy.internal']) {
      rejects(
        () => loadConfig({ TRUST_PROXY: value }),
        /^Invalid environment variable TRUST_PROXY: must be a comma-separated list of IP addresses or CIDRs/,
      );
    }
  });

  it('allows CORS only for listed origins, never *', () => {
    const origins = 'https://app.example, http://localhost:5173';
    assert.equal(loadConfig({ CORS_ORIGINS: origins }).CORS_ORIGINS, origins);
    for (const value of ['*', 'https://*.example', 'app.example', 'https://app.example/path', 'null']) {
      rejects(() => loadConfig({ CORS_ORIGINS: value }), /^Invalid environment variable CORS_ORIGINS: must be /);
    }
  });

  it('converts only exact spellings: no truncated or hexadecimal numbers', () => {
    for (const value of ['3.5', '0x10', '1e3', ' 42', '12abc']) {
      rejects(() => loadConfig({ PORT: value }), /^Invalid environment variable PORT/);
    }
  });

  it('can be logged: secret values are only reported as set or unset', () => {
    const url = 'postgres://api:TOPSECRET@db.internal:5432/api';
    const logged = loggableConfig(loadConfig({ DATABASE_URL: url, PORT: '8080' }));
    assert.equal(logged.DATABASE_URL, '[set]');
    assert.equal(logged.PORT, 8080);
    assert.equal(JSON.stringify(logged).includes('TOPSECRET'), false);
    assert.equal(loggableConfig(loadConfig({})).DATABASE_URL, '[unset]');
  });

  it('ignores variables it does not know', () => {
    assert.equal('UNRELATED' in loadConfig({ UNRELATED: 'x' }), false);
  });

  describe('rules features reuse', () => {
    const Schema = Type.Object({
      NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production')], { default: 'development' }),
      SIGNING_KEY: Type.String({ default: 'development-only-key', secret: true, productionMinLength: 32 }),
      UPSTREAM_URL: Type.String({ minLength: 1 }),
      ENABLED: Type.Boolean({ default: false }),
    });
    const upstream = { UPSTREAM_URL: 'http://127.0.0.1:1' };

    it('a variable without a default is required', () => {
      rejects(() => parseEnvironment(Schema, {}), /^Missing environment variable UPSTREAM_URL: it is required$/);
    });

    it('booleans are true or false', () => {
      assert.equal(parseEnvironment(Schema, { ...upstream, ENABLED: 'true' }).ENABLED, true);
      rejects(() => parseEnvironment(Schema, { ...upstream, ENABLED: 'yes' }), /ENABLED/);
    });

    it('production needs the secret set explicitly, long enough; the default never counts', () => {
      assert.equal(parseEnvironment(Schema, upstream).SIGNING_KEY, 'development-only-key');
      const production = { ...upstream, NODE_ENV: 'production' };
      rejects(
        () => parseEnvironment(Schema, production),
        /^Invalid environment variable SIGNING_KEY: required in production, at least 32 characters$/,
      );
      rejects(
        () => parseEnvironment(Schema, { ...production, SIGNING_KEY: 'short-secret-value' }),
        /SIGNING_KEY/,
        'short',
      );
      const key = 'k'.repeat(32);
      assert.equal(parseEnvironment(Schema, { ...production, SIGNING_KEY: key }).SIGNING_KEY, key);
    });
  });
});
