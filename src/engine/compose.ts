import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { base } from '../features/base.ts';
import type { FeatureDefinition } from '../features/types.ts';
import type { ConfigProperty } from '../patch/config-property.ts';
import type { OrderKeys, Patch } from '../patch/types.ts';
import { templatesRoot } from '../paths.ts';
import { mergeEnvExample } from './env-file.ts';
import type { Layout } from './layout.ts';
import { type Answers, hashContent, isPristine, MANIFEST_FILE, type Manifest, serializeManifest } from './manifest.ts';
import { mergePackageJson } from './package-json.ts';
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
  /** False for a project we did not generate: only feature files and patches apply. */
  withBase: boolean;
  layout: Layout;
  version: string;
  /** Where the templates are; tests point this at fixtures. */
  templatesDir?: string;
}

/**
 * Brings the in-memory tree to the state "base + these features", the same way for `create` and
 * `add`: render every template with the final feature set, keep the user's edits (patch targets are
 * patched in place, anything else edited is a conflict), merge package.json/.env.example/README,
 * apply every patch (patches are idempotent), then record the manifest.
 */
export async function composeProject(input: ComposeInput): Promise<void> {
  const { tree, previous, features, answers } = input;
  const context = templateContext(input);
  const templates = input.templatesDir ?? templatesRoot;
  const ownedByUs = new Set<string>();
  const conflicts: string[] = [];

  const rendered = new Map<string, string>();
  const write = (file: RenderedFile): void => {
    const earlier = rendered.get(file.path);
    if (earlier !== undefined && earlier !== file.content) {
      throw new Error(`Two templates render ${file.path} differently: a file belongs to one feature (or to templates/shared/).`);
    }
    rendered.set(file.path, file.content);
    const current = tree.read(file.path);
    if (current === null || current === file.content || isPristine(previous, file.path, current)) {
      tree.write(file.path, file.content, { executable: file.executable });
      ownedByUs.add(file.path);
    } else if (previous?.files[file.path] === hashContent(file.content)) {
      // We would write what we wrote last time: the user's edits stand.
    } else if (!base.patchTargets.includes(file.path)) {
      conflicts.push(file.path);
    }
  };
  if (input.withBase) for (const file of renderFolder(path.join(templates, 'base/files'), context)) write(file);
  const sharedFolders = new Set(features.flatMap((f) => f.shared));
  for (const folder of sharedFolders) {
    for (const file of renderFolder(path.join(templates, 'shared', folder, 'files'), context)) write(file);
  }
  for (const feature of features) {
    for (const file of renderFolder(path.join(templates, 'features', feature.id, 'files'), context)) write(file);
  }
  if (conflicts.length > 0) {
    throw new UserError(
      `These files were changed since they were generated and would have to be rewritten: ${conflicts.join(', ')}.`,
      'Nothing was written. Move your changes aside (or commit them and restore our version), then run the command again.',
    );
  }

  const rank = titleRank(input.registry);
  for (const feature of features) mergeFeatureFiles(tree, feature, rank, context, templates);
  await applyPatches(input, orderKeys(input.registry));

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
    ...(input.withBase ? {} : { base: false }),
    features: features.map((f) => f.id),
    answers,
    files,
  };
  tree.write(MANIFEST_FILE, serializeManifest(manifest));
}

function templateContext(input: ComposeInput): Record<string, unknown> {
  const selected = new Set(input.features.map((f) => f.id));
  return {
    name: input.answers.name,
    generatorVersion: input.version,
    has: Object.fromEntries(input.registry.map((f) => [f.id, selected.has(f.id)])),
    options: Object.fromEntries(
      input.registry.map((f) => [f.id, Object.fromEntries((input.answers.options[f.id] ?? []).map((o) => [o, true]))]),
    ),
  };
}

function mergeFeatureFiles(
  tree: Tree,
  feature: FeatureDefinition,
  rank: (title: string) => number | undefined,
  context: Record<string, unknown>,
  templates: string,
): void {
  const pkg = tree.read('package.json');
  if (pkg !== null) tree.write('package.json', mergePackageJson(pkg, feature));
  const chosen = Object.keys((context.options as Record<string, Record<string, boolean>>)[feature.id] ?? {});
  const env = feature.env.filter((v) => v.choice === undefined || chosen.includes(v.choice));
  if (env.length > 0) tree.write('.env.example', mergeEnvExample(tree.read('.env.example') ?? '', feature.title, env, rank));
  const section = readSection(path.join(templates, 'features', feature.id, 'readme.md'), context);
  const readme = tree.read('README.md');
  if (section && readme !== null) tree.write('README.md', mergeReadmeSection(readme, section, rank));
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
  const { applyConfigProperties, isConfigPropertyPatch } = await import('../patch/config-property.ts');
  const files = openSourceFiles(input.tree);
  const configProperties = new Map<string, (ConfigProperty & { key: readonly number[] })[]>();
  for (const { patch, key } of planned) {
    const filePath = input.layout.resolve(patch.role);
    if (isConfigPropertyPatch(patch)) {
      configProperties.set(filePath, [...(configProperties.get(filePath) ?? []), { ...patch.configProperty, key }]);
      continue;
    }
    patch.apply({ file: files.get(filePath), path: filePath, order, key });
  }
  for (const [filePath, additions] of configProperties) applyConfigProperties(files.get(filePath), filePath, order, additions);
  files.flush();
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
