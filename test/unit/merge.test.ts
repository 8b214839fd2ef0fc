import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeEnvExample } from '../../src/engine/env-file.ts';
import { mergePackageJson } from '../../src/engine/package-json.ts';
import { mergeReadmeSection } from '../../src/engine/readme.ts';

const rank = (title: string) => ({ 'Rate limiting': 1, Metrics: 2 })[title];

describe('mergePackageJson', () => {
  const pkg = JSON.stringify({ name: 'x', dependencies: { fastify: '5.0.0', zod: '1.0.0' }, scripts: { test: 'node --test' } });
  const additions = {
    dependencies: { 'prom-client': '15.1.3', fastify: '9.9.9' },
    devDependencies: {},
    scripts: { 'lint:api': 'spectral' },
  };

  it('adds dependencies and scripts sorted, keeping the user values', () => {
    const merged = JSON.parse(mergePackageJson(pkg, additions));
    assert.deepEqual(Object.keys(merged.dependencies), ['fastify', 'prom-client', 'zod']);
    assert.equal(merged.dependencies.fastify, '5.0.0');
    assert.deepEqual(Object.keys(merged.scripts), ['lint:api', 'test']);
    assert.equal(merged.devDependencies, undefined);
  });

  it('is idempotent', () => {
    const once = mergePackageJson(pkg, additions);
    assert.equal(mergePackageJson(once, additions), once);
  });

  it('rejects broken JSON with the file name', () => {
    assert.throws(() => mergePackageJson('{', additions), /package\.json is not valid JSON/);
  });
});

describe('mergeEnvExample', () => {
  const base = '# Port\nPORT=3000\n';
  const metrics = [{ name: 'METRICS_TOKEN', example: 'change-me', description: 'Bearer token for /metrics' }];
  const limits = [{ name: 'RATE_LIMIT_MAX', example: '100', description: 'Requests per window' }];

  it('adds a titled block after the base, in registry order, once', () => {
    const a = mergeEnvExample(mergeEnvExample(base, 'Metrics', metrics, rank), 'Rate limiting', limits, rank);
    const b = mergeEnvExample(mergeEnvExample(base, 'Rate limiting', limits, rank), 'Metrics', metrics, rank);
    assert.equal(a, b);
    assert.equal(
      a,
      '# Port\nPORT=3000\n\n# Rate limiting\n# Requests per window\nRATE_LIMIT_MAX=100\n\n# Metrics\n# Bearer token for /metrics\nMETRICS_TOKEN=change-me\n',
    );
    assert.equal(mergeEnvExample(a, 'Metrics', metrics, rank), a);
  });
});

describe('mergeReadmeSection', () => {
  const readme = '# api\n\n## Features\n\nAdd more with `add`.\n\n## Scripts\n\nnpm test\n';

  it('inserts sections under Features in registry order, once', () => {
    const a = mergeReadmeSection(mergeReadmeSection(readme, '### Metrics\n\nm\n', rank), '### Rate limiting\n\nr\n', rank);
    const b = mergeReadmeSection(mergeReadmeSection(readme, '### Rate limiting\n\nr\n', rank), '### Metrics\n\nm\n', rank);
    assert.equal(a, b);
    assert.equal(
      a,
      '# api\n\n## Features\n\nAdd more with `add`.\n\n### Rate limiting\n\nr\n\n### Metrics\n\nm\n\n## Scripts\n\nnpm test\n',
    );
    assert.equal(mergeReadmeSection(a, '### Metrics\n\nm\n', rank), a);
  });
});
