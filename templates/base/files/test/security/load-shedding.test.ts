import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestApp } from '../helpers/app.ts';

function blockEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy wait: this is the overload being simulated.
  }
}

describe('load shedding', () => {
  it('answers 503 problem+json with Retry-After while the event loop lags', async () => {
    const app = await buildTestApp({ MAX_EVENT_LOOP_DELAY_MS: '50' });
    await app.ready();
    let shed: Awaited<ReturnType<typeof app.inject>> | undefined;
    for (let attempt = 0; attempt < 20 && !shed; attempt++) {
      blockEventLoop(300);
      await sleep(5);
      const response = await app.inject('/v1/items');
      if (response.statusCode === 503) shed = response;
    }
    assert.ok(shed, 'a request was shed');
    assert.equal(shed.headers['retry-after'], '10');
    assert.match(String(shed.headers['content-type']), /^application\/problem\+json/);
    await app.close();
  });
});
