import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { repoRoot, tempDir } from '../helpers/cli.ts';
import { linkDependencies, runScript, toolEnv } from '../helpers/generated.ts';

describe('the packed tarball', () => {
  it('holds bin/, dist/ and templates/ only, installs, and generates a project that builds', async () => {
    const out = tempDir('pack-');
    const packed = await execa('npm', ['pack', '--json', '--pack-destination', out], { cwd: repoRoot, env: toolEnv });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    assert.ok(info);
    const allowed = new Set(['LICENSE', 'README.md', 'bin', 'dist', 'package.json', 'templates']);
    const unexpected = info.files.map((f) => f.path).filter((p) => !allowed.has(p.split('/')[0] ?? ''));
    assert.deepEqual(unexpected, []);
    for (const required of ['bin/create-hardened-api.js', 'bin/hardened-api.js', 'dist/cli/main.js', 'templates/base/files/src/app.ts']) {
      assert.ok(
        info.files.some((f) => f.path === required),
        `${required} is in the tarball`,
      );
    }

    // What `npm create hardened-api` does: fetch the package, run its create-hardened-api bin.
    const target = path.join(tempDir('from-tarball-'), 'packed-api');
    const created = await execa(
      'npm',
      [
        'exec',
        '--yes',
        `--package=${path.join(out, info.filename)}`,
        '--',
        'create-hardened-api',
        target,
        '--yes',
        '--no-install',
        '--no-git',
        '--preset',
        'minimal',
      ],
      { cwd: out, env: { ...toolEnv, npm_config_user_agent: 'npm/11.0.0 node/v24' }, reject: false, all: true },
    );
    assert.equal(created.exitCode, 0, created.all);
    assert.ok(existsSync(path.join(target, '.gitignore')), 'dotfiles survive npm pack');
    await linkDependencies(target);
    const build = await runScript(target, 'build');
    assert.ok(build.ok, build.output);
    assert.ok(existsSync(path.join(target, 'dist/bundle/server.js')), 'the production bundle');
  });
});
