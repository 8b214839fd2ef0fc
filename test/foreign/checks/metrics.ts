import assert from 'node:assert/strict';
import { execa } from 'execa';
import type { ForeignContext } from './index.ts';

const TOKEN = 'foreign-metrics-token-0123456789abcdef';
export const METRICS_ENV = { METRICS_TOKEN: TOKEN };

/**
 * /metrics refuses a request without the token (401 problem+json), and with it serves an exposition
 * that `promtool check metrics` accepts, where the project's own route counts under its template.
 */
export async function checkMetrics({ url, probe }: ForeignContext): Promise<void> {
  for (let i = 0; i < 3; i++) assert.equal((await fetch(`${url}${probe}`)).status, 200, `GET ${probe}`);
  const refused = await fetch(`${url}/metrics`);
  assert.equal(refused.status, 401, '/metrics without the token');
  assert.match(refused.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const scraped = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(scraped.status, 200, '/metrics with the token');
  const text = await scraped.text();
  const route = probe.split('?')[0];
  assert.ok(
    text.split('\n').some((line) => line.startsWith('http_requests_total{') && line.includes(`route="${route}"`)),
    `a series for ${route} in:\n${text.slice(0, 2000)}`,
  );
  const lint = await execa('promtool', ['check', 'metrics'], { input: text, reject: false, all: true });
  assert.equal(lint.exitCode, 0, `promtool check metrics:\n${lint.all}`);
  assert.equal((lint.all ?? '').trim(), '', `promtool check metrics found:\n${lint.all}`);
}
