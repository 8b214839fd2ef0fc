import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor } from '../../src/lib/cursor.ts';

describe('cursor codec', () => {
  it('round-trips the sort value and id', () => {
    const cursor = { value: '2026-01-01T00:00:00.000Z', id: '0190a1b2-0000-7000-8000-000000000000' };
    assert.deepEqual(decodeCursor(encodeCursor(cursor)), cursor);
  });

  it('is URL-safe', () => {
    assert.match(encodeCursor({ value: '??>>//++', id: 'x' }), /^[A-Za-z0-9_-]+$/);
  });

  it('rejects tampered or foreign tokens', () => {
    for (const token of [
      'not-base64!',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('[1,2]').toString('base64url'),
      '',
    ]) {
      assert.equal(decodeCursor(token), undefined, token);
    }
  });
});
