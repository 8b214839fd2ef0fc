import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

// compose.yaml and the Dockerfile repeat a few of each other's settings; this says when they drift apart.
const compose = readFileSync(new URL('../../compose.yaml', import.meta.url), 'utf8');
const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const api = /^ {2}api:\n((?: {4}.*\n|\n)*)/m.exec(compose)?.[1] ?? '';

function setting(name: string, within: string): string | undefined {
  return new RegExp(`^\\s*${name}:\\s*"?([^"\\n]+)"?$`, 'm').exec(within)?.[1];
}

describe('the container setup agrees with itself', () => {
  it('lets in-flight requests finish before Docker kills the API (stop_grace_period > SHUTDOWN_GRACE_MS)', () => {
    const grace = Number(setting('SHUTDOWN_GRACE_MS', api));
    const stop = Number.parseInt(setting('stop_grace_period', api) ?? '10', 10) * 1000;
    assert.ok(grace > 0, 'compose.yaml sets SHUTDOWN_GRACE_MS for the api service');
    assert.ok(stop > grace, `stop_grace_period ${stop} ms > SHUTDOWN_GRACE_MS ${grace} ms`);
  });

  it('trusts X-Forwarded-For from the reverse proxy only, if there is one', () => {
    const proxy = setting('ipv4_address', compose);
    assert.equal(setting('TRUST_PROXY', api), proxy, "TRUST_PROXY is the proxy's fixed address");
  });

  it('publishes the port the API listens on, and starts it without npm (signals reach Node.js)', () => {
    const port = /\bPORT=(\d+)/.exec(dockerfile)?.[1];
    assert.ok(port, 'the Dockerfile sets PORT');
    assert.match(dockerfile, new RegExp(`^EXPOSE ${port}$`, 'm'));
    assert.match(dockerfile, /^CMD \["node", "dist\/bundle\/server\.js"\]$/m);
  });

  it('keeps secrets out of compose.yaml: they come from git-ignored env files', () => {
    assert.doesNotMatch(compose, /(PASSWORD|SECRET|TOKEN|DATABASE_URL|REDIS_URL)\s*[:=]/);
    const ignored = readFileSync(new URL('../../secrets/.gitignore', import.meta.url), 'utf8').split('\n');
    assert.ok(ignored.includes('*') && ignored.includes('!*.example'));
  });
});
