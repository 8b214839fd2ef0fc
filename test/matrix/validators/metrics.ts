import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { execa } from 'execa';
import { startGeneratedServer } from '../../helpers/server.ts';
import { npmTool } from '../../helpers/tools.ts';

/**
 * Validates the generated metrics setup with promtool (Debian `prometheus`, tools.md section 1) and
 * against the running project:
 * - `promtool check config` (which also checks the rule files it lists), `promtool check rules`, and
 *   `promtool test rules` on every file in ops/prometheus/tests; every alert of alerts.yml must be
 *   expected to fire by some test;
 * - the exposition of the started project after some traffic: `promtool check metrics` exits 0 and prints
 *   nothing (exit 3 is a lint finding, 1 a parse error), and /metrics refuses a request without the token;
 * - the Grafana provisioning and dashboard: the JSON parses, panel ids are unique, every target uses the
 *   provisioned datasource, and every metric that a dashboard query or an alert names is one the app
 *   really exports (or Prometheus's own `up`).
 */
const YAML = { name: 'yaml', version: '2.9.1' };
const TOKEN = 'matrix-metrics-token-0123456789abcdef';
const PROMETHEUS_OWN = new Set(['up']);

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export async function validateMetrics(project: string): Promise<void> {
  const yamlDir = await npmTool(YAML);
  const yaml = createRequire(path.join(yamlDir, 'package.json'))('yaml') as { parse(source: string): unknown };
  const problems: string[] = [];
  const read = (file: string) => readFileSync(path.join(project, file), 'utf8');

  const tests = readdirSync(path.join(project, 'ops/prometheus/tests'))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => `ops/prometheus/tests/${f}`);
  for (const args of [
    ['check', 'config', 'ops/prometheus/prometheus.yml'],
    ['check', 'rules', 'ops/prometheus/alerts.yml'],
    ...tests.map((file) => ['test', 'rules', file]),
  ]) {
    const result = await execa('promtool', args, { cwd: project, reject: false, all: true, stdin: 'ignore' });
    if (result.exitCode !== 0 || !/SUCCESS/.test(result.all ?? '')) {
      problems.push(`promtool ${args.join(' ')} (exit ${result.exitCode}):\n${result.all ?? ''}`);
    }
  }

  const rules = arr(obj(yaml.parse(read('ops/prometheus/alerts.yml'))).groups).flatMap((g) => arr(obj(g).rules).map(obj));
  const alerts = rules.map((r) => String(r.alert));
  const firing = new Set(
    tests.flatMap((file) =>
      arr(obj(yaml.parse(read(file))).tests).flatMap((t) =>
        arr(obj(t).alert_rule_test)
          .map(obj)
          .filter((a) => arr(a.exp_alerts).length > 0)
          .map((a) => String(a.alertname)),
      ),
    ),
  );
  for (const alert of alerts.filter((a) => !firing.has(a))) problems.push(`alert ${alert}: no rule test expects it to fire`);

  const exposition = await scrape(project, problems);
  const check = await execa('promtool', ['check', 'metrics'], { input: exposition, reject: false, all: true });
  if (check.exitCode !== 0 || (check.all ?? '').trim() !== '') {
    problems.push(`promtool check metrics (exit ${check.exitCode}):\n${check.all ?? ''}`);
  }
  const exported = exportedNames(exposition);

  const datasources = arr(obj(yaml.parse(read('ops/grafana/provisioning/datasources/prometheus.yaml'))).datasources).map(obj);
  const uids = new Set(datasources.map((d) => d.uid));
  const providers = arr(obj(yaml.parse(read('ops/grafana/provisioning/dashboards/api.yaml'))).providers).map(obj);
  if (!providers.some((p) => p.type === 'file' && typeof obj(p.options).path === 'string')) {
    problems.push('ops/grafana/provisioning/dashboards/api.yaml: no file provider with options.path');
  }
  let dashboard: Json = {};
  try {
    dashboard = obj(JSON.parse(read('ops/grafana/dashboards/api.json')));
  } catch (error) {
    problems.push(`ops/grafana/dashboards/api.json does not parse: ${(error as Error).message}`);
  }
  const panels = arr(dashboard.panels).map(obj);
  if (panels.length === 0) problems.push('the dashboard has no panels');
  const ids = panels.map((p) => p.id);
  if (new Set(ids).size !== ids.length) problems.push(`dashboard panel ids are not unique: ${ids.join(', ')}`);
  const queries: [string, string][] = [];
  for (const panel of panels.filter((p) => p.type !== 'row')) {
    const where = `dashboard panel "${String(panel.title)}"`;
    if (!uids.has(obj(panel.datasource).uid)) problems.push(`${where}: datasource is not the provisioned one`);
    const targets = arr(panel.targets).map(obj);
    if (targets.length === 0) problems.push(`${where}: no query`);
    for (const target of targets) queries.push([where, String(target.expr)]);
  }
  for (const variable of arr(obj(dashboard.templating).list).map(obj)) {
    queries.push([`dashboard variable ${String(variable.name)}`, String(variable.definition)]);
  }
  for (const rule of rules) queries.push([`alert ${String(rule.alert)}`, String(rule.expr)]);
  for (const [where, expr] of queries) {
    const names = [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)].map((m) => m[1] as string);
    if (names.length === 0) problems.push(`${where}: no metric selector in ${expr}`);
    for (const name of names.filter((n) => !exported.has(n) && !PROMETHEUS_OWN.has(n))) {
      problems.push(`${where}: ${name} is not a metric the app exports`);
    }
  }

  if (problems.length > 0) throw new Error(`metrics:\n  ${problems.join('\n  ')}`);
}

/** Every sample name the exposition can have: each family's name, plus a histogram's _bucket/_sum/_count. */
function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name as string);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

/** Starts the project, sends some traffic, checks that /metrics wants the token, and scrapes it. */
async function scrape(project: string, problems: string[]): Promise<string> {
  const server = await startGeneratedServer(project, {
    env: { NODE_ENV: 'development', SQLITE_PATH: ':memory:', DATABASE_URL: '', METRICS_TOKEN: TOKEN, METRICS_CLIENT_LIMIT: '10' },
  });
  try {
    for (const url of ['/health/live', '/v1/items', '/no-such-route']) await fetch(`${server.url}${url}`);
    const refused = await fetch(`${server.url}/metrics`);
    if (refused.status !== 401) problems.push(`/metrics without the token answered ${refused.status}`);
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`/metrics with the token answered ${response.status}: ${text}`);
    return text;
  } finally {
    await server.stop();
  }
}
