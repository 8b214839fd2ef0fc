import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ts as TypeScript } from 'ts-morph';
import { UserError } from '../errors.ts';
import { base } from '../features/base.ts';
import { foreignSupport } from '../features/foreign.ts';
import type { FeatureDefinition } from '../features/types.ts';
import type { ConfigProperty } from '../patch/config-property.ts';
import type { OrderKeys, Patch } from '../patch/types.ts';
import { templatesRoot } from '../paths.ts';
import { formatChanges, projectFormatter } from '../project/formatter.ts';
import { dependenciesFor } from './dependencies.ts';
import { mergeEnvExample } from './env-file.ts';
import { type Answers, hashContent, isPristine, MANIFEST_FILE, type Manifest, serializeManifest } from './manifest.ts';
import { mergePackageJson } from './package-json.ts';
import { placeFile } from './placement.ts';
import { type ForeignTarget, fileForRole, type ProjectTarget, projectContext, projectPaths } from './project-target.ts';
import { mergeReadmeSection } from './readme.ts';
import { type RenderedFile, renderFolder, renderString } from './render.ts';
import type { Tree } from './tree.ts';

export interface ComposeInput {
  tree: Tree;
  /** The manifest on disk, if the project has one. */
  previous: Manifest | undefined;
  /** Every feature the project will have (already resolved and in registry order). */
  features: readonly FeatureDefinition[];
  registry: readonly FeatureDefinition[];
  answers: Answers;
  /** Our own project (the base is ours), or one we did not generate (only our folder and patches). */
  target: ProjectTarget;
  version: string;
  /** Where the templates are; tests point this at fixtures. */
  templatesDir?: string;
}

interface Rendered extends RenderedFile {
  /** Who renders it (a feature id, `base`, ...), for messages. */
  source: string;
}

/**
 * Brings the in-memory tree to the state "base (or our folder) + these features", the same way for
 * `create` and `add`: render every template with the final feature set, keep the user's edits (patch
 * targets are patched in place, anything else edited is a conflict, a file we never wrote is never
 * replaced), merge package.json/.env.example/README, apply every patch (patches are idempotent), then
 * record the manifest.
 */
export async function composeProject(input: ComposeInput): Promise<void> {
  const { tree, previous, features, answers, target } = input;
  const ts = target.kind === 'foreign' ? (await import('ts-morph')).ts : undefined;
  const context = templateContext(input);
  const patchTargets = patchTargetsOf(target);
  const ownedByUs = new Set<string>();
  const edited: string[] = [];
  const theirs: string[] = [];

  const rendered = new Map<string, string>();
  const write = (file: Rendered): void => {
    const earlier = rendered.get(file.path);
    if (earlier !== undefined && earlier !== file.content) {
      throw new Error(`Two templates render ${file.path} differently: a file belongs to one feature (or to templates/shared/).`);
    }
    rendered.set(file.path, file.content);
    const current = tree.read(file.path);
    const clash = current === null && target.kind === 'foreign' ? caseInsensitiveTwin(tree, file.path) : undefined;
    if (clash) theirs.push(`${clash} (${file.source} writes ${file.path})`);
    else if (current === null || current === file.content || isPristine(previous, file.path, current)) {
      tree.write(file.path, file.content, { executable: file.executable });
      ownedByUs.add(file.path);
    } else if (previous?.files[file.path] === hashContent(file.content)) {
      // We would write what we wrote last time: the user's edits stand.
    } else if (patchTargets.includes(file.path)) {
      // Patched in place below.
    } else if (target.kind === 'foreign' && previous?.files[file.path] === undefined) {
      theirs.push(`${file.path} (${file.source})`);
    } else {
      edited.push(file.path);
    }
  };
  const formatter = target.kind === 'foreign' ? await projectFormatter(target.facts.root, target.facts.style) : undefined;
  const formatted = new Map<string, string>();
  for (const file of renderAll(input, context, ts)) {
    if (formatter) {
      file.content = await formatter.format(file.path, file.content);
      formatted.set(file.path, file.content);
    }
    write(file);
  }
  if (theirs.length > 0) {
    throw new UserError(
      `These files are already in the project and are yours (create-hardened-api did not write them): ${theirs.join(', ')}.`,
      'Nothing was written. Move yours aside and run the command again (then merge what you need), or add the other features without this one.',
    );
  }
  if (edited.length > 0) {
    throw new UserError(
      `These files were changed since they were generated and would have to be rewritten: ${edited.join(', ')}.`,
      'Nothing was written. Move your changes aside (or commit them and restore our version), then run the command again.',
    );
  }

  const rank = titleRank(input.registry);
  mergePackage(tree, target, features);
  for (const feature of features) mergeFeatureDocs(tree, target, feature, rank, context, templateRoot(input));
  await applyPatches(input, orderKeys(input.registry));
  if (target.kind === 'foreign') {
    const { mountSupport } = await import('../project/fastify/mount.ts');
    mountSupport(tree, target, ownedByUs);
  }
  // Patches, merges and the mount edited files after they were formatted: the project's formatter has the last word.
  if (formatter) await formatChanges(tree, formatter, formatted);

  const files: Record<string, string> = { ...(previous?.files ?? {}) };
  for (const change of tree.changes()) {
    const before = change.before;
    const wasOurs = before === null || ownedByUs.has(change.path) || isPristine(previous, change.path, before);
    if (wasOurs) files[change.path] = hashContent(change.after);
    else delete files[change.path];
  }
  const manifest: Manifest = {
    generator: 'create-hardened-api',
    version: input.version,
    ...(target.kind === 'foreign' ? { base: false as const, support: target.supportDir } : {}),
    features: features.map((f) => f.id),
    answers,
    files,
  };
  const text = serializeManifest(manifest);
  tree.write(MANIFEST_FILE, formatter ? await formatter.format(MANIFEST_FILE, text) : text);
}

