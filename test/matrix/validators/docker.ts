import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { POSTGRES_URL, REDIS_URL, toolEnv } from '../../helpers/generated.ts';
import { killGroup } from '../../helpers/processes.ts';
import { productionSecrets } from '../../helpers/production.ts';
import { npmTool } from '../../helpers/tools.ts';

/**
 * Validates the generated container setup without a Docker engine (there is none here):
 * - Dockerfile: dockerfilelint (its exit code is its number of findings; every finding fails) and
 *   dockerfile-utils (syntax and semantics, warnings included), then our rules on the dockerfile-ast
 *   parse (hadolint cannot run offline): base images pinned to an exact version, no ADD, installs with
 *   --ignore-scripts, a non-root numeric USER, exec-form ENTRYPOINT (an init) and CMD, a HEALTHCHECK
 *   without curl, NODE_ENV=production, no secret-looking ENV/ARG, an allowlist .dockerignore;
 * - compose.yaml: `docker-compose config -q` (Debian's v1, no engine needed) and dclint with every rule
 *   and warnings counted, then the hardening the feature promises on every service;
 * - the image's commands run here, as the image runs them: the runtime stage's files laid out as its
 *   COPY lines say (owned by root, read-only to the app), its ENV, its USER (uid 1000, when this
 *   harness runs as root), the RUN steps that run as that user (the compile cache warm-up), the compose
 *   `migrate` command, then ENTRYPOINT + CMD (tini, node dist/bundle/server.js) on PostgreSQL and Redis:
 *   /health/ready answers 200, the HEALTHCHECK command exits 0, the API process is not root, and
 *   SIGTERM stops it with exit 0 within the compose stop_grace_period.
 */
const DOCKERFILELINT = { name: 'dockerfilelint', version: '1.8.0' };
const DOCKERFILE_UTILS = { name: 'dockerfile-utils', version: '0.16.3', extra: ['dockerfile-ast@0.7.1'] };
const DCLINT = { name: 'dclint', version: '3.1.0' };
const YAML = { name: 'yaml', version: '2.9.1' };

/**
 * dclint's configuration: every rule runs and warnings count as failures, but for these two.
 * - require-project-name-field: off, since docker-compose 1.29 (the validator that needs no engine)
 *   rejects the top-level `name:`;
 * - require-quotes-in-ports: double quotes, the generated project's formatter (Biome) writes them.
 */
const DCLINT_CONFIG = {
  rules: { 'require-project-name-field': 0, 'require-quotes-in-ports': [1, { quoteType: 'double' }] },
};

/** The unprivileged user of the node base image; the runtime stage must run as it. */
const APP_UID = 1000;

type Json = Record<string, unknown>;
interface Instruction {
  keyword: string;
  args: string;
  line: number;
  from?: string;
}
interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
}

export async function validateDocker(project: string): Promise<void> {
  const [lintDir, utilsDir, dclintDir, yamlDir] = await Promise.all([
    npmTool(DOCKERFILELINT),
    npmTool(DOCKERFILE_UTILS),
    npmTool(DCLINT),
    npmTool(YAML),
  ]);
  const dockerfile = readFileSync(path.join(project, 'Dockerfile'), 'utf8');
  const problems: string[] = [];

  const lint = await execa(path.join(lintDir, 'node_modules/.bin/dockerfilelint'), ['-o', 'json', 'Dockerfile'], {
    cwd: project,
    env: toolEnv,
    reject: false,
    stdin: 'ignore',
  });
  const report = JSON.parse(lint.stdout) as { files: { issues: { line: string; title: string; content: string }[] }[] };
  for (const issue of report.files.flatMap((f) => f.issues))
    problems.push(`Dockerfile:${issue.line}: ${issue.title}: ${issue.content} (dockerfilelint)`);
  if (lint.exitCode !== 0 && problems.length === 0) problems.push(`dockerfilelint exited ${lint.exitCode}: ${lint.stderr}`);

  const utils = createRequire(path.join(utilsDir, 'package.json'));
  const { validate } = utils('dockerfile-utils') as { validate(text: string): { message: string; range: { start: { line: number } } }[] };
  for (const d of validate(dockerfile)) problems.push(`Dockerfile:${d.range.start.line + 1}: ${d.message} (dockerfile-utils)`);

  const stages = parseStages(utils, dockerfile);
  problems.push(...dockerfileRules(project, stages), ...dockerignoreRules(project));

  const yaml = createRequire(path.join(yamlDir, 'package.json'))('yaml') as { parse(source: string): unknown };
  const compose = obj(yaml.parse(readFileSync(path.join(project, 'compose.yaml'), 'utf8')));
  problems.push(...(await composeChecks(project, compose, path.join(dclintDir, 'node_modules/.bin/dclint'))));

  if (problems.length > 0) throw new Error(`the container setup is not valid:\n  ${problems.join('\n  ')}`);
  await runImageCommands(project, stages.at(-1) as Stage, compose);
}

