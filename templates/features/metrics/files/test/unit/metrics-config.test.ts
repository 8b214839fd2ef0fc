import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from 'typebox';
import { ConfigSchema, parseEnvironment } from '../../src/config.ts';
import { bearerTokenCheck } from '../../src/lib/metrics/token.ts';

describe('metrics configuration', () => {
  // Only the variables under test: other features' production secrets are theirs to check.
  const schema = Type.Object({
    NODE_ENV: ConfigSchema.properties.NODE_ENV,
    METRICS_TOKEN: ConfigSchema.properties.METRICS_TOKEN,
  });

  it('requires METRICS_TOKEN of at least 32 characters in production', () => {
    assert.throws(() => parseEnvironment(schema, { NODE_ENV: 'production' }), /METRICS_TOKEN: required in production/);
    assert.throws(() => parseEnvironment(schema, { NODE_ENV: 'production', METRICS_TOKEN: 'short' }), /at least 32/);
    const token = 'a'.repeat(32);
    assert.equal(parseEnvironment(schema, { NODE_ENV: 'production', METRICS_TOKEN: token }).METRICS_TOKEN, token);
  });

  it('compares the bearer token exactly', () => {
    const check = bearerTokenCheck('s3cret-token');
    assert.equal(check('Bearer s3cret-token'), true);
    assert.equal(check('BEARER s3cret-token'), true);
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Bearer s3cret-toke',
      'Bearer s3cret-token2',
      'Bearer  s3cret-token',
      'Token s3cret-token',
    ]) {
      assert.equal(check(header), false, String(header));
    }
    assert.equal(bearerTokenCheck('')('Bearer '), false);
  });
});
