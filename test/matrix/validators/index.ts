import { validateCi } from './ci.ts';
import { validateK8s } from './k8s.ts';
import { validateMetrics } from './metrics.ts';
import { validateOpenapi } from './openapi.ts';

/**
 * External validators per feature, run on every matrix combination that includes the feature
 * (see ../../../docs/testing.md). Each throws with the tool's findings when the artifact is not clean.
 */
export type Validator = (project: string) => Promise<void>;

export const validators: Record<string, Validator> = {
  ci: validateCi,
  k8s: validateK8s,
  metrics: validateMetrics,
  openapi: validateOpenapi,
};
