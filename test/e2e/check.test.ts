import assert from 'node:assert/strict';
import { accessSync, chmodSync, constants, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { execa } from 'execa';
import { caseFiles, cases, layOut } from '../helpers/check-fixtures.ts';
import { cli, repoRoot, tempDir } from '../helpers/cli.ts';

/** The express base with a high (CORS), a medium (trust proxy) and a low (any origin elsewhere) finding planted. */
function plantedProject(): string {
  const dir = layOut(undefined, 'express', 'clean');
  for (const name of ['cors.credentials-any-origin', 'proxy.trust-all', 'lifecycle.no-health-route']) {
    const testCase = cases().find((c) => c.framework === 'express' && c.name === name);
    assert.ok(testCase, name);
    const planted = layOut(testCase, 'express', 'planted');
    for (const file of caseFiles(testCase)) cpSync(path.join(planted, file), path.join(dir, file));
  }
  return dir;
}

interface JsonReport {
  passed: boolean;
  failOn: string;
  summary: Record<string, number>;
  findings: { id: string; severity: string; location: { file: string; line: number; column: number }; accepted?: { reason: string } }[];
  skipped: { id: string; reason: string }[];
}

async function jsonCheck(dir: string, ...args: string[]): Promise<{ exitCode: number; report: JsonReport; stderr: string }> {
  const result = await cli(['check', '--dir', dir, '--no-audit', '--format', 'json', ...args]);
  return { exitCode: result.exitCode, report: JSON.parse(result.stdout || '{}') as JsonReport, stderr: result.stderr };
}

describe('check: the command', () => {
  it("--version and --help load none of check's code; check loads its modules only when it runs", async () => {
    const probe = `
      import { registerHooks } from 'node:module';
      const loaded = new Set();
      registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); if (/\\/dist\\/(check|commands\\/check)/.test(r.url)) loaded.add(r.url); return r; } });
      const { main } = await import(${JSON.stringify(path.join(repoRoot, 'dist/cli/main.js'))});
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = () => true;
      for (const argv of [['--version'], ['--help'], ['check', '--help']]) await main(argv);
      const before = loaded.size;
      await main(['check', '--dir', ${JSON.stringify(layOut(undefined, 'fastify', 'clean'))}, '--no-audit']);
      write(JSON.stringify({ before, after: loaded.size > 10 }));
    `;
    const result = await execa(process.execPath, ['--input-type=module', '-e', probe], { reject: false });
    assert.deepEqual(JSON.parse(result.stdout), { before: 0, after: true }, result.stderr);
  });

  it('exit 1 when a finding is at or above --fail-on (default high), 0 otherwise; text grouped by severity with one summary line', async () => {
    const dir = plantedProject();
    const text = await cli(['check', '--dir', dir, '--no-audit']);
    assert.equal(text.exitCode, 1, text.stderr);
    const headings = text.stdout.split('\n').filter((l) => /^(HIGH|MEDIUM|LOW|ACCEPTED|SKIPPED) \(\d+\)/.test(l));
    assert.deepEqual(headings, ['HIGH (1)', 'MEDIUM (1)', 'LOW (1)', 'SKIPPED (1): not checked, not clean']);
    assert.match(text.stdout, /cors\.credentials-any-origin {2}src\/security\.ts:10:\d+/);
    assert.match(
      text.stdout.trim().split('\n').at(-1) ?? '',
      /^1 high, 1 medium, 1 low, 0 accepted, 1 skipped: FAILED: 1 at high or above$/,
    );

    assert.equal((await jsonCheck(dir, '--fail-on', 'none')).exitCode, 0);
    assert.equal((await jsonCheck(dir, '--ignore', 'cors.credentials-any-origin')).exitCode, 0);
    const medium = await jsonCheck(dir, '--ignore', 'cors.credentials-any-origin', '--fail-on', 'medium');
    assert.equal(medium.exitCode, 1);
    assert.deepEqual(
      medium.report.findings.map((f) => f.id),
      ['proxy.trust-all', 'lifecycle.no-health-route'],
      '--ignore leaves the rule out of the report',
    );
    assert.equal((await jsonCheck(layOut(undefined, 'fastify', 'clean'), '--fail-on', 'low')).exitCode, 0);
  });

  it('a finding accepted in .hardened-api-check.json with a reason is reported as accepted and fails nothing', async () => {
    const dir = plantedProject();
    const reason = 'Partner widgets on any site call the public catalogue with cookies; reviewed in SEC-12';
    writeFileSync(
      path.join(dir, '.hardened-api-check.json'),
      JSON.stringify({ accept: [{ id: 'cors.credentials-any-origin', path: 'src/security.ts', reason }] }),
    );
    const { exitCode, report } = await jsonCheck(dir);
    assert.equal(exitCode, 0);
    assert.equal(report.passed, true);
    assert.deepEqual(report.findings.find((f) => f.id === 'cors.credentials-any-origin')?.accepted, { reason });
    assert.equal(report.summary.accepted, 1);
    assert.equal(report.summary.high, 0);
    const text = await cli(['check', '--dir', dir, '--no-audit']);
    assert.match(text.stdout, /ACCEPTED \(1\)\n {2}cors\.credentials-any-origin {2}src\/security\.ts:10:\d+ {2}reason: Partner widgets/);

    writeFileSync(path.join(dir, '.hardened-api-check.json'), JSON.stringify({ accept: [{ id: 'cors.credentials-any-origin' }] }));
    const unexplained = await cli(['check', '--dir', dir, '--no-audit']);
    assert.equal(unexplained.exitCode, 2);
    assert.match(unexplained.stderr, /accept\[0\] \(cors\.credentials-any-origin\) has no "reason"/);
  });

  it('exit 2 when the check cannot run: bad option, missing directory, positional argument', async () => {
    for (const args of [
      ['--format', 'xml'],
      ['--fail-on', 'critical'],
      ['--dir', '/nonexistent/x'],
      ['somewhere'],
      ['--url', 'ftp://x'],
      ['--probe-rate-limit'],
    ]) {
      const result = await cli(['check', ...args]);
      assert.equal(result.exitCode, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^error: /);
      assert.equal(result.stdout, '');
    }
  });

  it('npm audit that the registry refuses is reported as skipped, not clean', async () => {
    const dir = layOut(undefined, 'fastify', 'clean');
    // A lockfile with a package in it: npm only asks the registry when there is something to audit.
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, dependencies: { ms: '2.1.3' } }, null, 2));
    const integrity = 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==';
    const lock = {
      name: 'fixture-api',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'fixture-api', version: '1.0.0', dependencies: { ms: '2.1.3' } },
        'node_modules/ms': { version: '2.1.3', integrity, license: 'MIT' },
      },
    };
    writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock, null, 2));
    const result = await cli(['check', '--dir', dir, '--format', 'json']);
    const report = JSON.parse(result.stdout) as JsonReport;
    // The registry on these machines answers the audit endpoint with 405.
    const audit = report.skipped.find((s) => s.id === 'dependencies.vulnerable');
    assert.ok(audit, 'npm audit is listed as skipped');
    assert.match(audit.reason, /npm audit/);
    assert.equal(report.summary.skipped, 1);
  });
});

