import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpError, problem } from '../../src/lib/problem.ts';

describe('problem details', () => {
  it('carries type, title, status, detail and instance', () => {
    assert.deepEqual(problem(404, '/v1/items/x', 'gone'), {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      instance: '/v1/items/x',
      detail: 'gone',
    });
  });

  it('never repeats the cause of a 5xx', () => {
    const body = problem(500, '/x', 'select * from users where password = ...');
    assert.doesNotMatch(JSON.stringify(body), /select|password/);
    assert.equal(body.title, 'Internal Server Error');
  });

  it('lists validation errors', () => {
    const errors = [{ in: 'body' as const, pointer: '#/name', detail: 'must be string' }];
    assert.deepEqual(problem(400, '/x', 'bad', errors).errors, errors);
  });

  it('HttpError keeps its status and headers', () => {
    const error = new HttpError(429, 'slow down', { 'retry-after': '3' });
    assert.equal(error.statusCode, 429);
    assert.deepEqual(error.headers, { 'retry-after': '3' });
  });
});
