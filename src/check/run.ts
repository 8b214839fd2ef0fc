import type { Acceptance } from './accept.ts';
import type { Finding, Skipped } from './types.ts';

export interface RunOptions {
  /** The project to read; none for a live-only check. */
  directory?: string;
  /** A running API to probe. */
  url?: URL;
  probeRateLimit?: boolean;
  /** Run npm audit (default true). */
  audit?: boolean;
  /** The day end-of-life dates are compared with. */
  today?: Date;
}

export interface RunResult {
  findings: Finding[];
  skipped: Skipped[];
  frameworks: string[];
  acceptances: Acceptance[];
}

/** Runs every check the options ask for; modules load only when their part runs (ts-morph only with a project). */
export async function runChecks(options: RunOptions): Promise<RunResult> {
  const result: RunResult = { findings: [], skipped: [], frameworks: [], acceptances: [] };
  if (options.directory !== undefined) {
    const [{ ProjectFiles }, { runStaticChecks }, { readAcceptances }, { auditDependencies }, { frameworksOf }] = await Promise.all([
      import('./project.ts'),
      import('./registry.ts'),
      import('./accept.ts'),
      import('./audit.ts'),
      import('./apps.ts'),
    ]);
    const project = new ProjectFiles(options.directory);
    result.acceptances = readAcceptances(project);
    result.frameworks = frameworksOf(project);
    result.findings.push(...(await runStaticChecks(project, options.today ?? new Date())));
    if (options.audit !== false) {
      const audit = await auditDependencies(project);
      result.findings.push(...audit.findings);
      result.skipped.push(...audit.skipped);
    } else result.skipped.push({ id: 'dependencies.vulnerable', reason: 'npm audit not run (--no-audit)' });
  }
  if (options.url !== undefined) {
    const { runLiveChecks } = await import('./live.ts');
    const live = await runLiveChecks(options.url, { probeRateLimit: options.probeRateLimit === true });
    result.findings.push(...live.findings);
    result.skipped.push(...live.skipped);
  }
  return result;
}
