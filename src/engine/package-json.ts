import { UserError } from '../errors.ts';
import { addEntries } from './json-edit.ts';

export interface PackageAdditions {
  dependencies: Readonly<Record<string, string>>;
  devDependencies: Readonly<Record<string, string>>;
  scripts: Readonly<Record<string, string>>;
}

const SECTIONS = ['dependencies', 'devDependencies', 'scripts'] as const;

/**
 * Merges dependencies and scripts into package.json text, keeping the file as its owner wrote it:
 * only the new entries are inserted (indentation, one-line objects, line endings and key order stay).
 * Keys the project already has keep their values; a new key goes where a sorted section would put it,
 * or at the end of a section that is not sorted. Idempotent.
 */
export function mergePackageJson(text: string, additions: PackageAdditions, file = 'package.json'): string {
  const pkg = parsePackageJson(text, file);
  let result = text;
  for (const section of SECTIONS) {
    const current = pkg[section] ?? {};
    if (typeof current !== 'object' || current === null || Array.isArray(current)) {
      throw new UserError(`${file}: "${section}" is not an object.`, `Fix ${file}, then run the command again.`);
    }
    const missing = Object.entries(additions[section]).filter(([name]) => !(name in current));
    result = addEntries(result, section, missing, sortedPlace);
  }
  return result;
}

/** Parses package.json, refusing anything but a JSON object with a clear message. */
export function parsePackageJson(text: string, file = 'package.json'): Record<string, unknown> {
  let pkg: unknown;
  try {
    pkg = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`, `Fix ${file}, then run the command again.`);
  }
  if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) {
    throw new UserError(`${file} is not a JSON object.`, `Fix ${file}, then run the command again.`);
  }
  return pkg as Record<string, unknown>;
}

/** In a sorted section, where the key sorts; in one its owner keeps in another order, at the end. */
function sortedPlace(keys: readonly string[], key: string): number {
  const sorted = keys.every((k, i) => i === 0 || (keys[i - 1] as string) < k);
  if (!sorted) return keys.length;
  const index = keys.findIndex((k) => k > key);
  return index < 0 ? keys.length : index;
}
