import type { FeatureDefinition } from './types.ts';

type Optional = 'requires' | 'conflicts' | 'dependencies' | 'devDependencies' | 'scripts' | 'env' | 'shared' | 'patches';

/** Fills the empty defaults so that definitions list only what they use. */
export function defineFeature(
  definition: Omit<FeatureDefinition, Optional> & Partial<Pick<FeatureDefinition, Optional>>,
): FeatureDefinition {
  return {
    requires: [],
    conflicts: [],
    dependencies: {},
    devDependencies: {},
    scripts: {},
    env: [],
    shared: [],
    patches: [],
    ...definition,
  };
}
