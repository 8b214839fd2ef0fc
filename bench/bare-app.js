// The comparison point for throughput: a bare Fastify app serving GET /v1/items from the same rows
// through the generated project's own compiled data access, with none of the hardening layers.
// Usage: node bench/bare-app.js <project dir> <sqlite file> <port>
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [project, sqlitePath, port] = process.argv.slice(2);
const load = (file) => import(pathToFileURL(path.join(project, file)).href);
const { default: Fastify } = await load('node_modules/fastify/fastify.js');
const { openDatabase } = await load('dist/db/database.js');
const { itemsRepository } = await load('dist/routes/v1/items/repository.js');

const db = await openDatabase({ databaseUrl: '', sqlitePath });
const items = itemsRepository(db);
const app = Fastify({ logger: false });
app.get('/v1/items', async () => {
  const page = await items.list({}, { limit: 20, sort: '-createdAt' }, undefined);
  return { data: page.items, nextCursor: page.nextCursor };
});
app.get('/health/ready', async () => ({ status: 'ok' }));
await app.listen({ host: '127.0.0.1', port: Number(port) });
