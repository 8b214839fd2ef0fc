import path from 'node:path';
import type { CliArgs } from '../cli/args.ts';
import { log, printResult } from '../cli/output.ts';
import { commitChanges } from '../engine/commit.ts';
import { composeProject } from '../engine/compose.ts';
import { assertAllInsideProject } from '../engine/inside-project.ts';
import { GENERATED } from '../engine/project-target.ts';
import { addedRequirements, presetFeatures, resolveFeatures } from '../engine/resolve.ts';
import { checkNewProjectTarget, validateProjectName } from '../engine/target.ts';
import { Tree } from '../engine/tree.ts';
import { UserError } from '../errors.ts';
import { features as registry } from '../features/index.ts';
import { PRESETS, type Preset } from '../features/types.ts';
import { generatorVersion } from '../paths.ts';
import { initGit } from '../post/git.ts';
import { installDependencies } from '../post/install.ts';
import { detectPackageManager, type PackageManager, parsePackageManager, runScript } from '../post/package-manager.ts';
import { validateOptions } from './feature-options.ts';
import { describePlan, planJson } from './plan-output.ts';

export interface CreateChoices {
  directory: string;
  preset: Preset;
  extraFeatures: string[];
  options: Record<string, string[]>;
  pm: PackageManager;
  install: boolean;
  git: boolean;
}

/** Choices from flags alone; what is missing gets defaults under --yes, else is listed for the caller. */
export function choicesFromFlags(args: CliArgs): { choices: Partial<CreateChoices>; missing: string[] } {
  const choices: Partial<CreateChoices> = {};
  const missing: string[] = [];
  const directory = args.positionals[0];
  if (args.positionals.length > 1) throw new UserError(`Expected one directory, got: ${args.positionals.join(' ')}`);
  if (directory) choices.directory = directory;
  else missing.push('[directory]');
  if (args.preset !== undefined) choices.preset = parsePreset(args.preset);
  if (args.features !== undefined) choices.extraFeatures = args.features;
  if (args.preset === undefined && args.features === undefined) missing.push('--preset or --features');
  choices.options = args.featureOptions;
  if (args.pm !== undefined) choices.pm = parsePackageManager(args.pm);
  else missing.push('--pm');
  if (args.install !== undefined) choices.install = args.install;
  else missing.push('--install/--no-install');
  if (args.git !== undefined) choices.git = args.git;
  else missing.push('--git/--no-git');
  return { choices, missing };
}

export function withDefaults(choices: Partial<CreateChoices>): CreateChoices {
  if (!choices.directory) throw new UserError('Missing the project directory.', 'Example: create-hardened-api my-api --yes');
  return {
    directory: choices.directory,
    preset: choices.preset ?? 'standard',
    extraFeatures: choices.extraFeatures ?? [],
    options: choices.options ?? {},
    pm: choices.pm ?? detectPackageManager(),
    install: choices.install ?? true,
    git: choices.git ?? true,
  };
}

export async function create(choices: CreateChoices, args: Pick<CliArgs, 'dryRun' | 'json'>): Promise<void> {
  const directory = path.resolve(choices.directory);
  const name = path.basename(directory);
  validateProjectName(name);
  checkNewProjectTarget(directory);

  const requested = [...presetFeatures(choices.preset, registry), ...choices.extraFeatures];
  const features = resolveFeatures(requested, registry);
  for (const { added, by } of addedRequirements(requested, features)) log.info(`Adding ${added} (required by ${by}).`);
  const options = validateOptions(features, choices.options);

  const tree = new Tree(null);
  await composeProject({
    tree,
    previous: undefined,
    features,
    registry,
    answers: { name, options },
    target: GENERATED,
    version: generatorVersion,
  });
  const changes = tree.changes();
  assertAllInsideProject(
    directory,
    changes.map((c) => c.path),
  );
  if (args.dryRun) {
    printResult(
      args.json,
      { ok: true, command: 'create', dryRun: true, directory, features: features.map((f) => f.id), ...planJson(changes) },
      describePlan(changes),
    );
    return;
  }

  await commitChanges(directory, changes);
  if (!args.json) log.info(`Created ${name} in ${directory} (${changes.length} files).`);
  if (choices.install)
    await installDependencies(
      directory,
      choices.pm,
      args.json,
      changes.map((c) => c.path),
    );
  const git = choices.git ? await initGit(directory) : undefined;
  if (git && git.outcome !== 'committed' && !args.json) log.info(gitNote(git.outcome, git.detail));

  const relative = path.relative(process.cwd(), directory);
  const shown = relative.startsWith('..') || path.isAbsolute(relative) ? directory : relative || '.';
  const nextSteps = [
    `cd ${shown}`,
    ...(choices.install ? [] : [`${choices.pm} install`]),
    runScript(choices.pm, 'dev'),
    `${choices.pm} test`,
  ];
  printResult(
    args.json,
    {
      ok: true,
      command: 'create',
      directory,
      name,
      features: features.map((f) => f.id),
      files: changes.map((c) => c.path),
      installed: choices.install,
      git: git?.outcome ?? 'skipped',
      nextSteps,
    },
    `\nDone. Next steps:\n${nextSteps.map((s) => `  ${s}`).join('\n')}\n`,
  );
}

function parsePreset(value: string): Preset {
  const preset = PRESETS.find((p) => p === value);
  if (!preset) throw new UserError(`Unknown preset "${value}".`, `Use one of: ${PRESETS.join(', ')}.`);
  return preset;
}

function gitNote(outcome: string, detail?: string): string {
  switch (outcome) {
    case 'inside-work-tree':
      return 'Skipped git init: the directory is already inside a git work tree.';
    case 'git-missing':
      return 'Skipped git init: git is not installed.';
    default:
      return `Initialized git; the first commit was skipped${detail ? ` (${detail})` : ''}.`;
  }
}
