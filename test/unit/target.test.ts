import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { npmNameProblem, validateProjectName } from '../../src/engine/target.ts';

describe('project names', () => {
  it('accepts npm package names', () => {
    for (const name of ['my-api', 'api2', 'a.b_c~d', '@scope/api']) assert.equal(npmNameProblem(name), undefined, name);
  });

  it('rejects what npm rejects, saying why', () => {
    assert.match(npmNameProblem('My-Api') ?? '', /upper-case/);
    assert.match(npmNameProblem('.hidden') ?? '', /starts with/);
    assert.match(npmNameProblem('has space') ?? '', /spaces/);
    assert.match(npmNameProblem('http') ?? '', /reserved/);
    assert.match(npmNameProblem('a'.repeat(215)) ?? '', /214/);
    assert.match(npmNameProblem('bad!name') ?? '', /only lower-case/);
  });

  it('refuses paths where a name is expected', () => {
    assert.throws(() => validateProjectName('/etc/api'), /is a path, not a project name/);
    assert.throws(() => validateProjectName('../escape'), /is a path, not a project name/);
  });
});
