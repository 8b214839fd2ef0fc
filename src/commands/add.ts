import { statSync } from 'node:fs';
import path from 'node:path';
import type { CliArgs } from '../cli/args.ts';
import { log, printResult } from '../cli/output.ts';
import { commitChanges } from '../engine/commit.ts';
import { composeProject } from '../engine/compose.ts';
import { detectLayout, generatedLayout } from '../engine/layout.ts';
import { MANIFEST_FILE, type Manifest, readManifest } from '../engine/manifest.ts';
import { addedRequirements, resolveFeatures, unknownFeature } from '../engine/resolve.ts';
import { Tree } from '../engine/tree.ts';
import { UserError } from '../errors.ts';
import { features as registry } from '../features/index.ts';
import { generatorVersion } from '../paths.ts';
import { installDependencies } from '../post/install.ts';
import { detectPackageManager, parsePackageManager } from '../post/package-manager.ts';
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

  const directory = path.resolve(args.dir ?? '.');
  const tree = new Tree(directory);
  assertProject(directory, tree);
  const previous = readProjectManifest(tree, directory);
  const withBase = previous !== undefined && previous.base !== false;
  const existing = previous?.features ?? [];

  const already = args.positionals.filter((id) => existing.includes(id));
  for (const id of already) log.info(`${id} is already present; nothing to do for it.`);
  const requested = args.positionals.filter((id) => !existing.includes(id));
  if (requested.length === 0) {
    printResult(args.json, { ok: true, command: 'add', directory, added: [], files: [] }, 'Nothing to add.\n');
    return;
  }

  const features = resolveFeatures([...existing, ...requested], registry);
  const added = features.filter((f) => !existing.includes(f.id));
  for (const { added: id, by } of addedRequirements([...existing, ...requested], features)) log.info(`Adding ${id} (required by ${by}).`);
  const options = { ...(previous?.answers.options ?? {}), ...validateOptions(added, args.featureOptions) };
  const name = previous?.answers.name ?? packageName(tree) ?? path.basename(directory);

  await composeProject({
    tree,
    previous,
    features,
    registry,
    answers: { name, options },
    withBase,
    layout: withBase ? generatedLayout : detectLayout(directory),
    version: generatorVersion,
  });
  const changes = tree.changes();
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
  const pm = args.pm ? parsePackageManager(args.pm) : detectPackageManager();
  if (install && dependenciesChanged) await installDependencies(directory, pm, args.json);
  printResult(
    args.json,
    { ok: true, command: 'add', directory, added: addedIds, files: changes.map((c) => c.path), installed: install && dependenciesChanged },
    `\nDone.${install || !dependenciesChanged ? '' : ` Run \`${pm} install\` to install the new dependencies.`}\n`,
  );
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
  try {
    const manifest = readManifest(tree);
    if (manifest) return manifest;
  } catch (error) {
    throw new UserError(
      `${path.join(directory, MANIFEST_FILE)} is unreadable: ${(error as Error).message}.`,
      'Restore it from version control.',
    );
  }
  const pkg = JSON.parse(tree.read('package.json') ?? '{}') as { dependencies?: Record<string, string> };
  if (!pkg.dependencies?.fastify) {
    throw new UserError(
      `${directory} is neither a create-hardened-api project nor a Fastify project: looked for ${MANIFEST_FILE} and for "fastify" in the dependencies of package.json.`,
      'create-hardened-api add patches Fastify + TypeScript projects.',
    );
  }
  return undefined;
}

function packageName(tree: Tree): string | undefined {
  return (JSON.parse(tree.read('package.json') ?? '{}') as { name?: string }).name;
}
