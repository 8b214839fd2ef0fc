import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { features } from '../../src/features/index.ts';
import { bin, cli, snapshot, tempDir } from '../helpers/cli.ts';

/** Drives the real CLI in a tmux pseudo-terminal: keys in, screen out. */
class Terminal {
  readonly session = `cha-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  async start(cwd: string, exitFile: string): Promise<void> {
    const command = `cd ${cwd} && ${process.execPath} ${bin}; echo $? > ${exitFile}; sleep 30`;
    await execa('tmux', ['new-session', '-d', '-s', this.session, '-x', '120', '-y', '40', command], {
      env: { ...process.env, npm_config_user_agent: '', NO_COLOR: '1' },
    });
  }

  screen(): Promise<string> {
    return execa('tmux', ['capture-pane', '-p', '-t', this.session]).then((r) => r.stdout);
  }

  async waitFor(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.screen();
      if (typeof text === 'string' ? screen.includes(text) : text.test(screen)) return screen;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${text}; screen:\n${screen}`);
  }

  async keys(...keys: string[]): Promise<void> {
    for (const key of keys) await execa('tmux', ['send-keys', '-t', this.session, key]);
  }

  async type(text: string): Promise<void> {
    await execa('tmux', ['send-keys', '-t', this.session, '-l', text]);
  }

  async stop(): Promise<void> {
    await execa('tmux', ['kill-session', '-t', this.session], { reject: false });
  }
}

async function waitForFile(file: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8').trim();
      if (text) return text;
    }
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${file}`);
}

describe('interactive mode (real pseudo-terminal)', () => {
  it('produces the same project as the equivalent flags', async () => {
    const parent = tempDir();
    const exitFile = path.join(tempDir(), 'exit');
    const terminal = new Terminal();
    try {
      await terminal.start(parent, exitFile);
      await terminal.waitFor('Project name');
      await terminal.keys('C-u');
      await terminal.type('tty-api');
      await terminal.keys('Enter');
      await terminal.waitFor('Preset');
      await terminal.keys('Up', 'Enter'); // standard is the default; Up selects minimal
      if (features.length > 0) {
        await terminal.waitFor('Features');
        await terminal.keys('Enter');
      }
      await terminal.waitFor('Package manager');
      await terminal.keys('Enter');
      await terminal.waitFor('Install dependencies now?');
      await terminal.keys('n', 'Enter');
      await terminal.waitFor('Initialize a git repository?');
      await terminal.keys('n', 'Enter');
      assert.equal(await waitForFile(exitFile), '0', await terminal.screen());
    } finally {
      await terminal.stop();
    }
    const flagsParent = tempDir();
    const result = await cli(['tty-api', '--preset', 'minimal', '--pm', 'npm', '--no-install', '--no-git'], { cwd: flagsParent });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(snapshot(path.join(parent, 'tty-api')), snapshot(path.join(flagsParent, 'tty-api')));
  });

  it('Ctrl-C at a prompt exits cleanly with nothing written', async () => {
    const parent = tempDir();
    const exitFile = path.join(tempDir(), 'exit');
    const terminal = new Terminal();
    try {
      await terminal.start(parent, exitFile);
      await terminal.waitFor('Project name');
      await terminal.keys('Enter');
      await terminal.waitFor('Preset');
      await terminal.keys('C-c');
      assert.equal(await waitForFile(exitFile), '1');
      assert.match(await terminal.screen(), /Cancelled; nothing was written/);
    } finally {
      await terminal.stop();
    }
    assert.deepEqual(snapshot(parent), {});
  });
});
