import { counts, failing, locationText, type Report } from '../report.ts';
import { SEVERITIES, severityOf } from '../types.ts';

/** Grouped by severity, most severe first, then accepted findings and skipped checks; one summary line. */
export function formatText(report: Report): string {
  const lines: string[] = [];
  const target = [report.target.directory, report.target.url].filter(Boolean).join(' and ');
  lines.push(
    `create-hardened-api check ${report.version}: ${target}${report.target.frameworks.length ? ` (${report.target.frameworks.join(', ')})` : ''}`,
  );
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((f) => !f.accepted && severityOf(f) === severity);
    if (group.length === 0) continue;
    lines.push('', `${severity.toUpperCase()} (${group.length})`);
    for (const finding of group) {
      lines.push(`  ${finding.rule.id}  ${locationText(finding)}`);
      lines.push(`    ${finding.rule.title}: ${finding.seen}`);
      lines.push(`    why: ${finding.rule.why} [${finding.rule.owasp}; checklist #${finding.rule.checklist.join(', #')}]`);
      lines.push(`    fix: ${finding.rule.remedy}`);
    }
  }
  const accepted = report.findings.filter((f) => f.accepted);
  if (accepted.length > 0) {
    lines.push('', `ACCEPTED (${accepted.length})`);
    for (const finding of accepted) lines.push(`  ${finding.rule.id}  ${locationText(finding)}  reason: ${finding.accepted?.reason}`);
  }
  if (report.skipped.length > 0) {
    lines.push('', `SKIPPED (${report.skipped.length}): not checked, not clean`);
    for (const skipped of report.skipped) lines.push(`  ${skipped.id}: ${skipped.reason}`);
  }
  const c = counts(report);
  const failures = failing(report).length;
  const verdict =
    report.failOn === 'none'
      ? 'never fails (--fail-on none)'
      : failures > 0
        ? `FAILED: ${failures} at ${report.failOn} or above`
        : `passed (fails on ${report.failOn} or above)`;
  lines.push('', `${c.high} high, ${c.medium} medium, ${c.low} low, ${c.accepted} accepted, ${report.skipped.length} skipped: ${verdict}`);
  return `${lines.join('\n')}\n`;
}
