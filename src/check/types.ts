import type { ProjectFiles } from './project.ts';

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a rule stands for: the same for every finding it makes (SARIF's reportingDescriptor). */
export interface Rule {
  /** Stable: users suppress and CI filters by it. `<concern>.<problem>`. */
  id: string;
  severity: Severity;
  title: string;
  /** Why it matters, in one or two sentences. */
  why: string;
  /** OWASP API Security Top 10 (2023) category, e.g. `API8:2023 Security Misconfiguration`. */
  owasp: string;
  /** Rows of the hardening checklist (docs: shared/hardening.md) this rule audits. */
  checklist: readonly number[];
  /** How to fix it; names `create-hardened-api add <feature>` when a feature does. */
  remedy: string;
  /** The feature that fixes it, when one does. */
  feature?: string;
}

/** Where a finding is: a file of the project (1-based line and column) or, for live checks, a URL. */
export type Location = { file: string; line: number; column: number } | { url: string };

export interface Finding {
  rule: Rule;
  location: Location;
  /** What was seen, quoted or described. */
  seen: string;
  /** Lower than the rule's severity when the evidence is weaker than usual (never higher). */
  severity?: Severity;
}

/** A check that could not run (tool or network unavailable): reported, never counted as clean. */
export interface Skipped {
  id: string;
  reason: string;
}

export interface CheckResult {
  findings: Finding[];
  skipped: Skipped[];
}

export interface StaticCheck {
  rules: readonly Rule[];
  run(project: ProjectFiles): Promise<Finding[]> | Finding[];
}

export function severityOf(finding: Finding): Severity {
  return finding.severity ?? finding.rule.severity;
}

/** high > medium > low: true when `severity` is at or above `threshold`. */
export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}
