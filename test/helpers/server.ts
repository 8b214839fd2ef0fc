import { type ChildProcess, spawn } from 'node:child_process';
import { toolEnv } from './generated.ts';

export interface GeneratedServer {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything the server wrote so far (its log lines, on standard output and error). */
  output(): string;
  /** SIGTERM, then the exit code once the process is gone. */
  stop(): Promise<number | null>;
}

export interface StartOptions {
  /** What to run: the sources (development) or the production bundle, `dist/bundle/server.js`. */
  entry?: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
  timeoutMs?: number;
}

/**
 * Starts a generated project's server on 127.0.0.1 (an ephemeral port unless `env.PORT` says) and waits
 * for its "Server listening at" log line. Throws with the server's output when it exits or stays silent.
 */
export async function startGeneratedServer(project: string, options: StartOptions = {}): Promise<GeneratedServer> {
  const { entry = 'src/server.ts', env = {}, nodeArgs = [], timeoutMs = 15_000 } = options;
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    cwd: project,
    env: { ...process.env, ...toolEnv, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const match = /Server listening at (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
    if (match?.[1]) {
      const url = match[1];
      return {
        child,
        url,
        port: Number(match[2]),
        output: () => output,
        stop: () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the project's server (${entry}) did not start:\n${output}`);
}
