import { parsePackageJson } from '../engine/package-json.ts';

type Json = Record<string, unknown>;

/** An entry of a package.json section (`dependencies.fastify`, `scripts.test`) as it changes. */
export interface EntryChange {
  section: string;
  name: string;
  /** Before (undefined: added). */
  from: string | undefined;
  /** After (undefined: removed). */
  to: string | undefined;
}

/** A value the user set that we would set differently: theirs stays. */
export interface KeptValue {
  key: string;
  yours: unknown;
  ours: unknown;
}

export interface PackageJsonMerge {
  text: string;
  /** Our changes between the versions that were applied (the user had not touched these entries). */
  applied: EntryChange[];
  /** Where the user and the new version disagree: the user's value was kept. */
  kept: KeptValue[];
}

/** Sections merged entry by entry; every other top-level key is merged as one value. */
const ENTRY_SECTIONS = new Set(['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies', 'scripts', 'engines']);

/**
 * Merges package.json by meaning, not by lines: the user's changes (from `base`, what the old version
 * wrote, to `yours`) are replayed onto `ours` (what the new version writes), entry by entry. So the
 * versions we tested move forward, our new scripts and dependencies arrive, and the user's own
 * dependencies, scripts and pins stay; where both changed one entry, the user's value is kept and
 * reported. The result is laid out as `ours` (key order), in the user's indentation.
 */
export function mergePackageJsonByMeaning(base: string, ours: string, yours: string): PackageJsonMerge {
  const b = parsePackageJson(base);
  const o = parsePackageJson(ours);
  const y = parsePackageJson(yours);
  const result: Json = structuredClone(o);
  const applied: EntryChange[] = [];
  const kept: KeptValue[] = [];

  for (const key of union(Object.keys(b), Object.keys(o), Object.keys(y))) {
    if (ENTRY_SECTIONS.has(key) && isStringMap(b[key]) && isStringMap(o[key]) && isStringMap(y[key])) {
      result[key] = mergeSection(key, b[key] ?? {}, o[key] ?? {}, y[key] ?? {}, applied, kept);
      if (Object.keys(result[key] as Json).length === 0 && y[key] === undefined && o[key] === undefined) delete result[key];
      continue;
    }
    if (same(y[key], b[key])) continue; // untouched by the user: ours stands
    if (!same(o[key], b[key]) && !same(o[key], y[key])) kept.push({ key, yours: y[key], ours: o[key] });
    if (y[key] === undefined) delete result[key];
    else result[key] = y[key];
  }
  const text = serializeLike(orderLike(result, o, y), yours);
  return { text, applied, kept };
}

function mergeSection(
  section: string,
  base: Record<string, string>,
  ours: Record<string, string>,
  yours: Record<string, string>,
  applied: EntryChange[],
  kept: KeptValue[],
): Record<string, string> {
  const result: Record<string, string> = { ...ours };
  for (const name of union(Object.keys(base), Object.keys(ours), Object.keys(yours))) {
    const [b, o, y] = [base[name], ours[name], yours[name]];
    if (y === b) {
      if (o !== b) applied.push({ section, name, from: b, to: o });
      continue;
    }
    if (o !== b && o !== y) kept.push({ key: `${section}.${name}`, yours: y, ours: o });
    if (y === undefined) delete result[name];
    else if (name in result) result[name] = y;
    else insertEntry(result, name, y, Object.keys(yours));
  }
  return result;
}

/** A key the user added goes where a sorted section puts it, else after the key it follows in their file. */
function insertEntry(target: Record<string, string>, name: string, value: string, yourOrder: readonly string[]): void {
  const keys = Object.keys(target);
  const sorted = keys.every((k, i) => i === 0 || (keys[i - 1] as string) < k);
  let index: number;
  if (sorted) {
    index = keys.findIndex((k) => k > name);
    if (index < 0) index = keys.length;
  } else {
    const previous = yourOrder
      .slice(0, yourOrder.indexOf(name))
      .reverse()
      .find((k) => keys.includes(k));
    index = previous === undefined ? 0 : keys.indexOf(previous) + 1;
  }
  const entries = Object.entries(target);
  entries.splice(index, 0, [name, value]);
  for (const key of keys) delete target[key];
  for (const [k, v] of entries) target[k] = v;
}

/** Top-level keys in our order; keys only the user has follow the key they follow in their file. */
function orderLike(result: Json, ours: Json, yours: Json): Json {
  const order = Object.keys(ours).filter((k) => k in result);
  const yourKeys = Object.keys(yours);
  for (const key of yourKeys) {
    if (!(key in result) || order.includes(key)) continue;
    const previous = yourKeys
      .slice(0, yourKeys.indexOf(key))
      .reverse()
      .find((k) => order.includes(k));
    order.splice(previous === undefined ? 0 : order.indexOf(previous) + 1, 0, key);
  }
  return Object.fromEntries(order.map((k) => [k, result[k]]));
}

/** JSON in the indentation and line endings of `yours`, with a final newline when it has one. */
export function serializeLike(value: Json, yours: string): string {
  const indent = /^([ \t]+)"/m.exec(yours)?.[1] ?? '  ';
  const eol = yours.includes('\r\n') ? '\r\n' : '\n';
  const text = JSON.stringify(value, null, indent).replaceAll('\n', eol);
  return /\r?\n$/.test(yours) ? `${text}${eol}` : text;
}

function isStringMap(value: unknown): value is Record<string, string> | undefined {
  if (value === undefined) return true;
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function union(...lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}
