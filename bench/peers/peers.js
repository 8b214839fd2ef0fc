import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, timeCommand } from '../lib/process.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const binDir = path.join(here, 'node_modules/.bin');

/** How each peer generates a comparable project without installing or touching git. */
const PEERS = [
  { name: 'create-t3-app 7.40.0', bin: 'create-t3-app', args: (dir) => [dir, '--CI', '--noGit', '--noInstall'] },
  {
    name: '@nestjs/cli 12.0.8 (nest new)',
    bin: 'nest',
    args: (dir) => ['new', dir, '--skip-install', '--skip-git', '--package-manager', 'npm'],
  },
  { name: 'fastify-cli 8.0.2 (generate --lang=ts)', bin: 'fastify', args: (dir) => ['generate', dir, '--lang=ts'] },
];

/** Installs the pinned peers into bench/peers/node_modules when asked and missing. */
export function peerCommands({ install }) {
  if (install && !PEERS.every((p) => existsSync(path.join(binDir, p.bin)))) {
    run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: here, stdio: 'inherit' });
  }
  return PEERS.filter((p) => existsSync(path.join(binDir, p.bin))).map((peer) => ({
    name: peer.name,
    run() {
      const parent = mkdtempSync(path.join(tmpdir(), 'bench-peer-'));
      const seconds = timeCommand(path.join(binDir, peer.bin), peer.args('app'), { cwd: parent });
      rmSync(parent, { recursive: true, force: true });
      return seconds;
    },
  }));
}
