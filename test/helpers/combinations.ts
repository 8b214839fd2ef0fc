import { resolveFeatures } from '../../src/engine/resolve.ts';
import type { FeatureDefinition } from '../../src/features/types.ts';

export interface Combination {
  name: string;
  features: string[];
  /** Sub-choices by feature id, when not the defaults (given as `--<flag> a,b`). */
  options?: Record<string, string[]>;
}

/**
 * The matrix: the base alone, each feature alone (with its requirements), everything, and a
 * pairwise covering set: for every two features, each of on/on, on/off, off/on, off/off appears in
 * some combination (where requirements and conflicts allow it). Deterministic for a given registry.
 */
export function matrixCombinations(registry: readonly FeatureDefinition[]): Combination[] {
  const result: Combination[] = [];
  const seen = new Set<string>();
  const push = (name: string, ids: readonly string[]): void => {
    const features = resolveFeatures(ids, registry).map((f) => f.id);
    const key = features.join(',');
    if (seen.has(key)) return;
    seen.add(key);
    result.push({ name, features });
  };
  push('base', []);
  for (const feature of registry) push(feature.id, [feature.id]);
  push('full', allCompatible(registry));
  for (const features of pairwise(
    registry,
    result.map((c) => c.features),
  ))
    push(`pairwise-${features.join('+') || 'none'}`, features);
  result.push(...choiceVariants(registry));
  return result;
}

/**
 * Sub-choices other than the defaults: for each feature with an option, each choice alone (with the
 * choices it requires) on the feature alone, and every choice at once on everything.
 */
function choiceVariants(registry: readonly FeatureDefinition[]): Combination[] {
  const variants: Combination[] = [];
  for (const feature of registry) {
    const option = feature.option;
    if (!option) continue;
    const withRequired = (values: string[]) =>
      option.choices
        .map((c) => c.value)
        .filter((v) => values.includes(v) || option.choices.some((c) => values.includes(c.value) && c.requires?.includes(v)));
    const defaults = withRequired([...option.defaults]).join(',');
    const alone = new Set([defaults]);
    for (const choice of option.choices) {
      const values = withRequired([choice.value]);
      if (alone.has(values.join(','))) continue;
      alone.add(values.join(','));
      variants.push({
        name: `${feature.id}-${choice.value}`,
        features: resolveFeatures([feature.id], registry).map((f) => f.id),
        options: { [feature.id]: values },
      });
    }
    variants.push({
      name: `full-${feature.id}-all`,
      features: allCompatible(registry),
      options: { [feature.id]: option.choices.map((c) => c.value) },
    });
  }
  return variants;
}

function allCompatible(registry: readonly FeatureDefinition[]): string[] {
  const chosen: string[] = [];
  for (const feature of registry) {
    if (feature.conflicts.some((c) => chosen.includes(c))) continue;
    chosen.push(feature.id);
  }
  return chosen;
}

/** Pairs of (feature, on?) not yet covered by `existing`; greedy fill with a seeded generator. */
function pairwise(registry: readonly FeatureDefinition[], existing: readonly string[][]): string[][] {
  const ids = registry.map((f) => f.id);
  const key = (a: string, av: boolean, b: string, bv: boolean) => `${a}=${av}|${b}=${bv}`;
  const valid = (set: Set<string>) => {
    try {
      const resolved = resolveFeatures([...set], registry).map((f) => f.id);
      return resolved.length === set.size ? resolved : undefined;
    } catch {
      return undefined;
    }
  };
  const coveredBy = (on: readonly string[]) => {
    const pairs: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const [a, b] = [ids[i] as string, ids[j] as string];
        pairs.push(key(a, on.includes(a), b, on.includes(b)));
      }
    }
    return pairs;
  };
  const feasible = new Set<string>();
  const covered = new Set<string>();
  for (const on of existing) for (const pair of coveredBy(on)) covered.add(pair);

  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const candidates: string[][] = [];
  for (let n = 0; n < 400; n++) {
    const set = new Set(ids.filter(() => random() < 0.5));
    const resolved = valid(set);
    if (!resolved) continue;
    candidates.push(resolved);
    for (const pair of coveredBy(resolved)) feasible.add(pair);
  }
  const chosen: string[][] = [];
  for (;;) {
    let best: string[] | undefined;
    let bestGain = 0;
    for (const candidate of candidates) {
      const gain = coveredBy(candidate).filter((p) => !covered.has(p)).length;
      if (gain > bestGain) {
        best = candidate;
        bestGain = gain;
      }
    }
    if (!best) break;
    chosen.push(best);
    for (const pair of coveredBy(best)) covered.add(pair);
  }
  return chosen;
}
