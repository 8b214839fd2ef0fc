import { UserError } from '../errors.ts';

export interface PackageAdditions {
  dependencies: Readonly<Record<string, string>>;
  devDependencies: Readonly<Record<string, string>>;
  scripts: Readonly<Record<string, string>>;
}

const SORTED_SECTIONS = ['dependencies', 'devDependencies', 'scripts'] as const;

/**
 * Merges a feature's dependencies and scripts into package.json text. Keys the user already has keep
 * their values; each touched section comes out sorted. Idempotent.
 */
export function mergePackageJson(text: string, additions: PackageAdditions, file = 'package.json'): string {
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  for (const section of SORTED_SECTIONS) {
    const add = additions[section];
    if (Object.keys(add).length === 0) continue;
    const current = (pkg[section] ?? {}) as Record<string, string>;
    const merged: Record<string, string> = { ...add, ...current };
    pkg[section] = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
