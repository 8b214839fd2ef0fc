import { UserError } from '../errors.ts';
import type { FeatureDefinition, Preset } from '../features/types.ts';

/**
 * Turns requested ids into the full, ordered feature list: unknown ids rejected (with the closest
 * match), requirements added, conflicts refused, registry order kept.
 */
export function resolveFeatures(requested: readonly string[], registry: readonly FeatureDefinition[]): FeatureDefinition[] {
  const byId = new Map(registry.map((f) => [f.id, f]));
  const wanted = new Set<string>();
  const visit = (id: string, requiredBy?: string): void => {
    if (wanted.has(id)) return;
    const feature = byId.get(id);
    if (!feature) {
      if (requiredBy) throw new Error(`Feature ${requiredBy} requires unknown feature ${id}`);
      throw unknownFeature(id, registry);
    }
    wanted.add(id);
    for (const requirement of feature.requires) visit(requirement, id);
  };
  for (const id of requested) visit(id);

  for (const id of wanted) {
    for (const other of byId.get(id)?.conflicts ?? []) {
      if (wanted.has(other)) throw new UserError(`Features ${id} and ${other} cannot be used together.`, 'Choose one of them.');
    }
  }
  return registry.filter((f) => wanted.has(f.id));
}

/** Requirements that resolution added beyond what was asked, as `{ added, by }` pairs. */
export function addedRequirements(requested: readonly string[], resolved: readonly FeatureDefinition[]): { added: string; by: string }[] {
  const asked = new Set(requested);
  const result: { added: string; by: string }[] = [];
  for (const feature of resolved) {
    if (asked.has(feature.id)) continue;
    const by = resolved.find((f) => f.requires.includes(feature.id));
    result.push({ added: feature.id, by: by?.id ?? '?' });
  }
  return result;
}

export function presetFeatures(preset: Preset, registry: readonly FeatureDefinition[]): string[] {
  return registry.filter((f) => f.presets.includes(preset)).map((f) => f.id);
}

export function unknownFeature(id: string, registry: readonly FeatureDefinition[]): UserError {
  const ids = registry.map((f) => f.id);
  const closest = closestMatch(id, ids);
  const valid = ids.length ? ids.join(', ') : '(none yet)';
  return new UserError(
    `Unknown feature "${id}".${closest ? ` Did you mean "${closest}"?` : ''}`,
    `Valid features: ${valid}. Run \`create-hardened-api list\` for descriptions.`,
  );
}

export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = levenshtein(input.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
