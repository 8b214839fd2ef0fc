// `npm run generate -- resource <name>`: adds a CRUD resource shaped like items (schemas, routes,
// data access, migration, tests) and registers it in src/routes/v1/index.ts.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const TAKEN = new Set(['items', 'health', 'schema-migrations']);
const REGISTRY = 'src/routes/v1/index.ts';

/**
 * Adds `import { xRoutes } ...` and `await app.register(xRoutes, { prefix })` to the v1 registry.
 * The registry holds nothing but imports and the `v1Routes` function, so "after the last import" and
 * "before the `};` that closes v1Routes" cannot land inside other code; both anchors are checked, and
 * a file that no longer has them stops the generator with a message instead of being edited blindly.
 * Running it twice changes nothing.
 */
function register(root, plugin, folder) {
  const file = path.join(root, REGISTRY);
  const lines = readFileSync(file, 'utf8').split('\n');
  const importLine = `import { ${plugin} } from './${folder}/index.ts';`;
  if (lines.includes(importLine)) return `${plugin} already registered`;
  const start = lines.findIndex((line) => line.startsWith('export const v1Routes'));
  const end = lines.findIndex((line, i) => i > start && line === '};');
  const lastImport = lines.findLastIndex((line, i) => i < start && line.startsWith('import '));
  if (start < 0 || end < 0 || lastImport < 0) {
    throw new Error(`${REGISTRY}: expected imports, then \`export const v1Routes = async (app) => { ... };\``);
  }
  lines.splice(end, 0, `  await app.register(${plugin}, { prefix: '/${folder}' });`);
  lines.splice(lastImport + 1, 0, importLine);
  writeFileSync(file, lines.join('\n'));
  return `registered ${plugin} in ${REGISTRY}`;
}

/** @param {import('plop').NodePlopAPI} plop */
export default function (plop) {
  plop.setHelper('timestamp', () => new Date().toISOString().replace(/\D/g, '').slice(0, 14));
  // Generated code is formatted like the rest and imports stay sorted for the linter.
  plop.setActionType('format', (answers, config) => {
    const files = config.files.map((file) => plop.renderString(file, answers));
    execFileSync('npx', ['biome', 'check', '--write', ...files], { stdio: 'inherit' });
    return `formatted ${files.join(', ')}`;
  });
  plop.setActionType('register', (answers) =>
    register(
      plop.getDestBasePath(),
      plop.renderString('{{camelCase name}}Routes', answers),
      plop.renderString('{{kebabCase name}}', answers),
    ),
  );
  plop.setGenerator('resource', {
    description: 'a CRUD resource like items',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'Resource name (plural, kebab-case, e.g. orders):',
        validate: (value) => {
          if (!NAME.test(value)) return 'Use lower-case letters, digits and dashes, starting with a letter.';
          return !TAKEN.has(value) || `${value} is already taken.`;
        },
      },
    ],
    actions: [
      {
        type: 'add',
        path: 'src/routes/v1/{{kebabCase name}}/index.ts',
        templateFile: 'generators/resource/index.ts.hbs',
      },
      {
        type: 'add',
        path: 'src/routes/v1/{{kebabCase name}}/schemas.ts',
        templateFile: 'generators/resource/schemas.ts.hbs',
      },
      {
        type: 'add',
        path: 'src/routes/v1/{{kebabCase name}}/repository.ts',
        templateFile: 'generators/resource/repository.ts.hbs',
      },
      {
        type: 'add',
        path: 'migrations/{{timestamp}}_{{snakeCase name}}.sql',
        templateFile: 'generators/resource/migration.sql.hbs',
      },
      {
        type: 'add',
        path: 'test/integration/{{kebabCase name}}.test.ts',
        templateFile: 'generators/resource/resource.test.ts.hbs',
      },
      { type: 'register' },
      {
        type: 'format',
        files: [
          'src/routes/v1/index.ts',
          'src/routes/v1/{{kebabCase name}}',
          'test/integration/{{kebabCase name}}.test.ts',
        ],
      },
    ],
  });
}
