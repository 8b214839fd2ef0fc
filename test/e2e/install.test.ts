import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { cli, tempDir } from '../helpers/cli.ts';
import { projectEnv, testCounts } from '../helpers/generated.ts';

describe('create with the post steps (real install and git)', () => {
  it('installs, commits, passes its own tests, and `npm start` answers /health/live', async () => {
    const dir = path.join(tempDir(), 'installed-api');
    const created = await cli([dir, '--yes', '--preset', 'minimal', '--pm', 'npm'], { env: projectEnv() });
    assert.equal(created.exitCode, 0, created.stderr);
    assert.ok(existsSync(path.join(dir, 'node_modules/fastify')), 'dependencies installed');
    const log = await execa('git', ['log', '--oneline'], { cwd: dir, reject: false });
    assert.match(log.stdout, /Initial commit from create-hardened-api/);
    assert.equal(
      (await execa('git', ['status', '--porcelain'], { cwd: dir })).stdout,
      '',
      'everything committed, nothing ignored left over',
    );

    const tests = await execa('npm', ['test'], { cwd: dir, env: projectEnv(), extendEnv: false, reject: false, all: true });
    assert.equal(tests.exitCode, 0, tests.all);
    assert.ok(testCounts(tests.all ?? '').passed > 20);

    const server = spawn('npm', ['start'], {
      cwd: dir,
      env: projectEnv({ PORT: '0', SQLITE_PATH: ':memory:' }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    server.stdout.on('data', (chunk) => {
      output += chunk;
    });
    try {
      let url: string | undefined;
      for (let i = 0; i < 400 && !url; i++) {
        url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(url, output);
      const live = await fetch(`${url}/health/live`);
      assert.equal(live.status, 200);
    } finally {
      if (server.pid) process.kill(-server.pid, 'SIGTERM');
    }
  });
});
