import { execFileSync } from 'node:child_process';

/**
 * Files with uncommitted changes in the project's git work tree (limited to the project's folder), or
 * undefined when the project is not in a git work tree or git is missing: nothing to protect there.
 */
export function uncommittedChanges(directory: string): string[] | undefined {
  let output: string;
  try {
    output = execFileSync('git', ['status', '--porcelain=v1', '--untracked-files=all', '--', '.'], {
      cwd: directory,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
  return output
    .split('\n')
    .filter((line) => line.length > 3)
    .map((line) => line.slice(3));
}