/** The SARIF 2.1.0 schema and the validator of the SARIF SDK (the spec editors' reference implementation). */
function sarifTool(): { schema: string; multitool: string } {
  const folder = path.join(
    repoRoot,
    'node_modules/@microsoft',
    `sarif-multitool-${process.platform === 'win32' ? 'win32' : process.platform}`,
  );
  const multitool = path.join(folder, process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');
  try {
    accessSync(multitool, constants.X_OK);
  } catch {
    // Its postinstall only sets the executable bit; a package manager that skipped it leaves the file as is.
    chmodSync(multitool, 0o755);
  }
  return { schema: path.join(folder, 'sarif-2.1.0.json'), multitool };
}

describe('check: SARIF', () => {
  it('is valid SARIF 2.1.0 (JSON schema) and passes the SARIF SDK validator with its GitHub code scanning rules', async () => {
    const dir = plantedProject();
    writeFileSync(
      path.join(dir, '.hardened-api-check.json'),
      JSON.stringify({ accept: [{ id: 'proxy.trust-all', reason: 'only reachable through the mesh' }] }),
    );
    const result = await cli(['check', '--dir', dir, '--no-audit', '--format', 'sarif']);
    assert.equal(result.exitCode, 1, result.stderr);
    const log = JSON.parse(result.stdout) as {
      runs: {
        tool: { driver: { rules: { id: string; help: { text: string } }[] } };
        results: { ruleId: string; level: string; suppressions?: unknown[] }[];
        invocations: { toolExecutionNotifications: { message: { text: string } }[] }[];
      }[];
    };

    const { schema, multitool } = sarifTool();
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(schema, 'utf8')) as object);
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));

    const [run] = log.runs;
    assert.ok(run);
    assert.match(
      run.invocations[0]?.toolExecutionNotifications[0]?.message.text ?? '',
      /^dependencies\.vulnerable skipped: npm audit not run/,
    );
    assert.ok(run.tool.driver.rules.length >= 40, 'every rule, with help');
    assert.ok(run.tool.driver.rules.every((r) => r.help.text.length > 40));
    assert.deepEqual(
      run.results.map((r) => [r.ruleId, r.level, Boolean(r.suppressions)]),
      [
        ['cors.credentials-any-origin', 'error', false],
        ['proxy.trust-all', 'warning', true],
        ['lifecycle.no-health-route', 'note', false],
      ],
    );

    const input = path.join(tempDir('sarif-'), 'check.sarif');
    writeFileSync(input, result.stdout);
    const output = `${input}.validation.sarif`;
    const validation = await execa(
      multitool,
      ['validate', input, '--output', output, '--rule-kind', 'Gh;Sarif', '--log', 'ForceOverwrite'],
      {
        env: { DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
        reject: false,
        all: true,
      },
    );
    assert.equal(validation.exitCode, 0, validation.all);
    assert.ok(existsSync(output), validation.all);
    const problems = (
      JSON.parse(readFileSync(output, 'utf8')) as { runs: { results?: { ruleId: string; level?: string; message: unknown }[] }[] }
    ).runs
      .flatMap((r) => r.results ?? [])
      .filter((r) => r.level !== 'note' && r.level !== 'none');
    assert.deepEqual(problems, [], 'no schema, SARIF or GitHub ingestion error or warning');
  });

  it('locates results relative to the repository root when the project is a folder of a repository', async () => {
    const repository = tempDir('monorepo-');
    const dir = plantedProject();
    cpSync(dir, path.join(repository, 'services/api'), { recursive: true });
    await execa('git', ['init', '-q'], { cwd: repository });
    const result = await cli(['check', '--dir', path.join(repository, 'services/api'), '--no-audit', '--format', 'sarif']);
    const log = JSON.parse(result.stdout) as {
      runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const uris = log.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri);
    assert.deepEqual(uris, ['services/api/src/security.ts', 'services/api/src/app.ts', 'services/api/src/app.ts']);
  });

  it('the validator does catch what GitHub would refuse (a result without a location)', async () => {
    const dir = plantedProject();
    const result = await cli(['check', '--dir', dir, '--no-audit', '--format', 'sarif']);
    const log = JSON.parse(result.stdout) as { runs: { results: Record<string, unknown>[] }[] };
    delete log.runs[0]?.results[0]?.locations;
    const input = path.join(tempDir('sarif-'), 'broken.sarif');
    writeFileSync(input, JSON.stringify(log));
    const { multitool } = sarifTool();
    const output = `${input}.validation.sarif`;
    await execa(multitool, ['validate', input, '--output', output, '--rule-kind', 'Gh;Sarif', '--log', 'ForceOverwrite'], {
      env: { DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
      reject: false,
    });
    const ids = (JSON.parse(readFileSync(output, 'utf8')) as { runs: { results?: { ruleId: string }[] }[] }).runs
      .flatMap((r) => r.results ?? [])
      .map((r) => r.ruleId);
    assert.ok(
      ids.some((id) => id.startsWith('GH')),
      ids.join(', '),
    );
  });
});
