import { Node, SyntaxKind } from 'ts-morph';
import { callsTo, findingAt, objectLiteral, property, propertyNode, staticValue } from '../code.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';

const MAX_BYTES = 10 * 1024 * 1024;

export const largeBody: Rule = {
  id: 'body-limit.too-large',
  severity: 'medium',
  title: 'Request body limit above 10 MB',
  why: 'Every request may make the server buffer and parse that much: a few concurrent clients exhaust memory and CPU.',
  owasp: 'API4:2023 Unrestricted Resource Consumption',
  checklist: [12],
  remedy:
    'Keep the global limit small (Fastify defaults to 1 MiB, express.json() to 100 kB) and raise it only on the routes that need it, or stream uploads.',
};

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 };

/** Bytes from a number or a `bytes`-style string ('50mb', '1.5 GB'), as Express body parsers read them. */
export function bytesOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|pb)?\s*$/i.exec(value);
  if (!match) return undefined;
  return Math.floor(Number(match[1]) * (UNITS[(match[2] ?? 'b').toLowerCase()] ?? 1));
}

const describe = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : 'unlimited');

export const bodyLimit: StaticCheck = {
  rules: [largeBody],
  async run(project: ProjectFiles): Promise<Finding[]> {
    const sources = await project.sources();
    const findings: Finding[] = [];
    // Fastify: the factory's, a route's or a content-type parser's `bodyLimit`.
    if (project.dependsOn('fastify')) {
      for (const source of sources.filter((s) => s.getFullText().includes('bodyLimit'))) {
        for (const assignment of source.getDescendantsOfKind(SyntaxKind.PropertyAssignment)) {
          if (assignment.getName() !== 'bodyLimit') continue;
          const bytes = bytesOf(staticValue(assignment.getInitializer()));
          if (bytes !== undefined && bytes > MAX_BYTES) findings.push(findingAt(largeBody, assignment, `bodyLimit: ${describe(bytes)}`));
        }
      }
    }
    // Express: express.json/urlencoded/raw/text and body-parser's, with their `limit`.
    const parsers = [['json'], ['urlencoded'], ['raw'], ['text']];
    for (const call of [...callsTo(sources, 'express', ...parsers), ...callsTo(sources, 'body-parser', ...parsers)]) {
      const options = objectLiteral(call.getArguments()[0]);
      const limit = property(options, 'limit');
      const bytes = limit ? bytesOf(staticValue(limit)) : undefined;
      if (bytes !== undefined && bytes > MAX_BYTES) {
        const at = propertyNode(options, 'limit');
        findings.push(
          findingAt(largeBody, at && Node.isNode(at) ? at : call, `limit: ${describe(bytes)} on ${call.getExpression().getText()}()`),
        );
      }
    }
    return findings;
  },
};
