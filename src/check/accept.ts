import { UserError } from '../errors.ts';
import type { ProjectFiles } from './project.ts';
import type { Finding } from './types.ts';

/** The file in which a project accepts findings, each with its reason. */
export const ACCEPT_FILE = '.hardened-api-check.json';

export interface Acceptance {
  /** Rule id, e.g. `rate-limit.absent`. */
  id: string;
  /** Why the finding does not apply or is accepted: shown with the finding, required. */
  reason: string;
  /** Only findings in this file (or under this directory, with a trailing `/`). */
  path?: string;
}

export function readAcceptances(project: ProjectFiles): Acceptance[] {
  const text = project.read(ACCEPT_FILE);
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${ACCEPT_FILE} is not valid JSON: ${(error as Error).message}`, 'Fix the file or remove it.');
  }
  const accept = (parsed as { accept?: unknown }).accept;
  if (!Array.isArray(accept))
    throw new UserError(`${ACCEPT_FILE} has no "accept" list`, 'Write {"accept": [{"id": "...", "reason": "..."}]}.');
  return accept.map((entry, index) => {
    const { id, reason, path } = (entry ?? {}) as Record<string, unknown>;
    if (typeof id !== 'string' || id === '')
      throw new UserError(`${ACCEPT_FILE}: accept[${index}] has no "id"`, 'Name the rule id the entry accepts.');
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new UserError(
        `${ACCEPT_FILE}: accept[${index}] (${id}) has no "reason"`,
        'Say why the finding is accepted: it is shown in every report.',
      );
    }
    if (path !== undefined && typeof path !== 'string') throw new UserError(`${ACCEPT_FILE}: accept[${index}] "path" must be a string`);
    return { id, reason: reason.trim(), ...(typeof path === 'string' ? { path } : {}) };
  });
}

/** The acceptance that covers a finding, if any. */
export function acceptanceFor(finding: Finding, acceptances: readonly Acceptance[]): Acceptance | undefined {
  const file = 'file' in finding.location ? finding.location.file : finding.location.url;
  return acceptances.find(
    (a) => a.id === finding.rule.id && (a.path === undefined || (a.path.endsWith('/') ? file.startsWith(a.path) : file === a.path)),
  );
}
