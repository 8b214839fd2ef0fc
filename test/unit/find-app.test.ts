import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Tree } from '../../src/engine/tree.ts';
import { readProjectFacts } from '../../src/project/facts.ts';
import { findFastifyApp } from '../../src/project/fastify/find-app.ts';
import { foreignProject } from '../helpers/foreign-project.ts';

async function find(files: Record<string, string>, packageJson?: Record<string, unknown>) {
  const tree = new Tree(foreignProject(files, packageJson));
  return findFastifyApp(tree, await readProjectFacts(tree));
}

describe('findFastifyApp', () => {
  it('finds a factory, skipping a file that imports only types from fastify', async () => {
    const app = await find({
      'src/api/handlers.ts': "import type { FastifyReply } from 'fastify';\nexport const ok = (reply: FastifyReply) => reply.send({});\n",
      'src/app.ts':
        "import Fastify from 'fastify';\nimport { routes } from './routes/index.js';\nexport async function buildApp() {\n  const app = Fastify({ logger: true }).withTypeProvider();\n  await app.register(routes, { prefix: '/api' });\n  return app;\n}\n",
      'src/routes/index.ts':
        "import type { FastifyInstance } from 'fastify';\nexport async function routes(app: FastifyInstance) {\n  app.get('/', async () => ({}));\n}\n",
    });
    assert.equal(app.file, 'src/app.ts');
    assert.equal(app.holder, 'factory');
    assert.equal(app.instance, 'app');
  });

  it('finds a module-level instance under any local name of the named import', async () => {
    const app = await find({
      'src/server.ts':
        "import { fastify as createServer } from 'fastify';\nexport const server = createServer();\nserver.get('/', async () => ({}));\nawait server.ready();\n",
    });
    assert.deepEqual([app.file, app.holder, app.instance], ['src/server.ts', 'module', 'server']);
  });

  it('finds an instance kept in a #private class field', async () => {
    const app = await find({
      'src/api-server.ts':
        "import Fastify, { type FastifyInstance } from 'fastify';\nexport class ApiServer {\n  readonly #fastify: FastifyInstance;\n  constructor() {\n    this.#fastify = Fastify();\n    this.#routes();\n  }\n  #routes() {\n    this.#fastify.get('/', async () => ({}));\n  }\n}\n",
    });
    assert.deepEqual([app.holder, app.instance], ['class-field', 'this.#fastify']);
  });

  it('finds the app plugin fastify-cli starts, and the plugins folder it autoloads', async () => {
    const app = await find(
      {
        'src/app.ts':
          "import AutoLoad from '@fastify/autoload';\nimport type { FastifyPluginAsync } from 'fastify';\nimport { join } from 'node:path';\nconst app: FastifyPluginAsync = async (fastify, opts): Promise<void> => {\n  void fastify.register(AutoLoad, { dir: join(__dirname, 'plugins'), options: opts });\n  void fastify.register(AutoLoad, { dir: join(__dirname, 'routes'), options: opts });\n};\nexport default app;\n",
        'src/plugins/sensible.ts': "import fp from 'fastify-plugin';\nexport default fp(async () => {});\n",
        'src/routes/root.ts':
          "import type { FastifyPluginAsync } from 'fastify';\nconst root: FastifyPluginAsync = async (fastify) => {\n  fastify.get('/', async () => ({}));\n};\nexport default root;\n",
      },
      { scripts: { start: 'fastify start -l info dist/app.js' } },
    );
    assert.deepEqual([app.file, app.holder, app.instance, app.autoloadDir], ['src/app.ts', 'app-plugin', 'fastify', 'src/plugins']);
  });

  it('follows an entry file that registers the app plugin into that plugin', async () => {
    const app = await find({
      'src/server.ts':
        "import Fastify from 'fastify';\nimport app from './app.js';\nconst server = Fastify();\nserver.register(app);\nserver.listen({ port: 3000 });\n",
      'src/app.ts':
        "import type { FastifyInstance } from 'fastify';\nimport cors from '@fastify/cors';\nimport { items } from './routes/items.js';\nexport default async function app(fastify: FastifyInstance) {\n  await fastify.register(cors);\n  await fastify.register(items, { prefix: '/items' });\n}\n",
      'src/routes/items.ts':
        "import type { FastifyInstance } from 'fastify';\nexport async function items(app: FastifyInstance) {\n  app.get('/', async () => []);\n}\n",
    });
    assert.deepEqual([app.file, app.holder, app.instance], ['src/app.ts', 'app-plugin', 'fastify']);
  });

  it('refuses saying what it searched and what it found instead', async () => {
    await assert.rejects(
      find({
        'src/handlers.ts': "import type { FastifyRequest } from 'fastify';\nexport const id = (r: FastifyRequest) => r.id;\n",
        'src/make.ts': "import Fastify from 'fastify';\nexport const make = () => Fastify();\n",
      }),
      (error: Error) => {
        assert.match(error.message, /searched 2 TypeScript files/);
        assert.match(error.message, /src\/handlers\.ts imports only types from fastify/);
        assert.match(error.message, /src\/make\.ts:2: a function returns Fastify\(\.\.\.\) directly/);
        return true;
      },
    );
  });
});
