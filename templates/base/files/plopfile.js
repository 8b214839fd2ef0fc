// `npm run generate -- resource <name>`: adds a CRUD resource shaped like items (schemas, routes,
// data access, migration, tests) and registers it in src/routes/v1/index.ts.
import { execFileSync } from 'node:child_process';

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** @param {import('plop').NodePlopAPI} plop */
export default function (plop) {
  plop.setHelper('timestamp', () => new Date().toISOString().replace(/\D/g, '').slice(0, 14));
  // Imports must stay sorted for the linter; Biome fixes what the text insertion above cannot know.
  plop.setActionType('format', (answers, config) => {
    const files = config.files.map((file) => plop.renderString(file, answers));
    execFileSync('npx', ['biome', 'check', '--write', ...files], { stdio: 'inherit' });
    return `formatted ${files.join(', ')}`;
  });
  plop.setGenerator('resource', {
    description: 'a CRUD resource like items',
    prompts: [
      {
        type: 'input',
        name: 'name',
        message: 'Resource name (plural, kebab-case, e.g. orders):',
        validate: (value) => NAME.test(value) || 'Use lower-case letters, digits and dashes, starting with a letter.',
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
      // The registry file only lists resources, so its doc comment and closing brace are stable anchors.
      {
        type: 'modify',
        path: 'src/routes/v1/index.ts',
        pattern: /(\n\/\*\* Every resource of API version 1)/,
        template: "import { {{camelCase name}}Routes } from './{{kebabCase name}}/index.ts';\n$1",
      },
      {
        type: 'modify',
        path: 'src/routes/v1/index.ts',
        pattern: /(\n};\n?)$/,
        template: "\n  await app.register({{camelCase name}}Routes, { prefix: '/{{kebabCase name}}' });$1",
      },
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
