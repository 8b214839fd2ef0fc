import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { cli, tempDir } from '../helpers/cli.ts';
import { closeLocalRegistry, localRegistry, projectEnv, testCounts } from '../helpers/generated.ts';

describe('create with the post steps (real install and git)', () => {
  it('installs, commits, passes its own tests, and `npm start` answers /health/live', async () => {
    const dir = path.join(tempDir(), 'installed-api');
    // The project depends on the generator, served from this repository's packed tarball.
    const registry = await localRegistry();
    const created = await cli([dir, '--yes', '--preset', 'minimal', '--pm', 'npm'], {
      env: projectEnv({ npm_config_registry: registry.url }),
    });
    await closeLocalRegistry();
    assert.equal(created.exitCode, 0, created.stderr);
    assert.ok(existsSync(path.join(dir, 'node_modules/fastify')), 'dependencies installed');
    assert.ok(existsSync(path.join(dir, 'node_modules/.bin/create-hardened-api')), 'the generator, for npm run lint');
    const log = await execa('git', ['log', '--oneline'], { cwd: dir, reject: false });
    assert.match(log.stdout, /Initial commit from create-hardened-api/);
    assert.equal(
      (await execa('git', ['status', '--porcelain'], { cwd: dir })).stdout,
      '',
      'everything committed, nothing ignored left over',
    );

    // Lint ends with `create-hardened-api check --fail-on medium`: a fresh project passes it.
    const lint = await execa('npm', ['run', 'lint'], { cwd: dir, env: projectEnv(), extendEnv: false, reject: false, all: true });
    assert.equal(lint.exitCode, 0, lint.all);
    assert.match(lint.all ?? '', /0 high, 0 medium, \d+ low, 0 accepted, 1 skipped: passed/);

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
