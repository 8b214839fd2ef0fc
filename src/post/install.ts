import { PostCommitError } from '../errors.ts';
import { installArgs, type PackageManager } from './package-manager.ts';

/**
 * Installs dependencies with a spinner showing elapsed time. On failure (the package manager missing,
 * or failing) the files are already written: the error says which, where, and the command to finish.
 */
export async function installDependencies(
  directory: string,
  pm: PackageManager,
  quiet: boolean,
  written: readonly string[],
): Promise<void> {
  const { execa } = await import('execa');
  const args = installArgs(pm);
  const command = `${pm} ${args.join(' ')}`;
  const started = Date.now();
  const spinner = !quiet && process.stderr.isTTY ? startSpinner(`Installing dependencies (${command})`, started) : undefined;
  if (!spinner && !quiet) process.stderr.write(`Installing dependencies (${command})...\n`);
  const result = await execa(pm, args, { cwd: directory, all: true, reject: false, stdin: 'ignore' });
  spinner?.stop();
  if (result.failed) {
    const notFound = (result as { code?: string }).code === 'ENOENT';
    const reason = notFound
      ? `${pm} was not found on the PATH`
      : result.exitCode !== undefined
        ? `exit code ${result.exitCode}`
        : `stopped by ${result.signal ?? 'an error'}`;
    const logTail = (result.all ?? '')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-20);
    if (logTail.length > 0) process.stderr.write(`Last lines of the ${pm} log:\n${logTail.join('\n')}\n`);
    const finish = `cd ${directory} && ${command}`;
    throw new PostCommitError(
      'install-failed',
      `Dependency install failed (${command}: ${reason}). The files were written: ${written.length} in ${directory}; only the install is left.`,
      `${notFound ? `Install ${pm} (or pass another --pm), then` : 'Fix the cause, then'} finish by hand: ${finish}`,
      { directory, files: written, installed: false, finish },
    );
  }
  if (!quiet) process.stderr.write(`Installed dependencies in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

function startSpinner(label: string, started: number): { stop(): void } {
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  const timer = setInterval(() => {
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    process.stderr.write(`\r${frames[frame++ % frames.length]} ${label} ${seconds}s`);
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      process.stderr.write('\r\x1b[2K');
    },
  };
}
