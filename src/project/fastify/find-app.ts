import path from 'node:path';
import { Node, Project, type SourceFile } from 'ts-morph';
import type { Tree } from '../../engine/tree.ts';
import type { ProjectFacts } from '../facts.ts';
import { RefusalError } from '../refusal.ts';
import { type AppCandidate, type AppHolder, type FileFindings, findAppCandidates } from './app-candidates.ts';
import { autoloadedFolder, classifyStatement, importSpecifierOf, instanceCalls } from './statements.ts';

/** Where the app is, as `add` reports it and the mount patch finds it again. */
export interface FastifyAppLocation {
  /** The file our one registration line goes into. */
  file: string;
  holder: AppHolder;
  /** The instance expression in that file (`app`, `this.#fastify`, `fastify`). */
  instance: string;
  label: string;
  /** A plugins folder the app autoloads (@fastify/autoload): we add a file there instead of editing theirs. */
  autoloadDir: string | undefined;
}

const TEST_PATH = /(^|\/)(test|tests|__tests__|spec|e2e)\/|\.(test|spec)\.[cm]?ts$/;

/**
 * Finds the Fastify app by meaning: the value import of `fastify` and the call that creates the
 * instance, and what holds it (see AppHolder); when the project never creates one (fastify-cli), the app
 * plugin that registers the routes. Tests are not the app. Refuses with what it searched and found.
 */
export function findFastifyApp(tree: Tree, facts: ProjectFacts): FastifyAppLocation {
  const files = (facts.tsconfig?.files ?? []).filter((f) => !TEST_PATH.test(f));
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, skipFileDependencyResolution: true });
  const findings = new Map<string, { file: SourceFile; found: FileFindings }>();
  for (const file of files) {
    const text = tree.read(file);
    if (text === null || !text.includes('fastify')) continue;
    const source = project.createSourceFile(`/${file}`, text, { overwrite: true });
    findings.set(file, { file: source, found: findAppCandidates(source, file, facts.moduleSystem === 'esm') });
  }
  const all = [...findings].flatMap(([file, { file: source, found }]) =>
    found.candidates.map((c) => ({ path: file, source, candidate: c })),
  );
  const creations = all.filter((c) => c.candidate.creationCall !== undefined);
  const plugins = all.filter((c) => c.candidate.holder === 'app-plugin');

  let chosen: { path: string; source: SourceFile; candidate: AppCandidate } | undefined;
  if (creations.length > 0) {
    const ranked = creations
      .map((c) => ({ ...c, owner: routeOwner(c, findings), score: 0 }))
      .map((c) => ({ ...c, score: (c.owner ? 4 : 0) + (/^(app|server|index|main)\.[cm]?ts$/.test(path.basename(c.path)) ? 1 : 0) }))
      .sort((a, b) => b.score - a.score || a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
    const best = ranked[0];
    if (best) chosen = best.owner ?? best;
  } else if (plugins.length > 0) {
    const started = cliStartTarget(facts);
    chosen = plugins
      .map((c) => ({ ...c, score: pluginScore(c.path, c.source, c.candidate, started) }))
      .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path))[0];
  }
  if (!chosen) throw refusal(facts, files, findings);
  return {
    file: chosen.path,
    holder: chosen.candidate.holder,
    instance: chosen.candidate.instance,
    label: chosen.candidate.label,
    autoloadDir: autoloadedPluginsDir(chosen.path, chosen.source, chosen.candidate, tree),
  };
}

/** Re-finds the chosen candidate in a source file opened elsewhere (the patch's own project). */
export function candidateIn(file: SourceFile, location: FastifyAppLocation, esm: boolean): AppCandidate | undefined {
  return findAppCandidates(file, location.file, esm).candidates.find(
    (c) => c.holder === location.holder && c.instance === location.instance,
  );
}

type Located = { path: string; source: SourceFile; candidate: AppCandidate };

/**
 * Where the routes are configured for a created instance: its own statements, or an app plugin it
 * registers (an entry file doing `server.register(app)`): the plugin is then where ours belong, so that
 * the project's tests, which build the app plugin, get them too.
 */
function routeOwner(located: Located, findings: Map<string, { file: SourceFile; found: FileFindings }>): Located | undefined {
  const { candidate, source } = located;
  const routeStatements = candidate.container.getStatements().filter((s) => classifyStatement(s, candidate.instance, source) === 'route');
  if (routeStatements.length === 0) return undefined;
  // An entry file that only does `server.register(app)`: the app plugin is where the app is configured.
  const [only] = routeStatements;
  const registration =
    routeStatements.length === 1 && only ? instanceCalls(only, candidate.instance).find((c) => c.method === 'register') : undefined;
  const [plugin, options] = registration?.call.getArguments() ?? [];
  const prefixed = options !== undefined && Node.isObjectLiteralExpression(options) && options.getProperty('prefix') !== undefined;
  if (plugin && Node.isIdentifier(plugin) && !prefixed) {
    const target = resolveLocalModule(located.path, importSpecifierOf(source, plugin.getText()), findings);
    const entry = target ? findings.get(target) : undefined;
    const appPlugin = entry?.found.candidates.find((c) => c.holder === 'app-plugin');
    if (target && entry && appPlugin) return { path: target, source: entry.file, candidate: appPlugin };
  }
  return located;
}

