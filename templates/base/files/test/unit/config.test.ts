import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadConfig({ PORT: '8080' });
    assert.equal(config.PORT, 8080);
    assert.equal(config.BODY_LIMIT, 1_048_576);
    assert.equal(config.KEEP_ALIVE_TIMEOUT_MS, 72_000);
  });

  it('names the bad variable without echoing its value', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty' }),
      (error: Error) => error instanceof ConfigError && /PORT/.test(error.message) && !/eighty/.test(error.message),
    );
    assert.throws(() => loadConfig({ NODE_ENV: 'staging' }), /NODE_ENV/);
    assert.throws(() => loadConfig({ BODY_LIMIT: '1' }), /BODY_LIMIT/);
  });

  it('ignores variables it does not know', () => {
    assert.equal('UNRELATED' in loadConfig({ UNRELATED: 'x' }), false);
  });
});
