import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Wall time of one whole command, in seconds; throws with its output when it fails. */
export function timeCommand(command, args, options = {}) {
  const started = performance.now();
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return seconds;
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Starts a server process, optionally pinned to a core, and waits until `url` answers 200. */
export async function startServer({ command, args, cwd, env, url, core, timeoutMs = 20_000 }) {
  const pinned = core === undefined ? [command, args] : ['taskset', ['-c', String(core), command, ...args]];
  const started = performance.now();
  const child = spawn(pinned[0], pinned[1], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${stderr}`);
    try {
      const response = await fetch(url);
      if (response.status === 200) {
        return { child, readyMs: performance.now() - started, stop: () => stop(child) };
      }
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms:\n${stderr}`);
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

export function rssOf(pid) {
  try {
    const status = spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout;
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}
