import { type Acceptance, acceptanceFor } from './accept.ts';
import { atOrAbove, type Finding, SEVERITIES, type Severity, type Skipped, severityOf } from './types.ts';

export type FailOn = Severity | 'none';

export interface ReportedFinding extends Finding {
  /** Set when the project accepted the finding (it then never fails the check). */
  accepted?: Acceptance;
}

/** Everything a reporter needs; reporters only format it. */
export interface Report {
  version: string;
  /** What was checked: the project directory and/or the live URL. */
  target: { directory?: string; url?: string; frameworks: string[] };
  failOn: FailOn;
  findings: ReportedFinding[];
  skipped: Skipped[];
}

export function buildReport(
  base: Omit<Report, 'findings'>,
  findings: readonly Finding[],
  acceptances: readonly Acceptance[],
  ignored: ReadonlySet<string>,
): Report {
  const reported = findings
    .filter((f) => !ignored.has(f.rule.id))
    .map((f): ReportedFinding => {
      const accepted = acceptanceFor(f, acceptances);
      return accepted ? { ...f, accepted } : f;
    })
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(severityOf(a)) - SEVERITIES.indexOf(severityOf(b)) ||
        a.rule.id.localeCompare(b.rule.id) ||
        locationKey(a).localeCompare(locationKey(b), 'en', { numeric: true }),
    );
  return { ...base, findings: reported };
}

export function locationText(finding: Finding): string {
  return 'url' in finding.location ? finding.location.url : `${finding.location.file}:${finding.location.line}:${finding.location.column}`;
}

function locationKey(finding: Finding): string {
  return locationText(finding);
}

export function counts(report: Report): Record<Severity, number> & { accepted: number } {
  const result = { high: 0, medium: 0, low: 0, accepted: 0 };
  for (const finding of report.findings) {
    if (finding.accepted) result.accepted++;
    else result[severityOf(finding)]++;
  }
  return result;
}

/** Findings that fail the run: not accepted, at or above the threshold. */
export function failing(report: Report): ReportedFinding[] {
  const threshold = report.failOn;
  if (threshold === 'none') return [];
  return report.findings.filter((f) => !f.accepted && atOrAbove(severityOf(f), threshold));
}
