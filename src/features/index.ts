import { ci } from './ci.ts';
import { k8s } from './k8s.ts';
import type { FeatureDefinition } from './types.ts';

/**
 * Every optional feature, in the order they are applied (requirements first). Adding a feature means
 * adding its definition here and its folder under templates/features/<id>/.
 */
export const features: readonly FeatureDefinition[] = [ci, k8s];
