import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningServer {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote so far. */
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `src/server.ts` as a real process on an ephemeral loopback port and waits until it listens. */
export async function startServer(env: Record<string, string> = {}, timeoutMs = 10_000): Promise<RunningServer> {
  const child = spawn(process.execPath, ['src/server.ts'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      SQLITE_PATH: ':memory:',
      // Servers of several test runs may share one Redis: keys of its own.
      REDIS_KEY_PREFIX: `test:${randomBytes(8).toString('hex')}:`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
    if (match?.[1]) return { child, url: match[1], output: () => output, exited };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start:\n${output}`);
}
