import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { tempDir } from '../helpers/cli.ts';
import { generate, linkDependencies } from '../helpers/generated.ts';
import { type GeneratedServer, startGeneratedServer } from '../helpers/server.ts';

/** Runs sqlmap (bounded) and returns the rows of its results file: one per injectable parameter. */
async function sqlmap(target: string, extra: string[] = []): Promise<string[]> {
  const out = tempDir('sqlmap-');
  const results = path.join(out, 'results.csv');
  await execa(
    'timeout',
    [
      '300',
      'sqlmap',
      '-u',
      target,
      '--batch',
      '--flush-session',
      `--output-dir=${out}`,
      `--results-file=${results}`,
      '--disable-coloring',
      '--time-sec=2',
      '--timeout=5',
      '--retries=0',
      '--level=2',
      ...extra,
    ],
    { reject: false, stdin: 'ignore' },
  );
  const written = readdirSync(out).some((f) => f === 'results.csv');
  assert.ok(written, 'sqlmap wrote its results file');
  return readFileSync(results, 'utf8').trim().split('\n').slice(1).filter(Boolean);
}

describe('sqlmap finds a real injection (so that its silence below means something)', () => {
  it('flags a concatenated query', async () => {
    const { DatabaseSync } = await import('node:sqlite');
    const http = await import('node:http');
    const db = new DatabaseSync(':memory:');
    db.exec("CREATE TABLE t (id TEXT, name TEXT); INSERT INTO t VALUES ('1', 'a'), ('2', 'b');");
    const vulnerable = http.createServer((request, response) => {
      const id = new URL(request.url ?? '/', 'http://x').searchParams.get('id') ?? '';
      try {
        response.end(JSON.stringify(db.prepare(`SELECT name FROM t WHERE id = '${id}'`).all()));
      } catch {
        response.statusCode = 500;
        response.end('{"error":"internal"}');
      }
    });
    await new Promise<void>((resolve) => vulnerable.listen(0, '127.0.0.1', resolve));
    const { port } = vulnerable.address() as { port: number };
    try {
      assert.equal((await sqlmap(`http://127.0.0.1:${port}/?id=1`, ['--dbms=SQLite'])).length, 1);
    } finally {
      vulnerable.close();
    }
  });
});

describe('sqlmap against a started base project', () => {
  let server: GeneratedServer;
  let itemId: string;
  before(async () => {
    const project = await generate([], 'sqlmap-target');
    await linkDependencies(project);
    server = await startGeneratedServer(project, {
      env: { NODE_ENV: 'development', LOG_LEVEL: 'info', SQLITE_PATH: path.join(project, 'data/sqlmap.db') },
    });
    for (const name of ['alpha', 'beta', 'gamma']) {
      const response = await fetch(`${server.url}/v1/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, status: 'active' }),
      });
      itemId = ((await response.json()) as { id: string }).id;
    }
  });
  after(async () => {
    await server.stop();
  });

  it('finds nothing injectable in the list filters', async () => {
    assert.deepEqual(await sqlmap(`${server.url}/v1/items?name=al&status=active&sort=name&limit=5`), []);
  });

  it('finds nothing injectable in the item route', async () => {
    assert.deepEqual(await sqlmap(`${server.url}/v1/items/${itemId}*`), []);
  });

  it('finds nothing injectable in a JSON body', async () => {
    assert.deepEqual(
      await sqlmap(`${server.url}/v1/items`, ['--data={"name":"probe","description":"x"}', '--headers=Content-Type: application/json']),
      [],
    );
  });
});
