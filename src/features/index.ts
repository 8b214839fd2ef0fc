import { auth } from './auth.ts';
import { ci } from './ci.ts';
import { k8s } from './k8s.ts';
import { openapi } from './openapi.ts';
import { rbac } from './rbac.ts';
import type { FeatureDefinition } from './types.ts';
import { versioning } from './versioning.ts';

/**
 * Every optional feature, in the order they are applied (requirements first). Adding a feature means
 * adding its definition here and its folder under templates/features/<id>/.
 */
export const features: readonly FeatureDefinition[] = [auth, rbac, versioning, openapi, ci, k8s];
