import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineFeature } from '../../src/features/define.ts';
import { features } from '../../src/features/index.ts';
import { matrixCombinations } from '../helpers/combinations.ts';

describe('matrixCombinations', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const registry = ids.map((id) => defineFeature({ id, title: id, description: id, presets: [], requires: id === 'b' ? ['a'] : [] }));

  it('has the base, each feature alone and everything', () => {
    const names = matrixCombinations(registry).map((c) => c.name);
    for (const expected of ['base', ...ids, 'full']) assert.ok(names.includes(expected), expected);
  });

  it('covers every feasible on/off pair of every two features', () => {
    const combos = matrixCombinations(registry).map((c) => c.features);
    for (const x of ids) {
      for (const y of ids) {
        if (x >= y) continue;
        for (const xv of [true, false]) {
          for (const yv of [true, false]) {
            if (x === 'a' && !xv && y === 'b' && yv) continue; // b requires a
            assert.ok(
              combos.some((c) => c.includes(x) === xv && c.includes(y) === yv),
              `${x}=${xv} ${y}=${yv}`,
            );
          }
        }
      }
    }
  });

  it('includes requirements in every combination', () => {
    for (const combo of matrixCombinations(registry)) if (combo.features.includes('b')) assert.ok(combo.features.includes('a'));
  });

  it('works on the real registry', () => {
    assert.ok(matrixCombinations(features).length >= 1 + features.length);
  });
});
