import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addedRequirements, closestMatch, resolveFeatures } from '../../src/engine/resolve.ts';
import { defineFeature } from '../../src/features/define.ts';

const registry = [
  defineFeature({ id: 'auth', title: 'Auth', description: 'a', presets: ['standard'] }),
  defineFeature({ id: 'rbac', title: 'RBAC', description: 'r', presets: ['standard'], requires: ['auth'] }),
  defineFeature({ id: 'metrics', title: 'Metrics', description: 'm', presets: ['full'], conflicts: ['other'] }),
  defineFeature({ id: 'other', title: 'Other', description: 'o', presets: [] }),
];

describe('resolveFeatures', () => {
  it('adds requirements and keeps registry order', () => {
    const resolved = resolveFeatures(['metrics', 'rbac'], registry).map((f) => f.id);
    assert.deepEqual(resolved, ['auth', 'rbac', 'metrics']);
    assert.deepEqual(addedRequirements(['metrics', 'rbac'], resolveFeatures(['metrics', 'rbac'], registry)), [
      { added: 'auth', by: 'rbac' },
    ]);
  });

  it('refuses conflicts', () => {
    assert.throws(() => resolveFeatures(['metrics', 'other'], registry), /metrics and other cannot be used together/);
  });

  it('rejects unknown ids with the closest match and the valid list', () => {
    assert.throws(
      () => resolveFeatures(['metrix'], registry),
      (error: Error & { hint?: string }) =>
        /Did you mean "metrics"/.test(error.message) && /auth, rbac, metrics, other/.test(error.hint ?? ''),
    );
  });

  it('proposes nothing when nothing is close', () => {
    assert.equal(closestMatch('kubernetes-operator', ['auth', 'rbac']), undefined);
  });
});
