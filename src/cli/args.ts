import { parseArgs } from 'node:util';
import { UserError } from '../errors.ts';
import type { FeatureDefinition } from '../features/types.ts';
import { assertFlagsFor } from './command-flags.ts';

export type Command = 'create' | 'add' | 'upgrade' | 'list' | 'check' | 'help' | 'version';

export interface CliArgs {
  command: Command;
  positionals: string[];
  yes: boolean;
  preset: string | undefined;
  features: string[] | undefined;
  dryRun: boolean;
  install: boolean | undefined;
  git: boolean | undefined;
  pm: string | undefined;
  json: boolean;
  dir: string | undefined;
  /** (upgrade) the version to upgrade to; this one when absent. */
  to: string | undefined;
  /** (upgrade) go ahead on a git work tree with uncommitted changes. */
  allowDirty: boolean;
  /** Feature sub-choices given as `--<flag> a,b`, by feature id. */
  featureOptions: Record<string, string[]>;
  /** (check) */
  url: string | undefined;
  format: string | undefined;
  failOn: string | undefined;
  ignore: string[] | undefined;
  probeRateLimit: boolean;
  audit: boolean | undefined;
}

export function parseCli(argv: readonly string[], registry: readonly FeatureDefinition[]): CliArgs {
  const optionFlags = registry.filter((f) => f.option).map((f) => [f.option?.flag ?? f.id, f.id] as const);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(
      argv,
      optionFlags.map(([flag]) => flag),
    );
  } catch (error) {
    throw new UserError((error as Error).message.split('\n')[0] ?? 'Invalid arguments', 'Run `create-hardened-api --help` for usage.');
  }
  const { values, positionals } = parsed;
  const first = positionals[0];
  let command: Command = 'create';
  if (values.help) command = 'help';
  else if (values.version) command = 'version';
  else if (first === 'add' || first === 'upgrade' || first === 'list' || first === 'check' || first === 'help') command = first;
  assertFlagsFor(
    command,
    Object.keys(values),
    optionFlags.map(([flag]) => flag),
  );
  const rest = ['add', 'upgrade', 'list', 'check'].includes(command) || first === 'help' ? positionals.slice(1) : positionals;

  const featureOptions: Record<string, string[]> = {};
  for (const [flag, id] of optionFlags) {
    const value = (values as Record<string, unknown>)[flag];
    if (typeof value === 'string') featureOptions[id] = splitList(value);
  }
  return {
    command,
    positionals: rest,
    yes: values.yes === true,
    preset: values.preset as string | undefined,
    features: typeof values.features === 'string' ? featureList(values.features) : undefined,
    dryRun: values['dry-run'] === true,
    install: values.install as boolean | undefined,
    git: values.git as boolean | undefined,
    pm: values.pm as string | undefined,
    json: values.json === true,
    dir: values.dir as string | undefined,
    to: values.to as string | undefined,
    allowDirty: values['allow-dirty'] === true,
    featureOptions,
    url: values.url as string | undefined,
    format: values.format as string | undefined,
    failOn: values['fail-on'] as string | undefined,
    ignore: typeof values.ignore === 'string' ? splitList(values.ignore) : undefined,
    probeRateLimit: values['probe-rate-limit'] === true,
    audit: values.audit as boolean | undefined,
  };
}

function parse(argv: readonly string[], optionFlags: string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    allowNegative: true,
    strict: true,
    options: {
      yes: { type: 'boolean', short: 'y' },
      preset: { type: 'string' },
      features: { type: 'string' },
      'dry-run': { type: 'boolean' },
      install: { type: 'boolean' },
      git: { type: 'boolean' },
      pm: { type: 'string' },
      json: { type: 'boolean' },
      dir: { type: 'string' },
      url: { type: 'string' },
      format: { type: 'string' },
      'fail-on': { type: 'string' },
      ignore: { type: 'string' },
      'probe-rate-limit': { type: 'boolean' },
      audit: { type: 'boolean' },
      to: { type: 'string' },
      'allow-dirty': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      ...Object.fromEntries(optionFlags.map((flag) => [flag, { type: 'string' as const }])),
    },
  });
}

/** `--features ''` (or only commas) is a mistake, not "no extra features". */
function featureList(value: string): string[] {
  const ids = splitList(value);
  if (ids.length === 0) {
    throw new UserError('--features is empty.', 'Name at least one feature (see `create-hardened-api list`), or leave the flag out.');
  }
  return ids;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export const USAGE = `Usage:
  create-hardened-api [directory] [options]        create a new project
  create-hardened-api add <feature...> [options]   add features to an existing project (default: current directory)
  create-hardened-api upgrade [options]            bring a project up to this version, keeping your edits
  create-hardened-api list [--json]                list the optional features
  create-hardened-api check [options]              audit a project (and/or a running API) against the hardening checklist

Options:
  -y, --yes                      no prompts: defaults for everything not given
  --preset minimal|standard|full feature set (default: standard)
  --features a,b,c               features to add to the preset
  --dry-run                      print the plan (files and diff), write nothing
  --no-install, --no-git         skip dependency install / git init and first commit
  --pm npm|pnpm|yarn|bun         package manager (default: the one that ran this command)
  --json                         print one JSON result object on stdout (logs go to stderr)
  --dir <path>                   (add, upgrade, check) the project (default: current directory)
  --to <version>                 (upgrade) the version to upgrade to (default: this one)
  --allow-dirty                  (upgrade) run on a git work tree with uncommitted changes
Check options:
  --url <base-url>               also check a running API (loopback or a host you name; about 15 requests)
  --format text|json|sarif       report format (default: text)
  --fail-on high|medium|low|none exit 1 when a finding at or above this severity is not accepted (default: high)
  --ignore <id,...>              leave these rule ids out of the report
  --probe-rate-limit             (with --url) send up to 200 requests and expect a 429 with Retry-After
  --no-audit                     do not run npm audit --omit=dev
  Exit codes: 0 passed, 1 findings at or above --fail-on, 2 the check could not run.
  -h, --help, -v, --version`;
