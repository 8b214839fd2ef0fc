import type { ChildProcess } from 'node:child_process';

/**
 * Kills a process started with `detached: true` and everything in its process group: an init and the
 * program it runs, or nginx's master and its workers (killing a master alone leaves the workers
 * running, still listening).
 */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Not a group of its own (or already gone): the process alone.
    child.kill('SIGKILL');
  }
}
