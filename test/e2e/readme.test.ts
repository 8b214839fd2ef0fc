import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/cli.ts';
import { featureTable, replaceFeatureTable } from '../helpers/readme.ts';

describe('README', () => {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

  it('lists exactly the features of the registry (regenerate with node scripts/readme-features.ts)', () => {
    assert.equal(replaceFeatureTable(readme, featureTable()), readme);
  });

  it('gives the test command that CI runs', () => {
    const ci = readFileSync(path.join(repoRoot, '.ci/run'), 'utf8');
    assert.match(readme, /^npm install && npm test/m);
    assert.match(ci, /^npm install && npm test$/m);
  });
});
