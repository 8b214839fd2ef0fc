import { CancelledError, PostCommitError, UserError } from '../errors.ts';
import { features as registry } from '../features/index.ts';
import { generatorVersion } from '../paths.ts';
import { parseCli, USAGE } from './args.ts';
import { log, printJsonError } from './output.ts';

/** Runs one command; returns the exit code: 0 success, 1 user error or cancel, 2 internal error. */
export async function main(argv: readonly string[]): Promise<number> {
  let command: string | undefined;
  const commandName = (): string | undefined => command ?? argv.find((a) => !a.startsWith('-'));
  // Read from argv, not the parsed flags, so that a bad flag is reported as JSON too. check reports with --format.
  const json = (): boolean => argv.includes('--json') && commandName() !== 'check';
  try {
    const args = parseCli(argv, registry);
    command = args.command;
    switch (args.command) {
      case 'help':
        process.stdout.write(`${USAGE}\n`);
        return 0;
      case 'version':
        process.stdout.write(`${generatorVersion}\n`);
        return 0;
      case 'list': {
        const { list } = await import('../commands/list.ts');
        list(args.json);
        return 0;
      }
      case 'check': {
        const { check } = await import('../commands/check.ts');
        return await check(args);
      }
      case 'add': {
        const { add } = await import('../commands/add.ts');
        await add(args);
        return 0;
      }
      case 'upgrade': {
        if (args.positionals.length > 0) {
          throw new UserError(`upgrade takes no arguments, got: ${args.positionals.join(' ')}`, 'Pass the project with --dir <path>.');
        }
        const { upgrade } = await import('../commands/upgrade.ts');
        return await upgrade(args);
      }
      case 'create': {
        const { choicesFromFlags, create, withDefaults } = await import('../commands/create.ts');
        const { choices, missing } = choicesFromFlags(args);
        let complete = choices;
        if (!args.yes && missing.length > 0) {
          if (!process.stdin.isTTY || !process.stdout.isTTY) {
            throw new UserError(
              `No terminal to ask questions on, and these choices were not given: ${missing.join(', ')}.`,
              'Pass them as flags, or pass --yes to take the defaults.',
            );
          }
          const { askCreateChoices } = await import('./prompts.ts');
          complete = await askCreateChoices(choices);
        }
        await create(withDefaults(complete), args);
        return 0;
      }
    }
  } catch (error) {
    if (error instanceof CancelledError) {
      log.info(error.message);
      if (json()) printJsonError(command, 'cancelled', error.message, undefined);
      return 1;
    }
    if (error instanceof UserError) {
      log.error(error.message, error.hint);
      if (json()) {
        if (error instanceof PostCommitError) printJsonError(command, error.code, error.message, error.hint, error.details);
        else printJsonError(command, 'invalid-input', error.message, error.hint);
      }
      // For check, 1 means "findings": a check that could not run must not look like one that found something.
      return commandName() === 'check' ? 2 : 1;
    }
    log.error(
      `internal error: ${(error as Error).stack ?? String(error)}`,
      'Please report this at https://github.com/create-hardened-api/create-hardened-api/issues',
    );
    if (json()) printJsonError(command, 'internal-error', String((error as Error).message ?? error), 'Please report this.');
    return 2;
  }
}
