import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { requestIdFrom } from '../../src/lib/request-id.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('keeps a safe inbound id', () => {
    assert.equal(requestIdFrom('abc-123'), 'abc-123');
  });

  it('replaces unsafe, oversized or repeated ids', () => {
    for (const header of ['a\r\nSet-Cookie: x', 'x'.repeat(65), 'has space', '', ['a', 'b'], undefined]) {
      assert.match(requestIdFrom(header), UUID);
    }
  });
});
