import { auth } from './auth.ts';
import { caching } from './caching.ts';
import { ci } from './ci.ts';
import { docker } from './docker.ts';
import { k8s } from './k8s.ts';
import { metrics } from './metrics.ts';
import { nginx } from './nginx.ts';
import { openapi } from './openapi.ts';
import { rateLimit } from './rate-limit.ts';
import { rbac } from './rbac.ts';
import { resilience } from './resilience.ts';
import type { FeatureDefinition } from './types.ts';
import { versioning } from './versioning.ts';

/**
 * Every optional feature, in the order they are applied (requirements first). Adding a feature means
 * adding its definition here and its folder under templates/features/<id>/.
 */
export const features: readonly FeatureDefinition[] = [
  auth,
  rbac,
  rateLimit,
  metrics,
  caching,
  resilience,
  versioning,
  openapi,
  docker,
  nginx,
  ci,
  k8s,
];
