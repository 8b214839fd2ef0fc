import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Report } from '../report.ts';
import { type Rule, type Severity, severityOf } from '../types.ts';

const LEVEL: Record<Severity, Result.level> = { high: 'error', medium: 'warning', low: 'note' };
/** GitHub code scanning ranks security results by this score: >= 7 high, >= 4 medium, else low. */
const SECURITY_SEVERITY: Record<Severity, string> = { high: '8.0', medium: '5.0', low: '3.0' };
export const INFORMATION_URI = 'https://github.com/create-hardened-api/create-hardened-api';

function descriptor(rule: Rule): ReportingDescriptor {
  const help = `${rule.why}\n\nFix: ${rule.remedy}\n\n${rule.owasp}; hardening checklist row(s) ${rule.checklist.join(', ')}.`;
  return {
    id: rule.id,
    name: rule.id.replace(/(?:^|[.-])(\w)/g, (_, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.why },
    help: {
      text: help,
      markdown: `${rule.why}\n\n**Fix:** ${rule.remedy}\n\n${rule.owasp}; hardening checklist row(s) ${rule.checklist.join(', ')}.`,
    },
    helpUri: `${INFORMATION_URI}#checking-a-project`,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      tags: ['security', rule.owasp.split(' ')[0] ?? 'owasp'],
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[rule.severity],
    },
  };
}

/**
 * SARIF 2.1.0 for GitHub code scanning: every rule with its help, results located relative to the
 * repository root (`uriPrefix` is the project's folder inside the repository), accepted findings as
 * external suppressions, skipped checks as tool notifications.
 */
export function formatSarif(report: Report, rules: readonly Rule[], uriPrefix = ''): string {
  const index = new Map(rules.map((rule, i) => [rule.id, i]));
  const results: Result[] = report.findings.map((finding) => {
    const severity = severityOf(finding);
    const location =
      'url' in finding.location
        ? { physicalLocation: { artifactLocation: { uri: finding.location.url } } }
        : {
            physicalLocation: {
              artifactLocation: { uri: `${uriPrefix}${finding.location.file}`, uriBaseId: '%SRCROOT%' },
              region: { startLine: finding.location.line, startColumn: finding.location.column },
            },
          };
    return {
      ruleId: finding.rule.id,
      ...(index.has(finding.rule.id) ? { ruleIndex: index.get(finding.rule.id) } : {}),
      level: LEVEL[severity],
      message: { text: `${finding.rule.title}: ${finding.seen}` },
      locations: [location],
      properties: { severity, 'security-severity': SECURITY_SEVERITY[severity] },
      ...(finding.accepted ? { suppressions: [{ kind: 'external' as const, justification: finding.accepted.reason }] } : {}),
    };
  });
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'create-hardened-api', version: report.version, informationUri: INFORMATION_URI, rules: rules.map(descriptor) },
        },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.skipped.map((s) => ({
              level: 'warning' as const,
              message: { text: `${s.id} skipped: ${s.reason}` },
              descriptor: { id: s.id },
            })),
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
