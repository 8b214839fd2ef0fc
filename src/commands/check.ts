import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CliArgs } from '../cli/args.ts';
import { UserError } from '../errors.ts';
import { generatorVersion } from '../paths.ts';

const FORMATS = ['text', 'json', 'sarif'] as const;
const FAIL_ON = ['high', 'medium', 'low', 'none'] as const;

/**
 * Audits a project (static: its files and sources, never running its code) and/or a running API
 * (--url) against the hardening checklist. Returns the exit code: 0 when nothing unaccepted is at or
 * above --fail-on, 1 otherwise. Anything that stops the check itself is an error (exit 2 in main).
 */
export async function check(args: CliArgs): Promise<number> {
  if (args.positionals.length > 0) {
    throw new UserError(`check takes no positional arguments (got ${args.positionals.join(' ')}).`, 'Name the project with --dir <path>.');
  }
  const format = (args.format ?? 'text') as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UserError(`Unknown --format ${args.format}.`, `Use one of: ${FORMATS.join(', ')}.`);
  const failOn = (args.failOn ?? 'high') as (typeof FAIL_ON)[number];
  if (!FAIL_ON.includes(failOn)) throw new UserError(`Unknown --fail-on ${args.failOn}.`, `Use one of: ${FAIL_ON.join(', ')}.`);
  const url = args.url === undefined ? undefined : parseUrl(args.url);
  if (args.probeRateLimit && !url) throw new UserError('--probe-rate-limit probes a running API: give its --url.');
  // With only --url, the project is not read unless --dir says where it is.
  const directory = args.dir !== undefined || url === undefined ? path.resolve(args.dir ?? '.') : undefined;
  if (directory !== undefined && (!existsSync(directory) || !statSync(directory).isDirectory())) {
    throw new UserError(`No such directory: ${directory}`, 'Pass --dir <path> of the project to check.');
  }

  const { runChecks } = await import('../check/run.ts');
  const { buildReport, failing } = await import('../check/report.ts');
  const result = await runChecks({
    ...(directory !== undefined ? { directory } : {}),
    ...(url !== undefined ? { url } : {}),
    probeRateLimit: args.probeRateLimit,
    audit: args.audit !== false,
  }).catch((error: Error & { code?: string }) => {
    // A live target that does not answer is the user's to fix; anything else is ours (exit 2 either way).
    if (url && /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|no answer within/.test(`${error.code} ${error.message}`)) {
      throw new UserError(`${url.href} could not be checked: ${error.message}`, 'Start the API first, or fix --url.');
    }
    throw error;
  });

  const report = buildReport(
    {
      version: generatorVersion,
      target: { ...(directory ? { directory } : {}), ...(url ? { url: url.href } : {}), frameworks: result.frameworks },
      failOn,
      skipped: result.skipped,
    },
    result.findings,
    result.acceptances,
    new Set(args.ignore ?? []),
  );
  if (format === 'json') {
    const { formatJson } = await import('../check/reporters/json.ts');
    process.stdout.write(formatJson(report));
  } else if (format === 'sarif') {
    const { formatSarif } = await import('../check/reporters/sarif.ts');
    const { allRules } = await import('../check/registry.ts');
    process.stdout.write(formatSarif(report, await allRules(), directory ? repositoryPrefix(directory) : ''));
  } else {
    const { formatText } = await import('../check/reporters/text.ts');
    process.stdout.write(formatText(report));
  }
  return failing(report).length > 0 ? 1 : 0;
}

function parseUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`--url ${value} is not a URL.`, 'Example: --url http://127.0.0.1:3000');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`--url must be http or https, not ${url.protocol}`);
  return url;
}

/** The project's folder inside its git repository (`api/` in a monorepo), so SARIF paths are repository-relative. */
function repositoryPrefix(directory: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--show-prefix'], { cwd: directory, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 })
      .toString('utf8')
      .trim();
  } catch {
    return '';
  }
}
