import { UserError } from '../errors.ts';
import type { FeatureDefinition } from '../features/types.ts';

/**
 * The sub-choices of each selected feature: given ones checked against the feature's choices,
 * defaults for the rest. Options for features that are not selected are refused.
 */
export function validateOptions(
  features: readonly FeatureDefinition[],
  given: Readonly<Record<string, string[]>>,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const id of Object.keys(given)) {
    if (!features.some((f) => f.id === id)) {
      throw new UserError(`--${id} was given but feature ${id} is not selected.`, `Add it with --features ${id}.`);
    }
  }
  for (const feature of features) {
    const option = feature.option;
    if (!option) continue;
    const values = [...(given[feature.id] ?? option.defaults)];
    const valid = option.choices.map((c) => c.value);
    const unknown = values.filter((v) => !valid.includes(v));
    if (unknown.length > 0) {
      throw new UserError(`Unknown --${option.flag} choice "${unknown[0]}".`, `Valid choices: ${valid.join(', ')}.`);
    }
    for (const choice of option.choices) if (values.includes(choice.value)) values.push(...(choice.requires ?? []));
    if (option.required && values.length === 0) throw new UserError(`--${option.flag} needs at least one of: ${valid.join(', ')}.`);
    result[feature.id] = valid.filter((v) => values.includes(v));
  }
  return result;
}
