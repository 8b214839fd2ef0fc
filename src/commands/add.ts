import { statSync } from 'node:fs';
import path from 'node:path';
import type { CliArgs } from '../cli/args.ts';
import { log, printResult } from '../cli/output.ts';
import { commitChanges } from '../engine/commit.ts';
import { composeProject } from '../engine/compose.ts';
import { assertAllInsideProject } from '../engine/inside-project.ts';
import { MANIFEST_FILE, type Manifest, readManifest } from '../engine/manifest.ts';
import { parsePackageJson } from '../engine/package-json.ts';
import { GENERATED, type ProjectTarget } from '../engine/project-target.ts';
import { addedRequirements, resolveFeatures, unknownFeature } from '../engine/resolve.ts';
import { Tree } from '../engine/tree.ts';
import { UserError } from '../errors.ts';
import { features as registry } from '../features/index.ts';
import type { FeatureDefinition } from '../features/types.ts';
import { generatorVersion } from '../paths.ts';
import { installDependencies } from '../post/install.ts';
import { detectPackageManager, parsePackageManager } from '../post/package-manager.ts';
import { assertVersion, compareVersions } from '../upgrade/versions.ts';
import { validateOptions } from './feature-options.ts';
import { describePlan, planJson } from './plan-output.ts';

/** Patches features into an existing project through the same compose/commit path as `create`. */
export async function add(args: CliArgs): Promise<void> {
  if (args.positionals.length === 0) {
    throw new UserError(
      'Name at least one feature to add.',
      `Example: create-hardened-api add ${registry[0]?.id ?? '<feature>'}. See \`create-hardened-api list\`.`,
    );
  }
  for (const id of args.positionals) if (!registry.some((f) => f.id === id)) throw unknownFeature(id, registry);
  const pm = args.pm ? parsePackageManager(args.pm) : undefined;

  const directory = path.resolve(args.dir ?? '.');
  const tree = new Tree(directory);
  assertProject(directory, tree);
  const previous = readProjectManifest(tree, directory);
  const target = await targetOf(tree, previous);
  const existing = previous?.features ?? [];

  assertNoChoicesForPresent(args.featureOptions, existing, previous?.answers.options ?? {});
  const already = args.positionals.filter((id) => existing.includes(id));
  for (const id of already) log.info(`${id} is already present; nothing to do for it.`);
  let requested = args.positionals.filter((id) => !existing.includes(id));
  if (target.kind === 'foreign') requested = await withoutEquivalents(tree, target, requested);
  if (requested.length === 0) {
    printResult(args.json, { ok: true, command: 'add', directory, added: [], files: [] }, 'Nothing to add.\n');
    return;
  }

  const features = resolveFeatures([...existing, ...requested], registry);
  const added = features.filter((f) => !existing.includes(f.id));
  if (target.kind === 'foreign') assertOfferedHere(added, target);
  for (const { added: id, by } of addedRequirements([...existing, ...requested], features)) log.info(`Adding ${id} (required by ${by}).`);
  const options = { ...(previous?.answers.options ?? {}), ...validateOptions(added, args.featureOptions) };
  const name = previous?.answers.name ?? packageName(tree) ?? path.basename(directory);
  if (target.kind === 'foreign' && !args.json) {
    log.info(`Found the app: ${target.app.label}.`);
    if (target.envSchema)
      log.info(`Settings: new variables are declared in ${target.envSchema.label} too (secrets only in ${target.supportDir}/config.ts).`);
  }

  await composeProject({ tree, previous, features, registry, answers: { name, options }, target, version: generatorVersion });
  const changes = tree.changes();
  assertAllInsideProject(
    directory,
    changes.map((c) => c.path),
  );
  const addedIds = added.map((f) => f.id);
  if (args.dryRun) {
    printResult(
      args.json,
      { ok: true, command: 'add', dryRun: true, directory, added: addedIds, ...planJson(changes) },
      describePlan(changes),
    );
    return;
  }
  await commitChanges(directory, changes);
  if (!args.json) log.info(`Added ${addedIds.join(', ')} (${changes.length} files changed).`);

  const dependenciesChanged = changes.some((c) => c.path === 'package.json');
  const install = args.install ?? true;
  const manager = pm ?? (target.kind === 'foreign' ? target.facts.packageManager : detectPackageManager());
  if (install && dependenciesChanged)
    await installDependencies(
      directory,
      manager,
      args.json,
      changes.map((c) => c.path),
    );
  printResult(
    args.json,
    { ok: true, command: 'add', directory, added: addedIds, files: changes.map((c) => c.path), installed: install && dependenciesChanged },
    `\nDone.${install || !dependenciesChanged ? '' : ` Run \`${manager} install\` to install the new dependencies.`}\n`,
  );
}

/** Ours (the manifest says we generated it), or one we did not generate: read it and find its app. */
async function targetOf(tree: Tree, previous: Manifest | undefined): Promise<ProjectTarget> {
  if (previous !== undefined && previous.base !== false) return GENERATED;
  const { foreignTarget } = await import('../project/foreign-target.ts');
  return foreignTarget(tree, previous);
}

/** Features the project already has an equivalent of are skipped, saying what was found. */
async function withoutEquivalents(
  tree: Tree,
  target: Extract<ProjectTarget, { kind: 'foreign' }>,
  ids: readonly string[],
): Promise<string[]> {
  const { findEquivalent } = await import('../project/equivalents.ts');
  return ids.filter((id) => {
    const equivalents = registry.find((f) => f.id === id)?.equivalents ?? [];
    const found = findEquivalent(tree, target.facts, equivalents);
    if (found) log.info(`${id}: the project already has it (${found}); nothing to do for it.`);
    return !found;
  });
}

/** `add auth --auth mfa` on a project that has auth: its choices were made when it was added. */
function assertNoChoicesForPresent(
  given: Readonly<Record<string, string[]>>,
  existing: readonly string[],
  recorded: Readonly<Record<string, string[]>>,
): void {
  for (const id of Object.keys(given)) {
    if (!existing.includes(id)) continue;
    const flag = registry.find((f) => f.id === id)?.option?.flag ?? id;
    throw new UserError(
      `${id} is already in the project (--${flag} ${(recorded[id] ?? []).join(',') || '(none)'}); add cannot change its choices.`,
      'Change them in the code, or generate a new project with the choices you want. Nothing was written.',
    );
  }
}

function assertOfferedHere(features: readonly FeatureDefinition[], target: Extract<ProjectTarget, { kind: 'foreign' }>): void {
  for (const feature of features) {
    if (feature.unsupportedForeign) {
      throw new UserError(
        `${feature.id} cannot be added to a project we did not generate: ${feature.unsupportedForeign}`,
        'Nothing was written.',
      );
    }
    const onFastify4 = feature.fastify4;
    if (target.facts.framework?.major === 4 && onFastify4 && 'unsupported' in onFastify4) {
      throw new UserError(`${feature.id} cannot be added to a Fastify 4 project: ${onFastify4.unsupported}`, 'Nothing was written.');
    }
  }
}

function assertProject(directory: string, tree: Tree): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) throw new UserError(`${directory} is not a directory.`, 'Pass the project with --dir <path> or run inside it.');
  if (!tree.exists('package.json')) {
    throw new UserError(`No package.json in ${directory}: this is not a Node.js project.`, 'Run inside the project, or pass --dir <path>.');
  }
}

function readProjectManifest(tree: Tree, directory: string): Manifest | undefined {
  let manifest: Manifest | undefined;
  try {
    manifest = readManifest(tree);
  } catch (error) {
    throw new UserError(
      `${path.join(directory, MANIFEST_FILE)} is unreadable: ${(error as Error).message}.`,
      'Restore it from version control.',
    );
  }
  if (manifest) assertNotNewer(manifest.version);
  return manifest;
}

/** A project written by a newer version may hold what this one does not know: never downgrade it silently. */
function assertNotNewer(version: string): void {
  assertVersion(version, `The version in ${MANIFEST_FILE}`);
  if (compareVersions(version, generatorVersion) > 0) {
    throw new UserError(
      `This project was written by create-hardened-api ${version}, newer than this one (${generatorVersion}).`,
      'Run the newer version: npx create-hardened-api@latest add <feature>.',
    );
  }
}

function packageName(tree: Tree): string | undefined {
  const name = parsePackageJson(tree.read('package.json') ?? '{}').name;
  return typeof name === 'string' ? name : undefined;
}
