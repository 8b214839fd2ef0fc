import { vulnerableDependency } from './audit.ts';
import type { ProjectFiles } from './project.ts';
import { bodyLimit } from './static/body-limit.ts';
import { cors } from './static/cors.ts';
import { dependencyChecks } from './static/dependencies.ts';
import { docker } from './static/docker.ts';
import { errors } from './static/errors.ts';
import { headers } from './static/headers.ts';
import { jwt } from './static/jwt.ts';
import { lifecycle } from './static/lifecycle.ts';
import { logging } from './static/logging.ts';
import { proxy } from './static/proxy.ts';
import { rateLimit } from './static/rate-limit.ts';
import { secrets } from './static/secrets.ts';
import { sql } from './static/sql.ts';
import { workflows } from './static/workflows.ts';
import type { Finding, Rule, StaticCheck } from './types.ts';

/** Every static check, in report order within a severity. */
export function staticChecks(today: Date): StaticCheck[] {
  return [
    headers,
    cors,
    rateLimit,
    bodyLimit,
    errors,
    jwt,
    proxy,
    sql,
    secrets,
    lifecycle,
    logging,
    docker,
    workflows,
    dependencyChecks(today),
  ];
}

/** Every rule `check` can report (static, audit and live), for SARIF and the documentation. */
export async function allRules(): Promise<Rule[]> {
  const { liveRules } = await import('./live.ts');
  return [...staticChecks(new Date()).flatMap((c) => c.rules), vulnerableDependency, ...liveRules];
}

export async function runStaticChecks(project: ProjectFiles, today: Date): Promise<Finding[]> {
  const results = await Promise.all(staticChecks(today).map((c) => c.run(project)));
  // One constant used by several calls is one finding where it is written.
  const seen = new Set<string>();
  return results.flat().filter((finding) => {
    const key = `${finding.rule.id} ${JSON.stringify(finding.location)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
