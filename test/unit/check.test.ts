import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { auditDependencies } from '../../src/check/audit.ts';
import { isIgnored, parseGitignore } from '../../src/check/gitignore.ts';
import { ProjectFiles } from '../../src/check/project.ts';
import { bytesOf } from '../../src/check/static/body-limit.ts';
import { endedOn, lowestMajor } from '../../src/check/static/dependencies.ts';
import { tempDir } from '../helpers/cli.ts';

function project(files: Record<string, string>): ProjectFiles {
  const root = path.join(tempDir('check-unit-'), 'p');
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return new ProjectFiles(root);
}

describe('check: reading a project', () => {
  it('follows .gitignore the way git does (anchoring, directories, negation, nested files)', () => {
    const rules = [
      ...parseGitignore('node_modules/\n/build\n*.log\n!keep.log\n.env*\n!.env.example\n'),
      ...parseGitignore('*.pem\n', 'certs'),
    ];
    const ignored = (file: string) => isIgnored(rules, file);
    assert.equal(ignored('node_modules/x/index.js'), true);
    assert.equal(ignored('src/node_modules/x.js'), true);
    assert.equal(ignored('build/app.js'), true);
    assert.equal(ignored('src/build/app.js'), false, 'a leading slash anchors to the root');
    assert.equal(ignored('logs/today.log'), true);
    assert.equal(ignored('keep.log'), false);
    assert.equal(ignored('.env.production'), true);
    assert.equal(ignored('.env.example'), false);
    assert.equal(ignored('certs/dev.pem'), true);
    assert.equal(ignored('deploy/dev.pem'), false, 'a nested .gitignore only applies below its folder');
  });

  it('in a git work tree, lists what git would commit; in a folder the repository ignores, every file', async () => {
    const { execFileSync } = await import('node:child_process');
    const root = path.join(tempDir('check-git-'), 'repo');
    mkdirSync(path.join(root, 'api/src'), { recursive: true });
    mkdirSync(path.join(root, 'demo'), { recursive: true });
    writeFileSync(path.join(root, '.gitignore'), 'demo/\n*.log\n');
    writeFileSync(path.join(root, 'api/src/app.ts'), '');
    writeFileSync(path.join(root, 'api/debug.log'), '');
    writeFileSync(path.join(root, 'demo/app.ts'), '');
    execFileSync('git', ['init', '-q'], { cwd: root });
    assert.deepEqual([...new ProjectFiles(path.join(root, 'api')).files], ['src/app.ts']);
    assert.deepEqual([...new ProjectFiles(path.join(root, 'demo')).files], ['app.ts']);
  });

  it('lists what would be committed: ignored files and build output are left out', () => {
    const p = project({ '.gitignore': '.env\ncoverage/\n', '.env': 'A=1', 'src/app.ts': '', 'coverage/x.json': '{}', 'dist/app.js': '' });
    assert.deepEqual([...p.files], ['.gitignore', 'src/app.ts']);
  });
});

describe('check: values', () => {
  it('reads body limits as Express body parsers do', () => {
    assert.equal(bytesOf('100kb'), 102_400);
    assert.equal(bytesOf('50mb'), 52_428_800);
    assert.equal(bytesOf('1.5 GB'), 1_610_612_736);
    assert.equal(bytesOf(1024), 1024);
    assert.equal(bytesOf('lots'), undefined);
  });

  it('finds the lowest Node.js line an engines range admits, and which lines have ended', () => {
    assert.equal(lowestMajor('>=22.18'), 22);
    assert.equal(lowestMajor('^20 || ^22'), 20);
    assert.equal(lowestMajor('18.x'), 18);
    assert.equal(lowestMajor('*'), undefined);
    const day = new Date('2026-12-01T00:00:00Z');
    assert.equal(endedOn(20, day), '2026-04-30');
    assert.equal(endedOn(22, day), undefined);
    assert.equal(endedOn(14, day), 'long ago');
    assert.equal(endedOn(22, new Date('2027-05-01T00:00:00Z')), '2027-04-30');
  });
});

