import { anchorFinding, frameworksOf, routes } from '../apps.ts';
import { excerpt, findingAt, importsOf, methodCalls, pluginRegistrations, property, staticValue } from '../code.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';

const SHUTDOWN_PACKAGES =
  /^(?:close-with-grace|@godaddy\/terminus|http-terminator|stoppable|fastify-graceful-shutdown|@nestjs\/terminus|lightship)$/;
const HEALTH_PATH = /(?:^|\/)(?:health|healthz|healthcheck|livez|readyz|live|liveness|ready|readiness|ping|status)(?:\/|$)/i;

export const noShutdown: Rule = {
  id: 'lifecycle.no-graceful-shutdown',
  severity: 'medium',
  title: 'No graceful shutdown',
  why: 'On SIGTERM (every deploy, scale-in or node drain) the process dies mid-request: clients get connection resets and work in flight is lost.',
  owasp: 'API4:2023 Unrestricted Resource Consumption (availability)',
  checklist: [28],
  remedy:
    'Handle SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, close the database, exit (close-with-grace does this for Fastify).',
};

export const noHealthRoute: Rule = {
  id: 'lifecycle.no-health-route',
  severity: 'low',
  title: 'No health route',
  why: 'Without liveness and readiness endpoints an orchestrator or load balancer cannot tell a stuck or starting instance from a healthy one, and keeps sending it traffic.',
  owasp: 'API8:2023 Security Misconfiguration (operations)',
  checklist: [29],
  remedy: 'Add /health/live (no dependencies) and /health/ready (database and other dependencies), public and excluded from rate limits.',
};

export const lifecycle: StaticCheck = {
  rules: [noShutdown, noHealthRoute],
  async run(project: ProjectFiles): Promise<Finding[]> {
    if (frameworksOf(project).length === 0) return [];
    const sources = await project.sources();
    const findings: Finding[] = [];
    const listens = sources.flatMap((s) => methodCalls(s, 'listen'));
    const handlesSignals =
      sources.some((s) => [...importsOf(s).values()].some((i) => SHUTDOWN_PACKAGES.test(i.module))) ||
      sources.some((s) =>
        methodCalls(s, 'on', 'once', 'addListener', 'prependListener').some(
          (call) =>
            /^process$/.test(call.getExpression().getFirstChild()?.getText() ?? '') &&
            ['SIGTERM', 'SIGINT'].includes(String(staticValue(call.getArguments()[0]))),
        ),
      );
    const [listen] = listens;
    if (listen && !handlesSignals) findings.push(findingAt(noShutdown, listen, `${excerpt(listen, 80)} with no SIGTERM handling`));

    const declared = routes(sources);
    // @fastify/under-pressure can serve the status route itself.
    const statusRoute = pluginRegistrations(sources, '@fastify/under-pressure').some(
      ({ options }) => ![undefined, false].includes(staticValue(property(options, 'exposeStatusRoute')) as undefined),
    );
    if (declared.length > 0 && !statusRoute && !declared.some((r) => HEALTH_PATH.test(r.path))) {
      findings.push(anchorFinding(project, sources, noHealthRoute, `${declared.length} route(s), none of them a health route`));
    }
    return findings;
  },
};
