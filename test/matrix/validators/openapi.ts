import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../../helpers/cli.ts';
import { toolEnv } from '../../helpers/generated.ts';
import { startGeneratedServer } from '../../helpers/server.ts';
import { npmTool } from '../../helpers/tools.ts';

/**
 * Validates the generated OpenAPI setup:
 * - Spectral (spectral:oas + the OWASP API Security ruleset, as the project's .spectral.yaml names them)
 *   on the document `npm run openapi` exports: zero errors, and every remaining warning's rule listed
 *   with its reason in docs/api-lint.md;
 * - /docs of the started project in headless Chromium: Swagger UI renders every operation of the
 *   document with no console error (a CSP violation is one); a screenshot is kept in
 *   .test-output/docs-<combination>.png.
 */
const SPECTRAL = { name: '@stoplight/spectral-cli', version: '6.16.3', extra: ['@stoplight/spectral-owasp-ruleset@2.0.1'] };
const PLAYWRIGHT = { name: 'playwright-core', version: '1.65.1' };
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

interface Finding {
  code: string;
  message: string;
  severity: number;
  path: string[];
}

export async function validateOpenapi(project: string): Promise<void> {
  const [spectralDir, playwrightDir] = await Promise.all([npmTool(SPECTRAL), npmTool(PLAYWRIGHT)]);
  await execa('npm', ['run', 'openapi'], { cwd: project, env: toolEnv, stdin: 'ignore' });
  await lint(project, path.join(spectralDir, 'node_modules/.bin/spectral'));
  await renderDocs(project, playwrightDir);
}

async function lint(project: string, spectral: string): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'spectral-'));
  try {
    const report = path.join(scratch, 'report.json');
    const result = await execa(
      spectral,
      ['lint', 'dist/openapi.json', '--ruleset', '.spectral.yaml', '-f', 'json', '-o', report, '--fail-severity=error'],
      { cwd: project, env: toolEnv, reject: false, stdin: 'ignore', all: true },
    );
    let findings: Finding[];
    try {
      findings = JSON.parse(readFileSync(report, 'utf8')) as Finding[];
    } catch {
      throw new Error(`spectral produced no report (exit ${result.exitCode}):\n${result.all ?? ''}`);
    }
    const where = (f: Finding) => `${f.code} at ${f.path.join('.')}: ${f.message}`;
    const errors = findings.filter((f) => f.severity === 0);
    if (errors.length > 0 || result.exitCode !== 0) {
      throw new Error(`spectral: ${errors.length} error(s) (exit ${result.exitCode}):\n  ${errors.map(where).join('\n  ')}`);
    }
    const listed = readFileSync(path.join(project, 'docs/api-lint.md'), 'utf8');
    const unlisted = findings.filter((f) => f.severity === 1 && !listed.includes(`\`${f.code}\``));
    if (unlisted.length > 0) {
      throw new Error(`spectral warnings not explained in docs/api-lint.md:\n  ${unlisted.map(where).join('\n  ')}`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface Page {
  on(event: 'console', listener: (message: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  goto(url: string): Promise<{ status(): number } | null>;
  locator(selector: string): { count(): Promise<number>; nth(index: number): { waitFor(options: { timeout: number }): Promise<void> } };
  screenshot(options: { path: string; fullPage: boolean }): Promise<unknown>;
}
interface Playwright {
  chromium: {
    launch(options: { executablePath: string; args: string[] }): Promise<{ newPage(): Promise<Page>; close(): Promise<void> }>;
  };
}

async function renderDocs(project: string, playwrightDir: string): Promise<void> {
  const document = JSON.parse(readFileSync(path.join(project, 'dist/openapi.json'), 'utf8')) as { paths: Record<string, object> };
  const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).filter((k) => k !== 'parameters').length, 0);
  const manifest = JSON.parse(readFileSync(path.join(project, '.hardened-api.json'), 'utf8')) as { features: string[] };
  const combination = manifest.features.join('+') || 'base';
  const { chromium } = createRequire(path.join(playwrightDir, 'package.json'))('playwright-core') as Playwright;

  const server = await startGeneratedServer(project, { env: { NODE_ENV: 'development', SQLITE_PATH: ':memory:', DATABASE_URL: '' } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    const response = await page.goto(`${server.url}/docs`);
    if (response?.status() !== 200) throw new Error(`/docs answered ${response?.status()}`);
    // A locator waits in Playwright's own world; a string predicate (waitForFunction) would be evaluated
    // in the page, which its CSP forbids: the violation would be reported as the page's own error.
    await page
      .locator('.opblock')
      .nth(operations - 1)
      .waitFor({ timeout: 30_000 })
      .catch(() => undefined);
    const rendered = await page.locator('.opblock').count();
    const shots = path.join(repoRoot, '.test-output');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, `docs-${combination}.png`), fullPage: true });
    if (rendered !== operations) problems.push(`Swagger UI shows ${rendered} operations, the document has ${operations}`);
    if (problems.length > 0) throw new Error(`/docs in Chromium (${combination}):\n  ${problems.join('\n  ')}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}
