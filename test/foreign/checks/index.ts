import { checkMetrics, METRICS_ENV } from './metrics.ts';

/** A foreign fixture project after `add`, started (url) or not, for the checks below. */
export interface ForeignContext {
  /** The project directory (a copy of the fixture). */
  dir: string;
  /** Where the started app answers, e.g. http://127.0.0.1:41234. */
  url: string;
  /** An anonymous GET route of the project's own that answers 200 JSON. */
  probe: string;
  /** Every feature the project has now. */
  features: readonly string[];
}

/**
 * What proves each feature works in a project we did not generate, against the started app: each
 * throws (an assertion) when it does not. A feature without a live check proves itself with an artifact
 * check (docker, ci, ...).
 */
export const liveChecks: Record<string, (context: ForeignContext) => Promise<void>> = {
  metrics: checkMetrics,
};

/** Environment the app is started with when a feature is present (its secrets, set as an operator would). */
export const startEnv: Record<string, Record<string, string>> = {
  metrics: METRICS_ENV,
};

/** Checks of what a feature writes that does not need the app running (Dockerfile, workflows, manifests). */
export const artifactChecks: Record<string, (context: Omit<ForeignContext, 'url'>) => Promise<void>> = {};
