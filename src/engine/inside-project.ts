import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';

/**
 * Refuses a project-relative path whose location, once symbolic links are resolved, is not inside
 * the project: a directory in the project that links elsewhere (`ops -> /tmp/elsewhere`) must not
 * make us write there. Only the directories are resolved: a file that is itself a link is replaced
 * by the commit, never written through.
 */
export function assertInsideProject(root: string, file: string): void {
  const realRoot = realpathOrNull(root) ?? path.resolve(root);
  const target = path.resolve(root, file);
  if (!isWithin(path.resolve(root), target)) refuse(file, target);
  const existing = deepestExisting(path.dirname(target));
  // Nothing of the project is there yet (a new project): there is no link inside it to follow.
  if (existing !== path.resolve(root) && isWithin(existing, path.resolve(root))) return;
  const resolved = realpathOrNull(existing);
  if (resolved === null) refuse(file, `${existing} (a link to nowhere)`);
  if (!isWithin(realRoot, resolved)) refuse(file, resolved);
}

export function assertAllInsideProject(root: string, files: readonly string[]): void {
  for (const file of files) assertInsideProject(root, file);
}

function refuse(file: string, resolved: string): never {
  throw new UserError(
    `Refusing to write ${file}: it resolves to ${resolved}, outside the project (a symbolic link on the way points elsewhere).`,
    'Replace the link with a directory inside the project, or remove it. Nothing was written.',
  );
}

/** The deepest ancestor that is there, a dangling link included (lstat, not stat). */
function deepestExisting(dir: string): string {
  let current = dir;
  while (!isPresent(current)) {
    const parent = path.dirname(current);
    if (parent === current) return current;
    current = parent;
  }
  return current;
}

function isPresent(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function realpathOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

function isWithin(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