function templateRoot(input: ComposeInput): string {
  return input.templatesDir ?? templatesRoot;
}

/** Every template of the project, in order: the base (or our folder in a foreign project), shared folders, features. */
function* renderAll(input: ComposeInput, context: Record<string, unknown>, ts: typeof TypeScript | undefined): Generator<Rendered> {
  const templates = templateRoot(input);
  const { target, features } = input;
  const folders: [string, string][] =
    target.kind === 'generated' ? [['base', 'base/files']] : [['create-hardened-api', `foreign/${target.framework}/files`]];
  const shared = new Set([...(target.kind === 'generated' ? base.shared : foreignSupport.shared), ...features.flatMap((f) => f.shared)]);
  for (const folder of shared) folders.push([folder, `shared/${folder}/files`]);
  for (const feature of features) folders.push([feature.id, `features/${feature.id}/files`]);
  for (const [source, folder] of folders) {
    for (const file of renderFolder(path.join(templates, folder), context)) {
      const placed = placeFile(file, target, ts);
      if (placed) yield { ...placed, source };
    }
  }
}

function patchTargetsOf(target: ProjectTarget): readonly string[] {
  if (target.kind === 'generated') return base.patchTargets;
  return [fileForRole(target, 'app'), fileForRole(target, 'config'), `${target.supportDir}/README.md`];
}

/** `.github/workflows/CI.yml` when we would write `ci.yml`: on a case-insensitive checkout they are one file. */
function caseInsensitiveTwin(tree: Tree, file: string): string | undefined {
  if (!tree.root) return undefined;
  const dir = path.posix.dirname(file);
  const name = path.posix.basename(file).toLowerCase();
  const twin = tree.listDirectory(dir).find((entry) => entry.toLowerCase() === name && entry !== path.posix.basename(file));
  return twin ? (dir === '.' ? twin : `${dir}/${twin}`) : undefined;
}

function templateContext(input: ComposeInput): Record<string, unknown> {
  const selected = new Set(input.features.map((f) => f.id));
  const { target } = input;
  return {
    name: input.answers.name,
    generatorVersion: input.version,
    project: projectContext(target),
    ...(target.kind === 'foreign' ? { app: { file: target.app.file } } : {}),
    has: Object.fromEntries(input.registry.map((f) => [f.id, selected.has(f.id)])),
    options: Object.fromEntries(
      input.registry.map((f) => [f.id, Object.fromEntries((input.answers.options[f.id] ?? []).map((o) => [o, true]))]),
    ),
  };
}

function mergePackage(tree: Tree, target: ProjectTarget, features: readonly FeatureDefinition[]): void {
  const text = tree.read('package.json');
  if (text === null) return;
  let merged = text;
  if (target.kind === 'foreign') merged = mergePackageJson(merged, dependenciesFor(foreignSupport, target));
  for (const feature of features) merged = mergePackageJson(merged, dependenciesFor(feature, target));
  tree.write('package.json', merged);
}

/**
 * A feature's documentation: its variables in `.env.example` (ours always; a foreign project's when it
 * has one), and its README section (`templates/features/<id>/readme.md`): in our README, or in the
 * README of our folder in a foreign project.
 */
