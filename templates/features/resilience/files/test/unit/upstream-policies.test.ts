import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CircuitBreaker } from '../../src/lib/upstream/circuit-breaker.ts';
import { backoffDelay, isRetryable, parseRetryAfter, RetryBudget } from '../../src/lib/upstream/retry.ts';

describe('backoffDelay', () => {
  it('is full jitter: anywhere from 0 to base * 2^attempt, capped', () => {
    assert.equal(
      backoffDelay(3, 100, 10_000, () => 0),
      0,
    );
    assert.equal(
      backoffDelay(0, 100, 10_000, () => 0.999),
      99,
    );
    assert.equal(
      backoffDelay(3, 100, 10_000, () => 0.5),
      400,
    );
    assert.equal(
      backoffDelay(20, 100, 2000, () => 0.999),
      1998,
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-12-01T10:00:00Z');
  it('reads delay-seconds and HTTP-dates', () => {
    assert.equal(parseRetryAfter('1', now), 1000);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
    assert.equal(parseRetryAfter('Tue, 01 Dec 2026 10:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tue, 01 Dec 2026 09:00:00 GMT', now), 0, 'a past date means now');
  });
  it('ignores what it cannot read', () => {
    for (const value of [undefined, '', '-1', '1.5', 'soon', '2026-12-01T10:00:30Z']) {
      assert.equal(parseRetryAfter(value, now), undefined, String(value));
    }
  });
});

describe('isRetryable', () => {
  it('allows idempotent methods, and others only with an Idempotency-Key', () => {
    for (const method of ['GET', 'head', 'PUT', 'DELETE', 'OPTIONS'])
      assert.equal(isRetryable(method, {}), true, method);
    for (const method of ['POST', 'PATCH']) assert.equal(isRetryable(method, {}), false, method);
    assert.equal(isRetryable('POST', { 'Idempotency-Key': 'k' }), true);
  });
});

describe('RetryBudget', () => {
  it('allows a burst of retries, then one per 1/ratio calls', () => {
    const budget = new RetryBudget(0.5, 2);
    assert.equal(budget.withdraw(), true);
    assert.equal(budget.withdraw(), true);
    assert.equal(budget.withdraw(), false);
    budget.deposit();
    assert.equal(budget.withdraw(), false);
    budget.deposit();
    assert.equal(budget.withdraw(), true);
  });
});

describe('CircuitBreaker', () => {
  it('opens on the failure ratio over a window, not only on consecutive failures', () => {
    let now = 0;
    const breaker = new CircuitBreaker(
      'ratio',
      { consecutiveFailures: 100, failureRatio: 0.5, minimumCalls: 10, windowMs: 1000 },
      () => now,
    );
    for (let i = 0; i < 9; i += 1) {
      assert.equal(breaker.tryPass(), true);
      if (i % 2 === 0) breaker.failure();
      else breaker.success();
    }
    assert.equal(breaker.state, 'closed', 'fewer calls than the minimum');
    breaker.tryPass();
    breaker.failure();
    assert.equal(breaker.state, 'open');
    now += 500;
    assert.equal(breaker.tryPass(), false);
  });

  it('forgets old windows', () => {
    let now = 0;
    const breaker = new CircuitBreaker(
      'window',
      { consecutiveFailures: 100, failureRatio: 0.5, minimumCalls: 4, windowMs: 1000 },
      () => now,
    );
    breaker.failure();
    breaker.failure();
    breaker.failure();
    now = 2000;
    breaker.failure();
    breaker.success();
    breaker.success();
    breaker.success();
    assert.equal(breaker.state, 'closed');
  });

  it('lets a single probe through when half-open; a caller that gives up frees the slot', () => {
    let now = 0;
    const breaker = new CircuitBreaker('probe', { consecutiveFailures: 1, resetMs: 100 }, () => now);
    breaker.failure();
    assert.equal(breaker.state, 'open');
    assert.equal(breaker.retryAfterMs(), 100);
    now = 100;
    assert.equal(breaker.tryPass(), true);
    assert.equal(breaker.state, 'half-open');
    assert.equal(breaker.tryPass(), false);
    breaker.cancel();
    assert.equal(breaker.tryPass(), true);
    breaker.success();
    assert.equal(breaker.state, 'closed');
  });
});
