import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Tree } from '../../src/engine/tree.ts';
import { addConfigProperty } from '../../src/patch/config-property.ts';
import { openSourceFiles } from '../../src/patch/project.ts';
import { registerPlugin } from '../../src/patch/register-plugin.ts';
import { IDENTITY_PATHS, type OrderKeys, type Patch } from '../../src/patch/types.ts';

const APP = `import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { errors } from './plugins/errors.ts';
import { healthRoutes } from './routes/health.ts';
import { itemsRoutes } from './routes/v1/items/index.ts';

// The user's comment stays.
export async function buildApp(config: Config): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.decorate('config', config);
  await app.register(errors);
  await app.register(healthRoutes);
  await app.register(itemsRoutes, { prefix: '/v1/items' });
  return app;
}
`;

const CONFIG = `import { type Static, Type } from 'typebox';

export const ConfigSchema = Type.Object({
  PORT: Type.Integer({ default: 3000 }),
  HOST: Type.String({ default: '127.0.0.1' }),
});
`;

const metrics = registerPlugin({ name: 'metrics', file: 'src/plugins/metrics.ts' });
const rateLimit = registerPlugin({ name: 'rateLimit', file: 'src/plugins/rate-limit.ts' });
const KEYS: Record<string, number[]> = {
  'plugin:src/plugins/rate-limit': [1, 0],
  'plugin:src/plugins/metrics': [2, 0],
  'config:RATE_LIMIT_MAX': [1, 1],
  'config:METRICS_TOKEN': [2, 1],
};
const order: OrderKeys = { of: (kind, identity) => KEYS[`${kind}:${identity}`] };

async function run(source: string, path: string, patches: readonly Patch[]): Promise<string> {
  const tree = new Tree(null);
  tree.write(path, source);
  const files = openSourceFiles(tree);
  for (const patch of patches) {
    const key = order.of(patch.kind, patch.identity) ?? [99];
    await patch.apply({ file: files.get(path), path, order, key, paths: IDENTITY_PATHS });
  }
  files.flush();
  return tree.read(path) ?? '';
}

describe('registerPlugin', async () => {
  it('imports the plugin and registers it before the routes, keeping the user code', async () => {
    const out = await run(APP, 'src/app.ts', [metrics]);
    assert.match(out, /import \{ metrics \} from '\.\/plugins\/metrics\.ts';\nimport \{ healthRoutes \}/);
    assert.match(out, /await app\.register\(errors\);\n {2}await app\.register\(metrics\);\n {2}await app\.register\(healthRoutes\);/);
    assert.match(out, /\/\/ The user's comment stays\./);
  });

  it('is idempotent', async () => {
    const once = await run(APP, 'src/app.ts', [metrics]);
    assert.equal(await run(once, 'src/app.ts', [metrics]), once);
  });

  it('gives the same result whatever order features are added in', async () => {
    assert.equal(await run(APP, 'src/app.ts', [rateLimit, metrics]), await run(APP, 'src/app.ts', [metrics, rateLimit]));
    assert.equal(
      await run(await run(APP, 'src/app.ts', [metrics]), 'src/app.ts', [rateLimit]),
      await run(APP, 'src/app.ts', [rateLimit, metrics]),
    );
  });

  it('finds the factory when the Fastify call is chained', async () => {
    const chained = APP.replace('Fastify({ logger: false });', 'Fastify({ logger: false }).setValidatorCompiler(compile);');
    assert.match(await run(chained, 'src/app.ts', [metrics]), /await app\.register\(errors\);\n {2}await app\.register\(metrics\);/);
  });

  it('follows the file convention for import extensions', async () => {
    const jsStyle = APP.replaceAll(".ts'", ".js'");
    assert.match(await run(jsStyle, 'src/app.ts', [metrics]), /from '\.\/plugins\/metrics\.js'/);
  });

  it('says what it looked for, and where, when there is no app factory', async () => {
    await assert.rejects(
      run('export const x = 1;\n', 'src/app.ts', [metrics]),
      /Could not find the app factory in src\/app\.ts: looked for .*Fastify\(/,
    );
  });

  it('`first` goes before every feature plugin and route; `last` (with a prefix) right before `return app`', async () => {
    const docs = registerPlugin({ name: 'openapi', file: 'src/plugins/openapi.ts', placement: 'first' });
    const rates = registerPlugin({ name: 'rates', file: 'src/routes/v1/rates.ts', prefix: '/v1/rates', placement: 'last' });
    const out = await run(APP, 'src/app.ts', [metrics, docs, rates]);
    assert.match(out, /register\(errors\);\n {2}await app\.register\(openapi\);\n {2}await app\.register\(metrics\);/);
    assert.match(out, /prefix: '\/v1\/items' \}\);\n {2}await app\.register\(rates, \{ prefix: '\/v1\/rates' \}\);\n {2}return app;/);
    assert.equal(await run(out, 'src/app.ts', [metrics, docs, rates]), out, 'idempotent');
  });

  it('falls back to `return app` when routes are registered elsewhere', async () => {
    const app = "import fastify from 'fastify';\nexport function build() {\n  const server = fastify();\n  return server;\n}\n";
    assert.match(await run(app, 'src/app.ts', [metrics]), /await server\.register\(metrics\);\n {2}return server;/);
  });
});

describe('addConfigProperty', async () => {
  const rateMax = addConfigProperty('RATE_LIMIT_MAX', 'Type.Integer({ default: 100, minimum: 1 })');
  const token = addConfigProperty('METRICS_TOKEN', "Type.String({ default: '' })");

  it('adds the property to ConfigSchema, once', async () => {
    const out = await run(CONFIG, 'src/config.ts', [rateMax]);
    assert.match(
      out,
      /HOST: Type\.String\(\{ default: '127\.0\.0\.1' \}\),\n {2}RATE_LIMIT_MAX: Type\.Integer\(\{ default: 100, minimum: 1 \}\),\n\}\);/,
    );
    assert.equal(await run(out, 'src/config.ts', [rateMax]), out);
  });

  it('orders properties by feature, not by arrival', async () => {
    assert.equal(
      await run(await run(CONFIG, 'src/config.ts', [token]), 'src/config.ts', [rateMax]),
      await run(CONFIG, 'src/config.ts', [rateMax, token]),
    );
  });

  it('names the missing anchor', async () => {
    await assert.rejects(run('export const x = 1;\n', 'src/config.ts', [rateMax]), /looked for `const ConfigSchema = Type\.Object/);
  });
});
