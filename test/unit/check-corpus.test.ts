import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runChecks } from '../../src/check/run.ts';
import { severityOf } from '../../src/check/types.ts';
import { repoRoot } from '../helpers/cli.ts';

/**
 * `check` on the foreign fixture projects (test/fixtures/<fastify|express>/<name>/, the corpus of the
 * `add` issues): every finding, reviewed by hand, is in test/fixtures/check-expected/<framework>/<name>.txt,
 * so that a change in precision shows in review. A new fixture needs its file: run with
 * UPDATE_CHECK_EXPECTED=1, read every line of the diff, and commit it.
 */
const TODAY = new Date('2026-12-01T00:00:00Z');
const expectedRoot = path.join(repoRoot, 'test/fixtures/check-expected');

function fixtures(): { framework: string; name: string; directory: string }[] {
  return ['fastify', 'express'].flatMap((framework) => {
    const root = path.join(repoRoot, 'test/fixtures', framework);
    if (!existsSync(root)) return [];
    return readdirSync(root)
      .filter((name) => existsSync(path.join(root, name, 'fixture.json')))
      .sort()
      .map((name) => ({ framework, name, directory: path.join(root, name) }));
  });
}

async function report(directory: string): Promise<string> {
  const { findings } = await runChecks({ directory, audit: false, today: TODAY });
  const lines = findings.map((f) => {
    const where = 'url' in f.location ? f.location.url : `${f.location.file}:${f.location.line}:${f.location.column}`;
    return `${severityOf(f).padEnd(6)} ${f.rule.id.padEnd(34)} ${where}  ${f.seen}`;
  });
  return `${lines.sort().join('\n')}${lines.length ? '\n' : ''}`;
}

describe('check: the foreign fixture corpus, against reviewed expected output', () => {
  const all = fixtures();
  for (const fixture of all) {
    it(`${fixture.framework}/${fixture.name}`, async () => {
      const actual = await report(fixture.directory);
      const file = path.join(expectedRoot, fixture.framework, `${fixture.name}.txt`);
      if (process.env.UPDATE_CHECK_EXPECTED === '1') {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, actual);
      }
      assert.ok(
        existsSync(file),
        `no reviewed expected output for this fixture; review these findings and save them as ${file}:\n${actual}`,
      );
      assert.equal(actual, readFileSync(file, 'utf8'));
    });
  }

  it('every expected-output file belongs to a fixture that exists', () => {
    const known = new Set(all.map((f) => `${f.framework}/${f.name}.txt`));
    const files = ['fastify', 'express'].flatMap((framework) =>
      existsSync(path.join(expectedRoot, framework)) ? readdirSync(path.join(expectedRoot, framework)).map((f) => `${framework}/${f}`) : [],
    );
    assert.deepEqual(
      files.filter((f) => !known.has(f)),
      [],
    );
  });
});
