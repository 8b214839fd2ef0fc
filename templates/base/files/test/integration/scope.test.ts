import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { scopeConditions } from '../../src/lib/scope.ts';
import { buildTestApp, createItem } from '../helpers/app.ts';

/**
 * The owner-scoping seam, exercised the way an auth feature uses it: a column holding the owner and a
 * hook that sets `request.dataScope`. Here the "owner" comes from a test header instead of a token.
 */
describe("data scope: another owner's items do not exist for you", () => {
  let app: FastifyInstance;
  const asOwner = (owner: string) => ({ 'x-test-owner': owner });
  before(async () => {
    app = await buildTestApp();
    // Added after the base's onRequest hooks, as a feature plugin's would be.
    app.addHook('onRequest', async (request) => {
      const owner = request.headers['x-test-owner'];
      if (typeof owner === 'string') request.dataScope = { owner_id: owner };
    });
    await app.ready();
    // An auth feature's migration adds this column; without one, the test does.
    const hasOwner = await app.db.query('SELECT owner_id FROM items LIMIT 1').then(
      () => true,
      () => false,
    );
    if (!hasOwner) await app.db.execute("ALTER TABLE items ADD COLUMN owner_id TEXT NOT NULL DEFAULT ''");
  });
  after(() => app.close());

  it('GET, PATCH and DELETE of a foreign item are 404, it is not listed, and the row is unchanged', async () => {
    const mine = await createItem(app, { name: 'private' }, asOwner('alice'));
    const [row] = await app.db.query<{ owner_id: string }>('SELECT owner_id FROM items WHERE id = $1', [mine.id]);
    assert.equal(row?.owner_id, 'alice', 'the scope is written on insert');

    const url = `/v1/items/${mine.id}`;
    const bob = asOwner('bob');
    assert.equal((await app.inject({ url, headers: bob })).statusCode, 404);
    const patch = await app.inject({ method: 'PATCH', url, headers: bob, payload: { name: 'stolen' } });
    assert.equal(patch.statusCode, 404);
    assert.equal((await app.inject({ method: 'DELETE', url, headers: bob })).statusCode, 404);
    assert.deepEqual((await app.inject({ url: '/v1/items', headers: bob })).json().data, []);

    const own = await app.inject({ url, headers: asOwner('alice') });
    assert.equal(own.statusCode, 200);
    assert.equal(own.json().name, 'private', 'unchanged');
    assert.equal((await app.inject({ url: '/v1/items', headers: asOwner('alice') })).json().data.length, 1);
  });

  it('scope columns must be plain identifiers: they are the only names that reach SQL text', () => {
    assert.deepEqual(scopeConditions({ owner_id: 'x', tenant_id: 'y' }, 3), {
      sql: ' AND owner_id = $3 AND tenant_id = $4',
      params: ['x', 'y'],
    });
    for (const column of ['owner_id = owner_id OR 1', 'Owner', '"owner"', 'a;b', '', 'x'.repeat(64)]) {
      assert.throws(() => scopeConditions({ [column]: 'x' }, 1), /Invalid scope column/, column);
    }
  });
});
