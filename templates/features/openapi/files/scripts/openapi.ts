// Writes the OpenAPI document generated from the route schemas to a file (default: dist/openapi.json),
// without listening on a port: `npm run openapi [-- <file>]`.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

const target = path.resolve(process.argv[2] ?? 'dist/openapi.json');
// The environment's settings (features document what they configure, such as a deprecated version),
// on a throw-away in-memory database: the document never depends on data.
const app = await buildApp(
  loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    DOCS_ENABLED: 'true',
    LOG_LEVEL: 'silent',
    DATABASE_URL: '',
    SQLITE_PATH: ':memory:',
  }),
);
await app.ready();
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(app.swagger(), null, 2)}\n`);
await app.close();
process.stdout.write(`OpenAPI document written to ${path.relative(process.cwd(), target)}\n`);
