import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Tree } from '../../src/engine/tree.ts';
import { mountSupport } from '../../src/project/fastify/mount.ts';
import { foreignTarget } from '../../src/project/foreign-target.ts';
import { foreignProject } from '../helpers/foreign-project.ts';

async function mounted(files: Record<string, string>, app: string): Promise<string> {
  const dir = foreignProject(files);
  const tree = new Tree(dir);
  const target = await foreignTarget(tree, undefined);
  mountSupport(tree, target, new Set());
  const once = tree.read(app) ?? '';
  mountSupport(tree, target, new Set());
  assert.equal(tree.read(app), once, 'mounting twice changes nothing');
  return once;
}

describe('mountSupport', () => {
  it('adds one import and one registration after the infrastructure, before the routes', async () => {
    const out = await mounted(
      {
        'src/app.ts': `import Fastify from 'fastify';
import cors from '@fastify/cors';
import { items } from './routes/items.js';

export async function buildApp() {
  const app = Fastify();
  await app.register(cors);

  // routes
  await app.register(items, { prefix: '/items' });
  return app;
}
`,
      },
      'src/app.ts',
    );
    assert.equal(
      out,
      `import Fastify from 'fastify';
import cors from '@fastify/cors';
import { items } from './routes/items.js';
import { hardenedApi } from './hardened-api/index.js';

export async function buildApp() {
  const app = Fastify();
  await app.register(cors);
  await app.register(hardenedApi);

  // routes
  await app.register(items, { prefix: '/items' });
  return app;
}
`,
    );
  });

  it('follows the file: tabs, double quotes, no semicolons, no await at module level', async () => {
    const out = await mounted(
      {
        'src/server.ts':
          'import fastify from "fastify"\nimport helmet from "@fastify/helmet"\n\nconst server = fastify()\nserver.register(helmet)\nserver.get("/", async () => ({}))\nserver.listen({ port: 3000 })\n',
      },
      'src/server.ts',
    );
    assert.equal(
      out,
      'import fastify from "fastify"\nimport helmet from "@fastify/helmet"\nimport { hardenedApi } from "./hardened-api/index.js"\n\nconst server = fastify()\nserver.register(helmet)\nserver.register(hardenedApi)\nserver.get("/", async () => ({}))\nserver.listen({ port: 3000 })\n',
    );
  });

  it('goes into the method that registers the plugins of a class holding the instance', async () => {
    const out = await mounted(
      {
        'src/server.ts': `import Fastify, { type FastifyInstance } from 'fastify';
import sensible from '@fastify/sensible';

export class Server {
\treadonly #fastify: FastifyInstance;

\tconstructor() {
\t\tthis.#fastify = Fastify();
\t\tthis.#plugins();
\t\tthis.#routes();
\t}

\t#plugins(): void {
\t\tthis.#fastify.register(sensible);
\t}

\t#routes(): void {
\t\tthis.#fastify.get('/', async () => ({}));
\t}
}
`,
      },
      'src/server.ts',
    );
    assert.match(out, /\t\tthis\.#fastify\.register\(sensible\);\n\t\tthis\.#fastify\.register\(hardenedApi\);\n\t\}/);
  });

  it('adds a file to an autoloaded plugins folder instead of editing the app', async () => {
    const dir = 'src/plugins/hardened-api.ts';
    const app = `import AutoLoad from '@fastify/autoload';
import type { FastifyPluginAsync } from 'fastify';
import { join } from 'node:path';

const app: FastifyPluginAsync = async (fastify, opts): Promise<void> => {
  void fastify.register(AutoLoad, { dir: join(import.meta.dirname, 'plugins'), options: opts });
  void fastify.register(AutoLoad, { dir: join(import.meta.dirname, 'routes'), options: opts });
};
export default app;
`;
    const plugin = await mounted({ 'src/app.ts': app, 'src/plugins/support.ts': 'export default async () => {};\n' }, dir);
    assert.equal(plugin, "import { hardenedApi } from '../hardened-api/index.js';\n\nexport default hardenedApi;\n");
  });
});