function parseStages(utils: NodeJS.Require, text: string): Stage[] {
  const { DockerfileParser } = utils('dockerfile-ast') as {
    DockerfileParser: {
      parse(text: string): {
        getInstructions(): {
          getKeyword(): string;
          getArgumentsContent(): string | null;
          getRange(): { start: { line: number } };
          getFromFlag?(): { getValue(): string | null } | null;
          getImage?(): string | null;
          getBuildStage?(): string | null;
        }[];
      };
    };
  };
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      stages.push({ name: instruction.getBuildStage?.() ?? undefined, image: instruction.getImage?.() ?? '', instructions: [] });
      continue;
    }
    const from = keyword === 'COPY' ? (instruction.getFromFlag?.()?.getValue() ?? undefined) : undefined;
    stages.at(-1)?.instructions.push({
      keyword,
      args: (instruction.getArgumentsContent() ?? '').replace(/\s+/g, ' ').trim(),
      line: instruction.getRange().start.line + 1,
      ...(from ? { from } : {}),
    });
  }
  return stages;
}

function dockerfileRules(project: string, stages: Stage[]): string[] {
  const problems: string[] = [];
  const expect = (ok: unknown, message: string): void => {
    if (!ok) problems.push(`Dockerfile: ${message}`);
  };
  const ignore = path.join(project, '.dockerignore');
  const allowed = new Set(
    existsSync(ignore)
      ? readFileSync(ignore, 'utf8')
          .split('\n')
          .map((l) => l.trim())
      : [],
  );
  const names = new Set<string>();
  for (const stage of stages) {
    const tag = /^[\w.-]+(\/[\w.-]+)*:(\d+\.\d+\.\d+[\w.-]*)(@sha256:[0-9a-f]{64})?$/.exec(stage.image);
    expect(names.has(stage.image) || tag, `FROM ${stage.image}: not pinned to an exact version (name:x.y.z[-variant])`);
    if (stage.name) names.add(stage.name);
  }
  const all = stages.flatMap((s) => s.instructions);
  for (const i of all) {
    expect(i.keyword !== 'ADD', `line ${i.line}: ADD (COPY says what it does; ADD also fetches URLs and unpacks archives)`);
    if (i.keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(i.args)) {
      expect(/--ignore-scripts\b/.test(i.args), `line ${i.line}: npm install without --ignore-scripts`);
    }
    if (i.keyword === 'ENV' || i.keyword === 'ARG') {
      expect(
        !/(SECRET|PASSWORD|TOKEN|PRIVATE|API_?KEY|DATABASE_URL|REDIS_URL)/i.test(i.args),
        `line ${i.line}: a secret in an image layer: ${i.keyword} ${i.args}`,
      );
    }
    if (i.keyword === 'COPY' && !i.from) {
      for (const source of i.args.split(' ').slice(0, -1)) {
        // The matrix generates without installing; a user's project has the lockfile npm install wrote.
        expect(
          source === 'package-lock.json' || existsSync(path.join(project, source)),
          `line ${i.line}: COPY ${source}: not in the project`,
        );
        expect(!['.', './', '*'].includes(source), `line ${i.line}: COPY of the whole build context`);
        expect(allowed.has(`!${source}`), `line ${i.line}: COPY ${source}: .dockerignore keeps it out of the build context`);
      }
    }
  }
  const runtime = stages.at(-1) as Stage;
  const last = (keyword: string) => runtime.instructions.filter((i) => i.keyword === keyword).at(-1);
  expect(
    all.some((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args) && /--omit=dev\b/.test(i.args)) &&
      runtime.instructions.some((i) => i.keyword === 'COPY' && i.from && /node_modules/.test(i.args)),
    'the runtime stage gets production dependencies only (npm ci --omit=dev in a stage of its own)',
  );
  const user = last('USER')?.args ?? '';
  expect(/^[1-9]\d*(:\d+)?$/.test(user), `the runtime stage runs as a non-root numeric USER (found "${user || 'none: root'}")`);
  const entrypoint = execForm(last('ENTRYPOINT')?.args);
  expect(entrypoint && /\/(tini|dumb-init)$/.test(entrypoint[0] ?? ''), 'ENTRYPOINT is an init (tini) in exec form');
  expect(
    JSON.stringify(execForm(last('CMD')?.args)) === '["node","dist/bundle/server.js"]',
    'CMD is exec-form ["node", "dist/bundle/server.js"]',
  );
  const healthcheck = last('HEALTHCHECK')?.args ?? '';
  const probe = execForm(healthcheck.replace(/^CMD\s+/, ''));
  expect(probe && !/curl|wget/.test(healthcheck), 'a HEALTHCHECK in exec form that needs no curl or wget');
  expect(env(runtime).NODE_ENV === 'production', 'NODE_ENV=production in the runtime stage');
  // The validator stops the API with SIGTERM, as Docker does unless told otherwise.
  expect(['', 'SIGTERM'].includes(last('STOPSIGNAL')?.args ?? ''), 'the stop signal is SIGTERM (graceful shutdown)');
  return problems;
}

