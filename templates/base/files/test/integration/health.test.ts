import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';

describe('health', () => {
  it('live and ready answer 200 when the database is up', async () => {
    const app = await buildTestApp();
    assert.equal((await app.inject('/health/live')).statusCode, 200);
    assert.deepEqual((await app.inject('/health/ready')).json(), { status: 'ok' });
    await app.close();
  });

  it('ready is 503 with Retry-After when a dependency is down; live stays 200', async () => {
    const app = await buildTestApp();
    app.readinessChecks.push({ name: 'cache', check: () => Promise.reject(new Error('connection refused')) });
    const ready = await app.inject('/health/ready');
    assert.equal(ready.statusCode, 503);
    assert.equal(ready.headers['retry-after'], '5');
    assert.match(ready.headers['content-type'] ?? '', /^application\/problem\+json/);
    assert.doesNotMatch(ready.body, /connection refused/);
    assert.equal((await app.inject('/health/live')).statusCode, 200);
    await app.close();
  });

  it('ready stays 200 when only a dependency the API serves without is down, and names it', async () => {
    const app = await buildTestApp();
    app.readinessChecks.push({ name: 'cache', required: false, check: () => Promise.reject(new Error('refused')) });
    const ready = await app.inject('/health/ready');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ok', degraded: ['cache'] });
    app.readinessChecks.push({ name: 'queue', check: () => Promise.reject(new Error('refused')) });
    assert.equal((await app.inject('/health/ready')).statusCode, 503, 'a required one still fails it');
    await app.close();
  });
});
