/** Compares two sort keys lexicographically. */
export function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Where to insert an item with `key` among existing items (each with a key when a feature owns it,
 * or undefined when the base or the user wrote it): before the first owned item with a greater key,
 * else at `fallback`. Items nobody owns keep their places.
 */
export function insertionIndex(existing: readonly (readonly number[] | undefined)[], key: readonly number[], fallback: number): number {
  for (let i = 0; i < existing.length; i++) {
    const other = existing[i];
    if (other && compareKeys(other, key) > 0) return i;
  }
  return fallback;
}
