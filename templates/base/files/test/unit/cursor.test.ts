import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCursor, encodeCursor } from '../../src/lib/cursor.ts';

describe('cursor codec', () => {
  const cursor = { sort: '-createdAt', value: '2026-01-01T00:00:00.000Z', id: '0190a1b2-0000-7000-8000-000000000000' };

  it('round-trips the sort, the sort value and the id', () => {
    assert.deepEqual(decodeCursor(encodeCursor(cursor), '-createdAt'), cursor);
  });

  it('is URL-safe', () => {
    assert.match(encodeCursor({ sort: 'name', value: '??>>//++', id: 'x' }), /^[A-Za-z0-9_-]+$/);
  });

  it('only works for the sort order it was made for', () => {
    assert.equal(decodeCursor(encodeCursor(cursor), 'name'), undefined);
  });

  it('rejects tampered or foreign tokens', () => {
    for (const token of [
      'not-base64!',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('["-createdAt",1,2]').toString('base64url'),
      Buffer.from('["-createdAt","a"]').toString('base64url'),
      '',
    ]) {
      assert.equal(decodeCursor(token, '-createdAt'), undefined, token);
    }
  });
});
