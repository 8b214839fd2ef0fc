import { execFile } from 'node:child_process';
import { findingInFile } from './locate.ts';
import type { ProjectFiles } from './project.ts';
import type { CheckResult, Rule, Severity } from './types.ts';

export const vulnerableDependency: Rule = {
  id: 'dependencies.vulnerable',
  severity: 'high',
  title: 'Production dependency with a known vulnerability',
  why: 'An advisory is published for a version the API ships: exploits for it are public or easy to write.',
  owasp: 'API8:2023 Security Misconfiguration (supply chain)',
  checklist: [47],
  remedy:
    'Update to a fixed version (npm audit fix, or a newer direct dependency); if it is not reachable, accept the finding with the reason.',
};

const SEVERITY: Record<string, Severity> = { critical: 'high', high: 'high', moderate: 'medium', low: 'low', info: 'low' };

interface AuditReport {
  message?: string;
  error?: { summary?: string; code?: string };
  vulnerabilities?: Record<string, { severity: string; isDirect: boolean; range: string; via: (string | { title?: string })[] }>;
}

/**
 * `npm audit --omit=dev`, when the project locks with npm. Its answer is reported as findings; when
 * the registry does not answer (offline, or a registry without the audit endpoint), the check is
 * reported as skipped with the reason, never as clean.
 */
export interface AuditOutput {
  stdout: string;
  /** Why npm gave no output, when it gave none. */
  failure?: string;
}

export function npmAudit(directory: string): Promise<AuditOutput> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['audit', '--omit=dev', '--json'],
      { cwd: directory, timeout: 30_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout) => {
        resolve({ stdout, ...(error && !stdout ? { failure: error.message.split('\n')[0] } : {}) });
      },
    );
  });
}

export async function auditDependencies(
  project: ProjectFiles,
  run: (directory: string) => Promise<AuditOutput> = npmAudit,
): Promise<CheckResult> {
  const id = vulnerableDependency.id;
  if (!project.has('package-lock.json')) {
    return {
      findings: [],
      skipped: [{ id, reason: "npm audit needs a committed package-lock.json (use your package manager's own audit otherwise)" }],
    };
  }
  const { stdout, failure } = await run(project.root);
  let report: AuditReport;
  try {
    report = JSON.parse(stdout) as AuditReport;
  } catch {
    return { findings: [], skipped: [{ id, reason: `npm audit did not answer: ${failure ?? 'no output'}` }] };
  }
  if (report.error || !report.vulnerabilities) {
    const reason = report.error?.summary?.split('\n')[0] || report.message || 'no vulnerability report';
    return { findings: [], skipped: [{ id, reason: `npm audit: ${reason}` }] };
  }
  const findings = Object.entries(report.vulnerabilities).map(([name, vulnerability]) => {
    const titles = vulnerability.via.map((v) => (typeof v === 'string' ? `via ${v}` : (v.title ?? ''))).filter(Boolean);
    const file = vulnerability.isDirect ? 'package.json' : 'package-lock.json';
    const needle = vulnerability.isDirect ? `"${name}"` : `"node_modules/${name}"`;
    return findingInFile(
      project,
      vulnerableDependency,
      file,
      `${name} ${vulnerability.range}: ${titles.join('; ').slice(0, 200)}`,
      needle,
      SEVERITY[vulnerability.severity] ?? 'high',
    );
  });
  return { findings, skipped: [] };
}
