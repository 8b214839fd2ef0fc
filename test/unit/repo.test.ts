import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { repoRoot } from '../helpers/cli.ts';
import { toolEnv } from '../helpers/generated.ts';

describe('this repository', () => {
  it('type-checks (strict)', async () => {
    const result = await execa('tsc', ['--noEmit'], { cwd: repoRoot, env: toolEnv, reject: false, all: true });
    assert.equal(result.exitCode, 0, result.all);
  });

  it('lints clean with zero warnings', async () => {
    const result = await execa('biome', ['check', '--error-on-warnings', '.'], { cwd: repoRoot, env: toolEnv, reject: false, all: true });
    assert.equal(result.exitCode, 0, result.all);
  });
});
