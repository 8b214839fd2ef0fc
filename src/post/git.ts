export type GitOutcome = 'committed' | 'initialized' | 'inside-work-tree' | 'git-missing';

/**
 * `git init` and a first commit, unless the directory is already inside a work tree (then the
 * user's repository is left alone) or git is not installed.
 */
export async function initGit(directory: string): Promise<{ outcome: GitOutcome; detail?: string }> {
  const { execa } = await import('execa');
  const git = (args: string[]) => execa('git', args, { cwd: directory, reject: false, stdin: 'ignore' });
  const probe = await git(['rev-parse', '--is-inside-work-tree']);
  if (probe.failed && (probe as { code?: string }).code === 'ENOENT') return { outcome: 'git-missing' };
  if (probe.exitCode === 0 && probe.stdout.trim() === 'true') return { outcome: 'inside-work-tree' };
  const init = await git(['init', '-q']);
  if (init.failed) return { outcome: 'git-missing', detail: init.stderr };
  await git(['add', '-A']);
  const commit = await git(['commit', '-q', '--no-verify', '-m', 'Initial commit from create-hardened-api']);
  if (commit.failed) return { outcome: 'initialized', detail: commit.stderr.split('\n')[0] };
  return { outcome: 'committed' };
}