function mergeFeatureDocs(
  tree: Tree,
  target: ProjectTarget,
  feature: FeatureDefinition,
  rank: (title: string) => number | undefined,
  context: Record<string, unknown>,
  templates: string,
): void {
  const chosen = Object.keys((context.options as Record<string, Record<string, boolean>>)[feature.id] ?? {});
  const env = feature.env.filter((v) => v.choice === undefined || chosen.includes(v.choice));
  const envExample = tree.read('.env.example');
  if (env.length > 0 && (envExample !== null || target.kind === 'generated')) {
    tree.write('.env.example', mergeEnvExample(envExample ?? '', feature.title, env, rank));
  }
  const section = readSection(path.join(templates, 'features', feature.id, 'readme.md'), context);
  const readmePath = target.kind === 'generated' ? 'README.md' : `${target.supportDir}/README.md`;
  const readme = tree.read(readmePath);
  if (section && readme !== null) tree.write(readmePath, mergeReadmeSection(readme, section, rank));
}

/**
 * A feature's README section: `templates/features/<id>/readme.md` (Handlebars), if it has one. It is
 * written once, when the feature is added, so it cannot depend on which other features are present:
 * `has` is left out of its context (strict rendering then rejects any use of it).
 */
function readSection(file: string, context: Record<string, unknown>): string | undefined {
  if (!existsSync(file)) return undefined;
  const { has: _otherFeatures, ...stable } = context;
  try {
    return renderString(readFileSync(file, 'utf8'), stable);
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message} (a README section may use options, not has)`);
  }
}

async function applyPatches(input: ComposeInput, order: OrderKeys): Promise<void> {
  const planned: { patch: Patch; key: number[] }[] = [];
  for (const feature of input.features) {
    const index = input.registry.indexOf(feature);
    const chosen = input.answers.options[feature.id] ?? [];
    feature.patches.forEach((patch, j) => {
      if (patch.choice === undefined || chosen.includes(patch.choice)) planned.push({ patch, key: [index, j] });
    });
  }
  if (planned.length === 0) return;

  const { openSourceFiles } = await import('../patch/project.ts');
  const { isConfigPropertyPatch } = await import('../patch/config-property.ts');
  const { applyConfigProperties } = await import('../patch/config-property-apply.ts');
  const foreign = input.target.kind === 'foreign' ? input.target : undefined;
  const files = openSourceFiles(input.tree, foreign?.facts.style);
  const configProperties = new Map<string, (ConfigProperty & { key: readonly number[] })[]>();
  const paths = projectPaths(input.target);
  for (const { patch, key } of planned) {
    const filePath = fileForRole(input.target, patch.role);
    if (isConfigPropertyPatch(patch)) {
      configProperties.set(filePath, [...(configProperties.get(filePath) ?? []), { ...patch.configProperty, key }]);
      continue;
    }
    await patch.apply({ file: files.get(filePath), path: filePath, order, key, paths });
  }
  for (const [filePath, additions] of configProperties) applyConfigProperties(files.get(filePath), filePath, order, additions);
  const envSchema = foreign?.envSchema;
  if (foreign && envSchema) {
    const { declareInProjectSchema } = await import('../project/env-schema/declare.ts');
    declareInProjectSchema(files.get(envSchema.file), envSchema, [...configProperties.values()].flat(), foreign.facts.style);
  }
  files.flush();
  if (foreign) await restyleOwnFiles(input.tree, foreign, [fileForRole(foreign, 'app'), fileForRole(foreign, 'config')]);
}

/** Patches write in our templates' style; our files in a foreign project follow the project's. */
async function restyleOwnFiles(tree: Tree, target: ForeignTarget, paths: readonly string[]): Promise<void> {
  const { ts } = await import('ts-morph');
  const { restyleQuotesAndSemicolons } = await import('../project/adapt-source.ts');
  for (const file of paths) {
    const text = tree.read(file);
    if (text !== null) tree.write(file, restyleQuotesAndSemicolons(text, target.facts.style, ts));
  }
}

/** Sort keys for everything patches insert: (feature index in the registry, patch index). */
function orderKeys(registry: readonly FeatureDefinition[]): OrderKeys {
  const keys = new Map<string, number[]>();
  registry.forEach((feature, i) => {
    feature.patches.forEach((patch, j) => {
      keys.set(`${patch.kind}:${patch.identity}`, [i, j]);
    });
  });
  return { of: (kind, identity) => keys.get(`${kind}:${identity}`) };
}

function titleRank(registry: readonly FeatureDefinition[]): (title: string) => number | undefined {
  const ranks = new Map(registry.map((f, i) => [f.title, i]));
  return (title) => ranks.get(title);
}
