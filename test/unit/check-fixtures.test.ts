import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { staticChecks } from '../../src/check/registry.ts';
import { runChecks } from '../../src/check/run.ts';
import { cases, type Expected, expectations, FRAMEWORKS, layOut } from '../helpers/check-fixtures.ts';

/** A fixed day, so that end-of-life dates do not change the results as time passes. */
const TODAY = new Date('2026-12-01T00:00:00Z');

async function findingsIn(directory: string): Promise<Expected[]> {
  const { findings } = await runChecks({ directory, audit: false, today: TODAY });
  return findings.map((f) => {
    if ('url' in f.location) throw new Error('a static check reported a URL');
    return { id: f.rule.id, file: f.location.file, line: f.location.line, column: f.location.column };
  });
}

const key = (e: Expected) => `${e.id} ${e.file}:${e.line}${e.column !== undefined ? `:${e.column}` : ''}`;

/** Rules that only exist in one framework. */
const ONLY: Record<string, string> = { 'errors.default-handler': 'fastify', 'headers.x-powered-by': 'express' };

describe('check: planted-problem fixtures', () => {
  it('every static rule has a planted case for each framework it applies to', () => {
    const planted = new Set(cases().flatMap((c) => expectations(c).map((e) => `${c.framework} ${e.id}`)));
    const missing = staticChecks(TODAY)
      .flatMap((check) => check.rules.map((rule) => rule.id))
      .flatMap((id) => FRAMEWORKS.filter((f) => !ONLY[id] || ONLY[id] === f).map((f) => `${f} ${id}`))
      .filter((entry) => !planted.has(entry));
    assert.deepEqual(missing, []);
  });

  for (const framework of FRAMEWORKS) {
    it(`the clean ${framework} base has no finding`, async () => {
      assert.deepEqual((await findingsIn(layOut(undefined, framework, 'clean'))).map(key), []);
    });
  }

  for (const testCase of cases()) {
    const expected = expectations(testCase);
    it(`${testCase.framework} ${testCase.name}: exactly the planted finding(s), at their location`, async () => {
      assert.ok(expected.length > 0, `${testCase.directory} expects nothing: add an expect marker`);
      const found = await findingsIn(layOut(testCase, testCase.framework, 'planted'));
      // Compare columns only where the marker pins one.
      const comparable = found.map((f) => {
        const wanted = expected.find((e) => e.id === f.id && e.file === f.file && e.line === f.line);
        return key(wanted && wanted.column === undefined ? { ...f, column: undefined } : f);
      });
      assert.deepEqual(comparable.sort(), expected.map(key).sort());
    });
    it(`${testCase.framework} ${testCase.name}: cleaned, no finding`, async () => {
      assert.deepEqual((await findingsIn(layOut(testCase, testCase.framework, 'clean'))).map(key), []);
    });
  }
});
