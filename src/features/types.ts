import type { Patch } from '../patch/types.ts';

export const PRESETS = ['minimal', 'standard', 'full'] as const;
export type Preset = (typeof PRESETS)[number];

/** A documented environment variable: goes into `.env.example` and the feature's README section. */
export interface EnvVar {
  name: string;
  example: string;
  description: string;
  /** Documented only when this sub-choice of the feature is selected. */
  choice?: string;
}

/** A sub-choice of a feature, asked interactively and given in CI as `--<flag> a,b`. */
export interface FeatureOption {
  flag: string;
  message: string;
  /** `requires`: other choices this one needs; they are selected with it (as feature requirements are). */
  choices: readonly { value: string; description: string; requires?: readonly string[] }[];
  defaults: readonly string[];
  /** At least one choice must stay selected. */
  required: boolean;
}

export interface FeatureDefinition {
  id: string;
  title: string;
  description: string;
  requires: readonly string[];
  conflicts: readonly string[];
  presets: readonly Preset[];
  option?: FeatureOption;
  /** Exact versions: the versions our matrix tested. */
  dependencies: Readonly<Record<string, string>>;
  devDependencies: Readonly<Record<string, string>>;
  scripts: Readonly<Record<string, string>>;
  env: readonly EnvVar[];
  /**
   * Folders of `templates/shared/` this feature needs (e.g. `redis`: the client both rate-limit and
   * caching use). Written once when any present feature names them; each user declares the folder's
   * dependencies itself.
   */
  shared: readonly string[];
  patches: readonly Patch[];
  /** On projects we did not generate: why the feature is refused there (absent: it is offered). */
  unsupportedForeign?: string;
  /**
   * Packages that do this feature's job (fastify-metrics for metrics): a project we did not generate
   * that uses one already gets nothing from this feature, and is told so.
   */
  equivalents?: readonly string[];
  /**
   * On Fastify 4 projects: the versions of the plugins that follow Fastify's major (the rest stay), or
   * why the feature cannot run there.
   */
  fastify4?: { dependencies: Readonly<Record<string, string>> } | { unsupported: string };
}

/** The always-present skeleton. It is not an optional feature and is never listed as one. */
export interface BaseDefinition {
  id: 'base';
  title: string;
  /** Files that patches may edit in place even when the user changed them. */
  patchTargets: readonly string[];
  /** Folders of `templates/shared/` the base is made of too (the runtime contract features rely on). */
  shared: readonly string[];
}