function resolveLocalModule(from: string, specifier: string | undefined, findings: Map<string, unknown>): string | undefined {
  if (!specifier?.startsWith('.')) return undefined;
  const base = path.posix.join(path.posix.dirname(from), specifier).replace(/\.[cm]?[jt]s$/, '');
  return [`${base}.ts`, `${base}.mts`, `${base}.cts`, `${base}/index.ts`].find((f) => findings.has(f));
}

/** `fastify start ... dist/app.js` in a script: the app plugin fastify-cli loads, as a source path without extension. */
function cliStartTarget(facts: ProjectFacts): string | undefined {
  const scripts = Object.values((facts.packageJson.scripts ?? {}) as Record<string, string>);
  for (const script of scripts) {
    const match = /\bfastify\s+start\b.*?\s([\w./-]+\.[cm]?[jt]s)\b/.exec(script);
    if (!match?.[1]) continue;
    const outDir = facts.tsconfig?.outDir;
    let target = match[1].replace(/^\.\//, '');
    if (outDir && target.startsWith(`${outDir}/`)) target = target.slice(outDir.length + 1);
    return target.replace(/\.[cm]?[jt]s$/, '');
  }
  return undefined;
}

function pluginScore(file: string, source: SourceFile, candidate: AppCandidate, started: string | undefined): number {
  let score = 0;
  const withoutExtension = file.replace(/\.[cm]?ts$/, '');
  if (started && (withoutExtension === started || withoutExtension.endsWith(`/${started}`))) score += 5;
  const registers = candidate.container
    .getStatements()
    .some((s) => instanceCalls(s, candidate.instance).some((c) => c.method === 'register'));
  if (registers) score += 2;
  if (/^app\.[cm]?ts$/.test(path.basename(file))) score += 1;
  if (/(^|\/)routes?\//.test(file)) score -= 3;
  return score + (source.getDefaultExportSymbol() ? 1 : 0);
}

/** `register(AutoLoad, { dir: join(__dirname, 'plugins') })` in the app: that folder, if it exists. */
function autoloadedPluginsDir(file: string, source: SourceFile, candidate: AppCandidate, tree: Tree): string | undefined {
  for (const statement of candidate.container.getStatements()) {
    for (const { method, call } of instanceCalls(statement, candidate.instance)) {
      if (method !== 'register') continue;
      const [plugin, options] = call.getArguments();
      const specifier = plugin && Node.isIdentifier(plugin) ? importSpecifierOf(source, plugin.getText()) : undefined;
      if (!specifier || !/autoload/.test(specifier) || !options || !Node.isObjectLiteralExpression(options)) continue;
      const named = autoloadedFolder(options);
      if (!/(^|\/)plugins?$/.test(named)) continue;
      const folder = path.posix.join(path.posix.dirname(file), named);
      if (tree.isDirectory(folder)) return folder;
    }
  }
  return undefined;
}

function refusal(
  facts: ProjectFacts,
  files: readonly string[],
  findings: Map<string, { file: SourceFile; found: FileFindings }>,
): RefusalError {
  const notes: string[] = [];
  for (const [file, { found }] of findings) {
    if (found.binding.typesOnly) notes.push(`${file} imports only types from fastify`);
    for (const u of found.unsupported) notes.push(`${file}:${u.line}: ${u.reason}`);
    if (!found.binding.typesOnly && found.binding.imported && found.unsupported.length === 0 && found.candidates.length === 0) {
      notes.push(`${file} imports fastify but neither creates an instance nor registers routes on one`);
    }
  }
  const searched = `searched ${files.length} TypeScript file${files.length === 1 ? '' : 's'} of ${facts.tsconfig?.path ?? 'the project'}`;
  return new RefusalError(
    `Could not find the Fastify app in ${facts.root}: ${searched} for a call of fastify's value import (fastify(), Fastify(), any local name) kept in a variable, a class field or a module constant, and for an app plugin (a function taking a FastifyInstance that registers the routes).${
      notes.length > 0 ? ` Found instead: ${notes.slice(0, 6).join('; ')}.` : ' No file imports fastify.'
    }`,
  );
}
