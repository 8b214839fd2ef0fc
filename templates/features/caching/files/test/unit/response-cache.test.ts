import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryStore } from '../../src/lib/response-cache.ts';

const body = (length: number) => ({ body: 'x'.repeat(length), headers: {} });

describe('in-memory response store', () => {
  it('evicts the least recently used entry beyond its entry count', async () => {
    const store = memoryStore(2, 1000, 60_000);
    const generation = await store.generation('items');
    await store.set('items', generation, 'a', body(1));
    await store.set('items', generation, 'b', body(1));
    await store.get('items', generation, 'a');
    await store.set('items', generation, 'c', body(1));
    assert.ok(await store.get('items', generation, 'a'));
    assert.equal(await store.get('items', generation, 'b'), undefined);
    assert.ok(await store.get('items', generation, 'c'));
  });

  it('stays within its size, and never stores a body larger than all of it', async () => {
    const store = memoryStore(100, 10, 60_000);
    const generation = await store.generation('items');
    await store.set('items', generation, 'a', body(6));
    await store.set('items', generation, 'b', body(6));
    assert.equal(await store.get('items', generation, 'a'), undefined);
    assert.ok(await store.get('items', generation, 'b'));
    await store.set('items', generation, 'huge', body(11));
    assert.equal(await store.get('items', generation, 'huge'), undefined);
    assert.ok(await store.get('items', generation, 'b'), 'a too-large body evicts nothing');
  });

  it('expires entries after the TTL, and a write orphans every entry of the resource', async () => {
    const store = memoryStore(100, 1000, 50);
    const before = await store.generation('items');
    await store.set('items', before, 'a', body(1));
    await store.invalidate('items');
    const after = await store.generation('items');
    assert.notEqual(after, before);
    assert.equal(await store.get('items', after, 'a'), undefined);
    await store.set('items', after, 'a', body(1));
    assert.ok(await store.get('items', after, 'a'));
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(await store.get('items', after, 'a'), undefined);
  });
});
