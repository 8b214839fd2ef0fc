import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';

async function ipSeen(env: Record<string, string>, remoteAddress: string, forwardedFor: string): Promise<string> {
  const app = await buildTestApp(env);
  app.get('/test-only/ip', { config: { public: true } }, async (request) => ({ ip: request.ip }));
  const response = await app.inject({
    url: '/test-only/ip',
    remoteAddress,
    headers: { 'x-forwarded-for': forwardedFor },
  });
  await app.close();
  return response.json().ip;
}

describe('proxy trust', () => {
  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    assert.equal(await ipSeen({}, '203.0.113.9', '1.2.3.4'), '203.0.113.9');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    assert.equal(await ipSeen({ TRUST_PROXY: '10.0.0.0/8' }, '203.0.113.9', '1.2.3.4'), '203.0.113.9');
  });

  it('takes the client address from a trusted proxy, and only one hop past it', async () => {
    assert.equal(await ipSeen({ TRUST_PROXY: '10.0.0.0/8' }, '10.1.2.3', '1.2.3.4'), '1.2.3.4');
    assert.equal(await ipSeen({ TRUST_PROXY: '10.0.0.0/8' }, '10.1.2.3', '6.6.6.6, 1.2.3.4'), '1.2.3.4');
  });
});
