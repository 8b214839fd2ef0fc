import { validateCi } from './ci.ts';
import { validateDocker } from './docker.ts';
import { validateK8s } from './k8s.ts';
import { validateMetrics } from './metrics.ts';
import { validateNginx } from './nginx.ts';
import { validateOpenapi } from './openapi.ts';

/**
 * External validators per feature, run on every matrix combination that includes the feature
 * (see ../../../docs/architecture.md, "Testing"). Each throws with the tool's findings when the artifact is not clean.
 */
export type Validator = (project: string) => Promise<void>;

export const validators: Record<string, Validator> = {
  ci: validateCi,
  docker: validateDocker,
  k8s: validateK8s,
  metrics: validateMetrics,
  nginx: validateNginx,
  openapi: validateOpenapi,
};