/** .dockerignore must be an allowlist that never lets secrets or local state into the build context. */
function dockerignoreRules(project: string): string[] {
  const file = path.join(project, '.dockerignore');
  if (!existsSync(file)) return ['.dockerignore is missing'];
  const patterns = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const problems: string[] = [];
  if (patterns[0] !== '**') problems.push('.dockerignore: starts with ** (an allowlist)');
  for (const p of patterns.filter((p) => p.startsWith('!'))) {
    if (/(^!\*|\.env|secrets|certs|\.pem|node_modules|\.git$|^!data)/.test(p)) problems.push(`.dockerignore: lets ${p.slice(1)} in`);
  }
  return problems;
}

async function composeChecks(project: string, compose: Json, dclint: string): Promise<string[]> {
  const problems: string[] = [];
  const expect = (ok: unknown, message: string): void => {
    if (!ok) problems.push(`compose.yaml: ${message}`);
  };
  const madeEnvFiles = withEnvFiles(project);
  try {
    const config = await execa('docker-compose', ['-f', 'compose.yaml', 'config', '-q'], {
      cwd: project,
      reject: false,
      all: true,
      stdin: 'ignore',
    });
    if (config.exitCode !== 0) problems.push(`docker-compose config: ${config.all}`);
  } finally {
    for (const f of madeEnvFiles) rmSync(f, { force: true });
  }
  const scratch = mkdtempSync(path.join(tmpdir(), 'dclint-'));
  const configFile = path.join(scratch, 'dclint.json');
  writeFileSync(configFile, JSON.stringify(DCLINT_CONFIG));
  const lint = await execa(dclint, ['compose.yaml', '-f', 'json', '--max-warnings', '0', '-c', configFile], {
    cwd: project,
    env: toolEnv,
    reject: false,
    stdin: 'ignore',
  }).finally(() => rmSync(scratch, { recursive: true, force: true }));
  const findings = (JSON.parse(lint.stdout || '[]') as { messages: { rule: string; message: string; line: number }[] }[]).flatMap(
    (f) => f.messages,
  );
  for (const f of findings) problems.push(`compose.yaml:${f.line}: ${f.message} [${f.rule}] (dclint)`);
  if (lint.exitCode !== 0 && findings.length === 0) problems.push(`dclint exited ${lint.exitCode}: ${lint.stderr}`);

  const features = new Set((JSON.parse(readFileSync(path.join(project, '.hardened-api.json'), 'utf8')) as { features: string[] }).features);
  const services = obj(compose.services);
  for (const [name, service] of Object.entries(services).map(([k, v]) => [k, obj(v)] as const)) {
    expect(service.read_only === true, `${name}: read_only root filesystem`);
    expect(arr(service.cap_drop).includes('ALL'), `${name}: cap_drop ALL`);
    expect(arr(service.security_opt).includes('no-new-privileges:true'), `${name}: no-new-privileges`);
    expect(obj(obj(obj(service.deploy).resources).limits).memory, `${name}: a memory limit`);
    for (const [variable, value] of Object.entries(obj(service.environment))) {
      expect(
        !/(SECRET|PASSWORD|TOKEN|KEY|DATABASE_URL|REDIS_URL)/i.test(variable) || String(value).startsWith('/run/secrets/'),
        `${name}: secret ${variable} inline (use the env file)`,
      );
    }
    for (const port of arr(service.ports)) {
      expect(name === 'nginx' || String(port).startsWith('127.0.0.1:'), `${name}: port ${String(port)} published beyond loopback`);
    }
  }
  for (const name of ['postgres', 'redis']) {
    expect(obj(services[name]).healthcheck, `${name}: a healthcheck`);
    expect(!obj(services[name]).ports, `${name}: no published port`);
  }
  const api = obj(services.api);
  expect(Number(obj(api.deploy).replicas) >= 2, 'api: two replicas or more');
  expect(arr(api.env_file).length > 0 || typeof api.env_file === 'string', 'api: secrets from an env file');
  const dependsOn = obj(api.depends_on);
  expect(
    obj(dependsOn.postgres).condition === 'service_healthy' &&
      obj(dependsOn.redis).condition === 'service_healthy' &&
      obj(dependsOn.migrate).condition === 'service_completed_successfully',
    'api: starts after healthy databases and completed migrations',
  );
  const gitignore = readFileSync(path.join(project, 'secrets/.gitignore'), 'utf8').split('\n');
  expect(gitignore.includes('*') && gitignore.includes('!*.example'), 'secrets/.gitignore ignores everything but the examples');
  expect('nginx' in services === features.has('nginx'), 'an nginx service exactly when nginx is selected');
  for (const name of ['prometheus', 'grafana']) {
    expect(name in services === features.has('metrics'), `a ${name} service exactly when metrics is selected`);
  }
  if (features.has('nginx')) {
    const address = obj(obj(obj(services.nginx).networks).edge).ipv4_address;
    expect(address && obj(api.environment).TRUST_PROXY === address, "api: TRUST_PROXY is NGINX's fixed address");
    expect(!api.ports, 'api: no published port behind NGINX');
  } else {
    expect(!obj(api.environment).TRUST_PROXY, 'api: no trusted proxy without NGINX');
  }
  return problems;
}

