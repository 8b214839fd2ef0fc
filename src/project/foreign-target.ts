import type { Manifest } from '../engine/manifest.ts';
import type { ForeignTarget } from '../engine/project-target.ts';
import type { Tree } from '../engine/tree.ts';
import { findEnvSchema } from './env-schema/find-env-schema.ts';
import { type ProjectFacts, readProjectFacts } from './facts.ts';
import { findFastifyApp } from './fastify/find-app.ts';
import { RefusalError } from './refusal.ts';

/** The oldest TypeScript the code we write compiles with (TypeBox 1 and our own sources). */
export const MINIMUM_TYPESCRIPT = { major: 5, minor: 0 };

/**
 * Reads a project we did not generate and finds its app, or refuses with the truth: what it is
 * (JavaScript, Fastify 3, Express, ...), what was searched and what was found instead.
 */
export async function foreignTarget(tree: Tree, previous: Manifest | undefined): Promise<ForeignTarget> {
  const facts = await readProjectFacts(tree);
  assertPatchable(facts);
  const app = findFastifyApp(tree, facts);
  const supportDir = previous?.support ?? supportFolder(app.file);
  return { kind: 'foreign', framework: 'fastify', facts, app, supportDir, envSchema: findEnvSchema(tree, facts, supportDir) };
}

function assertPatchable(facts: ProjectFacts): void {
  const framework = facts.framework;
  if (!framework) {
    throw new RefusalError(
      `${facts.root} is neither a create-hardened-api project nor a Fastify project: looked for .hardened-api.json and for "fastify" in the dependencies of package.json.`,
      'create-hardened-api add patches Fastify + TypeScript projects (or creates a new one: create-hardened-api <directory>).',
    );
  }
  if (framework.name !== 'fastify') {
    throw new RefusalError(
      `${facts.root} is an Express project ("express": "${framework.range}" in package.json); add patches Fastify projects.`,
    );
  }
  if (framework.major !== undefined && framework.major < 4) {
    throw new RefusalError(
      `${facts.root} uses Fastify ${framework.major} ("fastify": "${framework.range}" in package.json); add supports Fastify 4 and 5.`,
      'Nothing was written. Upgrade to Fastify 4 or 5 first (https://fastify.dev/docs/latest/Guides/Migration-Guide-V4/), then run the command again.',
    );
  }
  if (!facts.tsconfig || !facts.typescript) {
    const missing = [
      !facts.tsconfig && 'tsconfig.json',
      !facts.typescript && 'typescript (or @typescript/native-preview) in its dependencies',
    ]
      .filter(Boolean)
      .join(' and ');
    throw new RefusalError(
      `${facts.root} looks like a JavaScript project: it has no ${missing}. add writes TypeScript into TypeScript projects.`,
    );
  }
  const ts = facts.typescript;
  if (
    ts.major !== undefined &&
    (ts.major < MINIMUM_TYPESCRIPT.major || (ts.major === MINIMUM_TYPESCRIPT.major && (ts.minor ?? 0) < MINIMUM_TYPESCRIPT.minor))
  ) {
    throw new RefusalError(
      `${facts.root} uses TypeScript ${ts.range}; the code add writes needs TypeScript ${MINIMUM_TYPESCRIPT.major}.${MINIMUM_TYPESCRIPT.minor} or newer.`,
      `Nothing was written. Upgrade ${ts.package} to ${MINIMUM_TYPESCRIPT.major}.${MINIMUM_TYPESCRIPT.minor} or newer, then run the command again.`,
    );
  }
}

/** Our folder sits in the app's source folder (`src/app.ts` -> `src/hardened-api`), inside what tsconfig compiles. */
function supportFolder(appFile: string): string {
  const [first, ...rest] = appFile.split('/');
  return rest.length > 0 && first ? `${first}/hardened-api` : 'hardened-api';
}