describe('check: npm audit', () => {
  const locked = () =>
    project({
      'package.json': JSON.stringify({ name: 'a', dependencies: { ms: '2.0.0' } }, null, 2),
      'package-lock.json': JSON.stringify({ packages: { 'node_modules/ms': {}, 'node_modules/debug': {} } }, null, 2),
    });

  it('reports an audit the registry refused as skipped, with the reason, never as clean', async () => {
    // What npm 11 prints when the registry answers 405 (as the one on these machines does).
    const refused = JSON.stringify({
      message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
      statusCode: 405,
      error: { summary: '', detail: '' },
    });
    const result = await auditDependencies(locked(), async () => ({ stdout: refused }));
    assert.deepEqual(result.findings, []);
    assert.equal(result.skipped.length, 1);
    assert.match(result.skipped[0]?.reason ?? '', /405 Method Not Allowed/);
    const silent = await auditDependencies(locked(), async () => ({ stdout: '', failure: 'spawn npm ENOENT' }));
    assert.match(silent.skipped[0]?.reason ?? '', /did not answer: spawn npm ENOENT/);
  });

  it('turns advisories into findings by package, with npm severities mapped and the dependency located', async () => {
    const report = {
      vulnerabilities: {
        ms: { severity: 'critical', isDirect: true, range: '<2.0.0', via: [{ title: 'ReDoS in ms' }] },
        debug: { severity: 'moderate', isDirect: false, range: '<2.6.9', via: ['ms'] },
      },
    };
    const result = await auditDependencies(locked(), async () => ({ stdout: JSON.stringify(report) }));
    assert.deepEqual(result.skipped, []);
    const summary = result.findings.map((f) => [
      f.severity ?? f.rule.severity,
      'file' in f.location ? `${f.location.file}:${f.location.line}` : '',
      f.seen,
    ]);
    assert.deepEqual(summary, [
      ['high', 'package.json:4', 'ms <2.0.0: ReDoS in ms'],
      ['medium', 'package-lock.json:4', 'debug <2.6.9: via ms'],
    ]);
  });

  it('without package-lock.json it says why it did not run', async () => {
    const result = await auditDependencies(project({ 'package.json': '{}', 'pnpm-lock.yaml': '' }), async () => {
      throw new Error('must not run');
    });
    assert.match(result.skipped[0]?.reason ?? '', /package-lock\.json/);
  });
});

