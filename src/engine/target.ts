import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { UserError } from '../errors.ts';

const NPM_NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** Why `name` is not a valid npm package name, or undefined when it is. */
export function npmNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 214) return 'it is longer than 214 characters';
  if (name !== name.toLowerCase()) return 'it has upper-case letters';
  if (/^[._]/.test(name)) return 'it starts with "." or "_"';
  if (name.trim() !== name || /\s/.test(name)) return 'it contains spaces';
  if (builtinModules.includes(name) || name === 'node_modules' || name === 'favicon.ico') return 'it is a reserved name';
  if (!NPM_NAME.test(name)) return 'only lower-case letters, digits and - . _ ~ are allowed';
  return undefined;
}

/** A name typed where a name (not a path) is expected. */
export function validateProjectName(name: string): void {
  if (path.isAbsolute(name) || name.split(/[\\/]/).includes('..')) {
    throw new UserError(
      `"${name}" is a path, not a project name.`,
      'Pass the directory as the first argument and let the name follow from it.',
    );
  }
  const problem = npmNameProblem(name);
  if (problem) throw new UserError(`"${name}" is not a valid npm package name: ${problem}.`, 'Example: my-api');
}

/**
 * Checks where a new project goes: a new directory (created) or an existing empty one (used).
 * A non-empty directory, a file in the way or an unwritable parent are refused.
 */
export function checkNewProjectTarget(directory: string): void {
  let stats: import('node:fs').Stats | undefined;
  try {
    stats = statSync(directory);
  } catch {
    stats = undefined;
  }
  if (stats) {
    if (!stats.isDirectory()) throw new UserError(`${directory} exists and is not a directory.`, 'Choose another directory.');
    const entries = readdirSync(directory).filter((e) => e !== '.DS_Store');
    if (entries.length > 0) {
      throw new UserError(
        `${directory} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, e.g. ${entries[0]}).`,
        'Choose a new or empty directory, or use `create-hardened-api add <feature>` inside an existing project.',
      );
    }
    assertWritable(directory);
    return;
  }
  let parent = path.dirname(directory);
  while (!isDirectory(parent)) {
    if (pathExists(parent)) throw new UserError(`Cannot create ${directory}: ${parent} is not a directory.`, 'Choose another directory.');
    parent = path.dirname(parent);
  }
  assertWritable(parent);
}

function assertWritable(directory: string): void {
  try {
    accessSync(directory, constants.W_OK);
  } catch {
    throw new UserError(`Cannot write to ${directory}.`, 'Check its permissions, or choose another directory.');
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function pathExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
