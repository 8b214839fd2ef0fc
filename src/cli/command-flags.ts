import { UserError } from '../errors.ts';
import type { Command } from './args.ts';

const COMMON = ['yes', 'json', 'help', 'version'];

/**
 * The flags each command reads; a flag given to a command that does not read it is refused instead of
 * silently ignored. Feature sub-choice flags (`--auth`) belong to create and add. `check` keeps its own
 * rules (its errors exit 2), so it is not listed here.
 */
const FLAGS: Partial<Record<Command, readonly string[]>> = {
  create: [...COMMON, 'preset', 'features', 'dry-run', 'install', 'git', 'pm'],
  add: [...COMMON, 'dry-run', 'install', 'pm', 'dir'],
  upgrade: [...COMMON, 'dry-run', 'dir', 'to', 'allow-dirty'],
  list: [...COMMON],
};

const TAKES_FEATURE_OPTIONS: readonly Command[] = ['create', 'add'];

export function assertFlagsFor(command: Command, given: readonly string[], featureOptionFlags: readonly string[]): void {
  const allowed = FLAGS[command];
  if (!allowed) return;
  for (const flag of given) {
    if (allowed.includes(flag)) continue;
    if (featureOptionFlags.includes(flag) && TAKES_FEATURE_OPTIONS.includes(command)) continue;
    const users = Object.entries(FLAGS)
      .filter(([, flags]) => flags.includes(flag))
      .map(([name]) => name);
    throw new UserError(
      `--${flag} does not apply to ${command}${users.length > 0 ? ` (it is for ${users.join(', ')})` : ''}.`,
      'Run `create-hardened-api --help` for usage.',
    );
  }
}