describe('check: by meaning, not by text', () => {
  const ids = async (files: Record<string, string>) => {
    const { runStaticChecks } = await import('../../src/check/registry.ts');
    const findings = await runStaticChecks(project(files), new Date('2026-12-01T00:00:00Z'));
    return findings.map((f) => `${f.rule.id} ${'file' in f.location ? `${f.location.file}:${f.location.line}` : ''}`).sort();
  };
  const pkg = (dependencies: Record<string, string>) => JSON.stringify({ name: 'a', dependencies });

  it('follows renamed imports, CommonJS destructuring, constants and spreads to the call that matters', async () => {
    const found = await ids({
      'package.json': pkg({ jsonwebtoken: '9.0.2', fastify: '5.0.0' }),
      'src/a.ts': [
        "const { verify: check } = require('jsonwebtoken');",
        "const base = { audience: 'api' };",
        'const options = { ...base };',
        'export const a = (t: string) => check(t, process.env.KEY, options);',
      ].join('\n'),
      'src/b.ts': [
        "import * as tokens from 'jsonwebtoken';",
        "const pinned = { algorithms: ['ES256'] as const };",
        'export const b = (t: string) => tokens.verify(t, process.env.KEY as string, pinned);',
      ].join('\n'),
      'src/c.js': ["const app = require('fastify')({", '  // behind a load balancer', '  trustProxy: /* all of them */ true,', '});'].join(
        '\n',
      ),
    });
    assert.ok(found.includes('jwt.algorithms-not-pinned src/a.ts:4'), found.join('\n'));
    assert.ok(!found.some((f) => f.startsWith('jwt.') && f.includes('src/b.ts')), 'the pinned list reached through a constant counts');
    assert.ok(found.includes('proxy.trust-all src/c.js:3'), found.join('\n'));
  });

  it('ignores look-alikes: a comment, a string that is not the option, a call on something else', async () => {
    const found = await ids({
      'package.json': pkg({ express: '5.1.0' }),
      'src/app.ts': [
        "import express from 'express';",
        "import helmet from 'helmet';",
        'const app = express();',
        'app.use(helmet());',
        "// app.set('trust proxy', true) was removed",
        "const settings = new Map([['trust proxy', true]]);",
        "settings.set('trust proxy', true);",
        "export const note = 'origin: true, credentials: true';",
        'export default app;',
      ].join('\n'),
    });
    assert.deepEqual(
      found.filter((f) => !f.startsWith('rate-limit.') && !f.startsWith('dependencies.')),
      [],
    );
  });

  it('test code is not application code: what tests plant is not reported', async () => {
    const found = await ids({
      'package.json': pkg({ fastify: '5.0.0' }),
      'test/helpers/app.ts': "import Fastify from 'fastify';\nexport const app = Fastify({ trustProxy: true });\n",
      'src/routes.spec.ts': "import Fastify from 'fastify';\nexport const app = Fastify({ trustProxy: true });\n",
    });
    assert.deepEqual(
      found.filter((f) => f.startsWith('proxy.')),
      [],
    );
  });

  it('an opt-in limiter that the application applies to every request in a hook covers the sign-in routes', async () => {
    const routes = [
      "import type { FastifyInstance } from 'fastify';",
      'export async function auth(app: FastifyInstance) {',
      "  app.post('/auth/login', async () => ({}));",
      '}',
    ].join('\n');
    const limiter = (hook: string) =>
      [
        "import rateLimit from '@fastify/rate-limit';",
        "import type { FastifyInstance } from 'fastify';",
        'export async function limits(app: FastifyInstance) {',
        '  await app.register(rateLimit, { global: false });',
        '  const check = app.createRateLimit({ max: 5, timeWindow: 60_000 });',
        `  app.addHook('${hook}', async (request, reply) => {`,
        '    const result = await check(request);',
        '    if (result.isExceeded) return reply.code(429).send();',
        '  });',
        '}',
      ].join('\n');
    const files = (hook: string) => ({ 'package.json': pkg({ fastify: '5.0.0' }), 'src/auth.ts': routes, 'src/limits.ts': limiter(hook) });
    assert.deepEqual(
      (await ids(files('preParsing'))).filter((f) => f.startsWith('rate-limit.')),
      [],
    );
    assert.deepEqual(
      (await ids(files('onSend'))).filter((f) => f.startsWith('rate-limit.')),
      ['rate-limit.sign-in src/auth.ts:3'],
      'a hook after the handler ran limits nothing',
    );
  });

  it('security headers set by a reverse proxy configured in the repository count', async () => {
    const app = {
      'package.json': pkg({ fastify: '5.0.0' }),
      'src/app.ts': "import Fastify from 'fastify';\nexport const app = Fastify();\n",
    };
    assert.ok((await ids(app)).includes('headers.missing src/app.ts:2'));
    const proxied = { ...app, 'ops/nginx.conf': 'server {\n  add_header X-Content-Type-Options nosniff always;\n}\n' };
    assert.ok(!(await ids(proxied)).some((f) => f.startsWith('headers.missing')));
  });
});

describe('check: documentation', () => {
  it('the README lists every rule id, each in its table with the severity the rule has', async () => {
    const { readFileSync } = await import('node:fs');
    const { allRules } = await import('../../src/check/registry.ts');
    const { repoRoot } = await import('../helpers/cli.ts');
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const rows = new Map([...readme.matchAll(/^\| `([\w.-]+)` \| ([\w ]+) \|/gm)].map((m) => [m[1], m[2]]));
    for (const rule of await allRules()) {
      if (rule.id.startsWith('live.')) assert.ok(readme.includes(`\`${rule.id}\``), `${rule.id} is named in the README`);
      else if (rule.id === 'dependencies.vulnerable') assert.equal(rows.get(rule.id), 'from the advisory');
      else assert.equal(rows.get(rule.id), rule.severity, `${rule.id} in the README's table`);
    }
  });
});
