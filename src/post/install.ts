import { UserError } from '../errors.ts';
import { installArgs, type PackageManager } from './package-manager.ts';

/** Installs dependencies with a spinner showing elapsed time; on failure shows the log's tail and the retry command. */
export async function installDependencies(directory: string, pm: PackageManager, quiet: boolean): Promise<void> {
  const { execa } = await import('execa');
  const args = installArgs(pm);
  const command = `${pm} ${args.join(' ')}`;
  const started = Date.now();
  const spinner = !quiet && process.stderr.isTTY ? startSpinner(`Installing dependencies (${command})`, started) : undefined;
  if (!spinner && !quiet) process.stderr.write(`Installing dependencies (${command})...\n`);
  const result = await execa(pm, args, { cwd: directory, all: true, reject: false, stdin: 'ignore' });
  spinner?.stop();
  if (result.failed) {
    const tail = (result.all ?? String(result.message)).split('\n').slice(-20).join('\n');
    throw new UserError(
      `Dependency install failed (${command}, exit ${result.exitCode ?? 'n/a'}). The project was created; last lines of the log:\n${tail}`,
      `Fix the cause, then run: cd ${directory} && ${command}`,
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
