import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('start-up configuration', () => {
  const cases: [string, string][] = [
    ['PORT', 'not-a-port'],
    ['TRUST_PROXY', 'true'],
  ];
  for (const [name, value] of cases) {
    it(`${name}=${value} stops the server with one line naming it, and exit code 1`, () => {
      const result = spawnSync(process.execPath, ['src/server.ts'], {
        cwd: projectRoot,
        env: { ...process.env, [name]: value, DATABASE_URL: 'postgres://user:TOPSECRET@127.0.0.1:1/x' },
        encoding: 'utf8',
        timeout: 10_000,
      });
      assert.equal(result.status, 1);
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr, new RegExp(`^Invalid environment variable ${name}: `));
      assert.doesNotMatch(result.stderr + result.stdout, /TOPSECRET/);
    });
  }
});