/** The env files compose.yaml names, made from their committed examples (as the README says); returns those made. */
function withEnvFiles(project: string): string[] {
  const made: string[] = [];
  const examples = readdirSync(path.join(project, 'secrets')).filter((name) => name.endsWith('.env.example'));
  for (const name of examples.map((example) => example.slice(0, -'.example'.length))) {
    const file = path.join(project, 'secrets', name);
    if (existsSync(file)) continue;
    cpSync(`${file}.example`, file);
    made.push(file);
  }
  return made;
}

/** Runs the runtime stage's commands as the image does, in a directory laid out like the image's /app. */
async function runImageCommands(project: string, runtime: Stage, compose: Json): Promise<void> {
  const build = await execa('npm', ['run', 'build'], { cwd: project, env: toolEnv, reject: false, all: true, stdin: 'ignore' });
  if (build.exitCode !== 0) throw new Error(`npm run build failed (the Dockerfile's build stage):\n${build.all}`);

  const scratch = mkdtempSync(path.join(tmpdir(), 'image-'));
  chmodSync(scratch, 0o755);
  const root = path.join(scratch, 'app');
  mkdirSync(root);
  const asRoot = process.getuid?.() === 0;
  const identity = asRoot ? { uid: APP_UID, gid: APP_UID } : {};
  const schema = `image_${randomBytes(6).toString('hex')}`;
  const pg = createRequire(path.join(project, 'package.json'))('pg') as {
    Client: new (o: {
      connectionString: string;
    }) => { connect(): Promise<void>; query(sql: string): Promise<unknown>; end(): Promise<void> };
  };
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const databaseUrl = new URL(POSTGRES_URL);
  databaseUrl.searchParams.set('options', `-c search_path=${schema}`);
  let server: ChildProcess | undefined;
  try {
    // The runtime stage's COPY lines: from the build stages (dist, production node_modules) and the context.
    for (const copy of runtime.instructions.filter((i) => i.keyword === 'COPY')) {
      const parts = copy.args.split(' ');
      const target = parts.at(-1) as string;
      for (const source of parts.slice(0, -1)) {
        const relative = copy.from ? source.replace(/^\/app\//, '') : source;
        const to = target.endsWith('/') ? path.join(root, target, path.basename(relative)) : path.join(root, target);
        if (relative === 'node_modules') symlinkSync(realpathSync(path.join(project, 'node_modules')), to, 'dir');
        else cpSync(path.join(project, relative), to, { recursive: true });
      }
    }
    const imageEnv = env(runtime);
    const cacheDir = imageEnv.NODE_COMPILE_CACHE ? path.join(root, path.relative('/app', imageEnv.NODE_COMPILE_CACHE)) : undefined;
    if (cacheDir) {
      mkdirSync(path.dirname(cacheDir), { recursive: true });
      if (asRoot) chownSync(path.dirname(cacheDir), APP_UID, APP_UID);
    }
    const port = await freePort();
    const runEnv: Record<string, string> = {
      PATH: toolEnv.PATH,
      ...imageEnv,
      ...(cacheDir ? { NODE_COMPILE_CACHE: cacheDir } : {}),
      // The secrets compose passes from secrets/api.env, pointed at this machine's services.
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL,
      ...(await productionSecrets(project)),
      HOST: '127.0.0.1',
      PORT: String(port),
    };
    const run = (command: string[], label: string) =>
      execa(command[0] as string, command.slice(1), {
        cwd: root,
        env: runEnv,
        extendEnv: false,
        reject: false,
        all: true,
        stdin: 'ignore',
        timeout: 60_000,
        ...identity,
      }).then((r) => {
        if (r.exitCode !== 0) throw new Error(`${label} failed (exit ${r.exitCode}):\n${r.all}`);
        return r.all ?? '';
      });

    // RUN steps after USER run as the app's user (the compile cache warm-up).
    const userIndex = runtime.instructions.findIndex((i) => i.keyword === 'USER');
    for (const step of runtime.instructions.slice(userIndex).filter((i) => i.keyword === 'RUN')) {
      await run(['sh', '-c', step.args], `RUN ${step.args} (Dockerfile line ${step.line})`);
    }
    const migrateCommand = arr(obj(obj(compose.services).migrate).command).map(String);
    const migrated = await run(migrateCommand, `compose migrate: ${migrateCommand.join(' ')}`);
    if (!/Applied|Up to date/.test(migrated)) throw new Error(`compose migrate printed no result:\n${migrated}`);

    const command = [...(execForm(lastArgs(runtime, 'ENTRYPOINT')) ?? []), ...(execForm(lastArgs(runtime, 'CMD')) ?? [])];
    if (command[0] && !existsSync(command[0]))
      throw new Error(`${command[0]} (the image's ENTRYPOINT) is not installed here: apt-get install tini`);
    // Its own process group, so that a failure can stop the init and the API it started.
    server = spawn(command[0] as string, command.slice(1), {
      cwd: root,
      env: runEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...identity,
    });
    let output = '';
    server.stdout?.on('data', (c) => {
      output += c;
    });
    server.stderr?.on('data', (c) => {
      output += c;
    });
    const exited = new Promise<number | null>((resolve) => server?.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    const ready = await poll(`${base}/health/ready`, 15_000);
    if (ready !== 200) throw new Error(`${command.join(' ')}: /health/ready answered ${ready}:\n${output}`);

    const probe = execForm(lastArgs(runtime, 'HEALTHCHECK').replace(/^CMD\s+/, '')) as string[];
    await run(probe, `HEALTHCHECK ${probe.join(' ')}`);

    const uid = processUid(server.pid as number, command.length > 2);
    if (uid === 0) throw new Error('the API runs as root');
    if (asRoot && uid !== APP_UID) throw new Error(`the API runs as uid ${uid}, not the image's user ${APP_UID}`);

    const grace = Number.parseInt(String(obj(obj(compose.services).api).stop_grace_period ?? '10s'), 10) * 1000;
    const started = Date.now();
    server.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(grace, 'timeout' as const)]);
    if (code !== 0)
      throw new Error(
        `SIGTERM to ${command.join(' ')}: ${code === 'timeout' ? `still running after ${grace} ms` : `exit ${code}`}:\n${output}`,
      );
    if (!/shutting down/.test(output))
      throw new Error(`SIGTERM did not reach the API's graceful shutdown (${Date.now() - started} ms):\n${output}`);
    server = undefined;
  } finally {
    if (server) killGroup(server);
    rmSync(scratch, { recursive: true, force: true });
    await admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

/** The uid of the API: the process itself, or the child of the init that runs it. */
function processUid(pid: number, underInit: boolean): number {
  const target = underInit ? Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]) : pid;
  const status = readFileSync(`/proc/${target}/status`, 'utf8');
  return Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
}

async function poll(url: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return status;
    await sleep(100);
  }
  return status;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function env(stage: Stage): Record<string, string> {
  const values: Record<string, string> = {};
  for (const i of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const match of i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)/g))
      values[match[1] as string] = (match[2] as string).replace(/^"|"$/g, '');
  }
  return values;
}

function lastArgs(stage: Stage, keyword: string): string {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1)?.args ?? '';
}

function execForm(args: string | undefined): string[] | undefined {
  if (!args?.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
