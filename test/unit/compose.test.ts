import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { commitChanges } from '../../src/engine/commit.ts';
import { composeProject } from '../../src/engine/compose.ts';
import { readManifest } from '../../src/engine/manifest.ts';
import { GENERATED } from '../../src/engine/project-target.ts';
import { resolveFeatures } from '../../src/engine/resolve.ts';
import { Tree } from '../../src/engine/tree.ts';
import { defineFeature } from '../../src/features/define.ts';
import { addConfigProperty } from '../../src/patch/config-property.ts';
import { registerPlugin } from '../../src/patch/register-plugin.ts';
import { snapshot, tempDir } from '../helpers/cli.ts';

const FILES: Record<string, string> = {
  'base/files/package.json.hbs': '{\n  "name": "{{name}}",\n  "dependencies": {\n    "fastify": "5.12.8"\n  }\n}\n',
  'base/files/README.md': '# API\n\n## Features\n\nOptional features.\n\n## Scripts\n',
  'base/files/_env.example': '# Port\nPORT=3000\n',
  'base/files/src/config.ts':
    "import { Type } from 'typebox';\n\nexport const ConfigSchema = Type.Object({\n  PORT: Type.Integer(),\n});\n",
  'base/files/src/app.ts':
    "import Fastify from 'fastify';\nimport { items } from './routes/items.ts';\n\nexport async function buildApp() {\n  const app = Fastify();\n  await app.register(items);\n  return app;\n}\n",
  'features/alpha/files/src/plugins/alpha.ts': 'export const alpha = async () => {};\n',
  'features/alpha/readme.md': '### Alpha\n\nAlpha things.\n',
  'features/beta/files/src/plugins/beta.ts': 'export const beta = async () => {};\n',
  'features/beta/files/compose.yaml.hbs': 'services:\n  api: {}\n{{#if has.alpha}}  alpha: {}\n{{/if}}',
  'features/beta/files/alpha-settings.env.hbs': '{{#if has.alpha}}ALPHA=1\n{{/if}}',
};

function fixture(): string {
  const root = tempDir('templates-');
  for (const [file, content] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

const registry = [
  defineFeature({
    id: 'alpha',
    title: 'Alpha',
    description: 'a',
    presets: ['full'],
    dependencies: { alpha: '1.0.0' },
    env: [{ name: 'ALPHA_LEVEL', example: '1', description: 'How much alpha' }],
    patches: [registerPlugin({ name: 'alpha', file: 'src/plugins/alpha.ts' }), addConfigProperty('ALPHA_LEVEL', 'Type.Integer()')],
  }),
  defineFeature({
    id: 'beta',
    title: 'Beta',
    description: 'b',
    presets: ['full'],
    patches: [registerPlugin({ name: 'beta', file: 'src/plugins/beta.ts' })],
  }),
];

async function compose(dir: string, templatesDir: string, ids: string[]): Promise<void> {
  const tree = new Tree(dir);
  const previous = readManifest(tree);
  await composeProject({
    tree,
    previous,
    features: resolveFeatures([...(previous?.features ?? []), ...ids], registry),
    registry,
    answers: { name: 'demo', options: {} },
    target: GENERATED,
    version: '0.0.0',
    templatesDir,
  });
  await commitChanges(dir, tree.changes());
}

describe('composeProject', () => {
  it('gives the same bytes whatever order features arrive in', async () => {
    const templates = fixture();
    const [direct, ab, ba] = [tempDir(), tempDir(), tempDir()];
    await compose(direct, templates, ['alpha', 'beta']);
    await compose(ab, templates, []);
    await compose(ab, templates, ['alpha']);
    await compose(ab, templates, ['beta']);
    await compose(ba, templates, []);
    await compose(ba, templates, ['beta']);
    await compose(ba, templates, ['alpha']);
    assert.deepEqual(snapshot(ab), snapshot(direct));
    assert.deepEqual(snapshot(ba), snapshot(direct));
    const app = readFileSync(path.join(direct, 'src/app.ts'), 'utf8');
    assert.match(app, /register\(alpha\);\n {2}await app\.register\(beta\);\n {2}await app\.register\(items\);/);
    assert.match(readFileSync(path.join(direct, 'compose.yaml'), 'utf8'), /alpha: \{\}/);
    assert.match(
      readFileSync(path.join(direct, 'README.md'), 'utf8'),
      /## Features\n\nOptional features\.\n\n### Alpha\n\nAlpha things\.\n\n## Scripts/,
    );
  });

  it('writes a file that renders empty only once it has content (alpha-settings exists with alpha)', async () => {
    const templates = fixture();
    const dir = path.join(tempDir('compose-'), 'api');
    await compose(dir, templates, ['beta']);
    assert.throws(() => readFileSync(path.join(dir, 'alpha-settings.env'), 'utf8'), /ENOENT/);
    await compose(dir, templates, ['alpha']);
    assert.equal(readFileSync(path.join(dir, 'alpha-settings.env'), 'utf8'), 'ALPHA=1\n');
  });

  it('is a no-op when run again with the same features', async () => {
    const templates = fixture();
    const dir = tempDir();
    await compose(dir, templates, ['alpha', 'beta']);
    const tree = new Tree(dir);
    await composeProject({
      tree,
      previous: readManifest(tree),
      features: registry,
      registry,
      answers: { name: 'demo', options: {} },
      target: GENERATED,
      version: '0.0.0',
      templatesDir: templates,
    });
    assert.deepEqual(tree.changes(), []);
  });

  it('keeps a user edit to a file whose template output did not change', async () => {
    const templates = fixture();
    const dir = tempDir();
    await compose(dir, templates, ['alpha']);
    writeFileSync(path.join(dir, 'src/plugins/alpha.ts'), '// mine\n');
    await compose(dir, templates, ['beta']);
    assert.equal(readFileSync(path.join(dir, 'src/plugins/alpha.ts'), 'utf8'), '// mine\n');
  });

  it('refuses to re-render a user-edited file, writing nothing', async () => {
    const templates = fixture();
    const dir = tempDir();
    await compose(dir, templates, ['beta']);
    writeFileSync(path.join(dir, 'compose.yaml'), 'services: {} # mine\n');
    const before = snapshot(dir);
    await assert.rejects(
      compose(dir, templates, ['alpha']),
      /changed since they were generated and would have to be rewritten: compose\.yaml/,
    );
    assert.deepEqual(snapshot(dir), before);
  });

  it('refuses a README section that depends on other features (it is written only once)', async () => {
    const templates = fixture();
    writeFileSync(path.join(templates, 'features/beta/readme.md'), '### Beta\n\n{{#if has.alpha}}with alpha{{/if}}\n');
    await assert.rejects(compose(tempDir(), templates, ['beta']), /readme\.md: .*a README section may use options, not has/);
  });

  it('patches a user-edited app factory in place and stops owning it', async () => {
    const templates = fixture();
    const dir = tempDir();
    await compose(dir, templates, []);
    const appFile = path.join(dir, 'src/app.ts');
    writeFileSync(appFile, readFileSync(appFile, 'utf8').replace('return app;', '// my hook\n  return app;'));
    await compose(dir, templates, ['alpha']);
    const app = readFileSync(appFile, 'utf8');
    assert.match(app, /\/\/ my hook/);
    assert.match(app, /await app\.register\(alpha\);/);
    const manifest = JSON.parse(readFileSync(path.join(dir, '.hardened-api.json'), 'utf8'));
    assert.equal(manifest.files['src/app.ts'], undefined);
    await compose(dir, templates, ['beta']);
    assert.match(readFileSync(appFile, 'utf8'), /\/\/ my hook/);
  });
});
