import { counts, failing, type Report } from '../report.ts';
import { severityOf } from '../types.ts';

/** The documented JSON shape (README, "check"): stable keys, one object per finding. */
export function formatJson(report: Report): string {
  const c = counts(report);
  return `${JSON.stringify(
    {
      tool: 'create-hardened-api',
      version: report.version,
      target: report.target,
      failOn: report.failOn,
      passed: failing(report).length === 0,
      summary: { ...c, skipped: report.skipped.length },
      findings: report.findings.map((f) => ({
        id: f.rule.id,
        severity: severityOf(f),
        title: f.rule.title,
        location: f.location,
        seen: f.seen,
        why: f.rule.why,
        owasp: f.rule.owasp,
        checklist: f.rule.checklist,
        remedy: f.rule.remedy,
        ...(f.rule.feature ? { feature: f.rule.feature } : {}),
        ...(f.accepted ? { accepted: { reason: f.accepted.reason } } : {}),
      })),
      skipped: report.skipped,
    },
    null,
    2,
  )}\n`;
}
