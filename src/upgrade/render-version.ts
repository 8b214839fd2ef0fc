import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { MANIFEST_FILE, type Manifest, serializeManifest } from '../engine/manifest.ts';
import type { RenderedFile } from '../engine/render.ts';
import { npmNameProblem } from '../engine/target.ts';
import { UserError } from '../errors.ts';
import { foreignSupport } from '../features/foreign.ts';
import { features as registry } from '../features/index.ts';
import { serializeLike } from './merge-package-json.ts';
import type { RenderedProject } from './plan.ts';

/** Never copied into a render, never read back from one. */
const SKIPPED = new Set(['node_modules', '.git']);

/**
 * What create-hardened-api at one version writes for this project, rendered by that version's own CLI
 * into `scratch` (never into the project): `create` with the recorded features and answers for a
 * project we generated; for one we did not, `add` with the recorded features on a copy of the project
 * without our files (so its app, formatter and conventions decide, as they did the first time).
 */
export async function renderVersion(
  cli: string,
  version: string,
  manifest: Manifest,
  project: string,
  scratch: string,
): Promise<RenderedProject> {
  const flags = optionFlags(manifest);
  let dir: string;
  let args: string[];
  if (manifest.base === false) {
    dir = path.join(scratch, path.basename(project));
    copyWithoutOurFiles(project, dir, manifest);
    args = ['add', ...manifest.features, '--dir', dir, '--no-install', ...flags];
  } else {
    // The name comes from a file the user can edit: as a path it must not leave the scratch directory.
    const problem = npmNameProblem(manifest.answers.name);
    if (problem)
      throw new UserError(
        `The manifest's answers.name "${manifest.answers.name}" is not a valid project name: ${problem}.`,
        'Correct it in .hardened-api.json.',
      );
    dir = path.join(scratch, manifest.answers.name);
    args = [dir, '--yes', '--preset', 'minimal', '--no-install', '--no-git', ...flags];
    if (manifest.features.length > 0) args.push('--features', manifest.features.join(','));
  }
  try {
    await promisify(execFile)(process.execPath, [cli, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const reason = stderr.split('\n').find((l) => l.startsWith('error:')) ?? (error as Error).message;
    throw new UserError(`create-hardened-api ${version} could not render this project: ${reason.replace(/^error:\s*/, '')}`);
  }
  return readRender(dir);
}

/** `--auth jwt,api-key`: the recorded sub-choices as the CLI takes them. */
function optionFlags(manifest: Manifest): string[] {
  return Object.entries(manifest.answers.options).flatMap(([id, values]) => {
    if (!manifest.features.includes(id) || values.length === 0) return [];
    const flag = registry.find((f) => f.id === id)?.option?.flag ?? id;
    return [`--${flag}`, values.join(',')];
  });
}

/**
 * The project as it was before `add` wrote into it, as far as a render needs: without the files we
 * wrote and without the dependencies we declare (so that each version adds its own), with our manifest
 * (its folder, no features yet) and the project's node_modules (its formatter formats what we write).
 */
function copyWithoutOurFiles(project: string, dir: string, manifest: Manifest): void {
  const ours = new Set([MANIFEST_FILE, ...Object.keys(manifest.files)]);
  cpSync(project, dir, {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(project, source).split(path.sep).join('/');
      return relative === '' || (!SKIPPED.has(relative.split('/')[0] as string) && !ours.has(relative));
    },
  });
  if (existsSync(path.join(project, 'node_modules')))
    symlinkSync(path.join(project, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, MANIFEST_FILE), serializeManifest({ ...manifest, features: [], files: {} }));
  const packageFile = path.join(dir, 'package.json');
  const text = readFileSync(packageFile, 'utf8');
  const pkg = JSON.parse(text) as Record<string, unknown> & { dependencies?: Record<string, string> };
  const declared = new Set(
    [foreignSupport, ...registry.filter((f) => manifest.features.includes(f.id))].flatMap((f) => [
      ...Object.keys(f.dependencies ?? {}),
      ...(f.fastify4 && 'dependencies' in f.fastify4 ? Object.keys(f.fastify4.dependencies) : []),
    ]),
  );
  if (!pkg.dependencies || !Object.keys(pkg.dependencies).some((name) => declared.has(name))) return;
  pkg.dependencies = Object.fromEntries(Object.entries(pkg.dependencies).filter(([name]) => !declared.has(name)));
  writeFileSync(packageFile, serializeLike(pkg, text));
}

function readRender(root: string): Map<string, RenderedFile> {
  const files = new Map<string, RenderedFile>();
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      if (relative === '' && SKIPPED.has(entry.name)) continue;
      const file = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) {
        const absolute = path.join(root, file);
        files.set(file, { path: file, content: readFileSync(absolute, 'utf8'), executable: (statSync(absolute).mode & 0o111) !== 0 });
      }
    }
  };
  walk('');
  return files;
}
