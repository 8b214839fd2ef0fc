#!/usr/bin/env node
// Generates a demo API with every available feature into .demo/api (replaced on each run), installs
// it, and starts it on the embedded defaults: no database or Redis needed. Ctrl-C stops it.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

const target = path.resolve('.demo/api');
const run = (command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

rmSync(target, { recursive: true, force: true });
// The project depends on this generator (its lint runs `create-hardened-api check`): installed from this
// repository's packed tarball through a local registry, since the registry here does not have it.
const registry = spawn(process.execPath, ['scripts/local-registry.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
process.env.npm_config_registry = await new Promise((resolve) => registry.stdout.once('data', (chunk) => resolve(String(chunk).trim())));
try {
  run(process.execPath, ['bin/create-hardened-api.js', target, '--yes', '--preset', 'full', '--no-git', '--pm', 'npm'], process.cwd());
} finally {
  registry.kill('SIGTERM');
  delete process.env.npm_config_registry;
}
run('npm', ['run', 'build'], target);
console.log(`\nDemo API in ${target}. Try: curl -i http://127.0.0.1:3000/health/ready\n`);
run('npm', ['start'], target);
