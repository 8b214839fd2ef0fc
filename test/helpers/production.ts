import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { toolEnv } from './generated.ts';
import { type GeneratedServer, startGeneratedServer } from './server.ts';

/**
 * Values for the variables that the project's configuration requires in production: what an operator
 * puts in secrets/api.env. Keys come from the project's own generators (`npm run auth:keygen` prints
 * `NAME=value` lines); the rest is random, of the required length (an https URL where one is required).
 */
export async function productionSecrets(project: string): Promise<Record<string, string>> {
  const script =
    "const { ConfigSchema } = await import('./src/config.ts'); const out = {}; for (const [k, v] of Object.entries(ConfigSchema.properties)) if (v.productionMinLength) out[k] = { length: v.productionMinLength, url: String(v.pattern ?? '').includes('https:') }; console.log(JSON.stringify(out));";
  const { stdout } = await execa('node', ['--input-type=module', '-e', script], { cwd: project, env: toolEnv, stdin: 'ignore' });
  const required = JSON.parse(stdout) as Record<string, { length: number; url: boolean }>;
  const values = Object.fromEntries(
    Object.entries(required).map(([name, { length, url }]) => {
      const random = randomBytes(length).toString('base64url').slice(0, Math.max(length, 32));
      return [name, url ? `https://${random.toLowerCase().replace(/[^a-z0-9]/g, 'x')}.example/` : random];
    }),
  );
  const scripts = (JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const keygens = Object.entries(scripts).filter(([name]) => name.endsWith(':keygen'));
  for (const [, command] of keygens) {
    const generated = await execa(command, { cwd: project, env: toolEnv, shell: true, stdin: 'ignore' });
    for (const [, key, value] of generated.stdout.matchAll(/^([A-Z][A-Z0-9_]*)=(.+)$/gm)) {
      if (key && value && key in values) values[key] = value;
    }
  }
  return values;
}

/**
 * What `npm start` runs in production, on the embedded database: `npm run build`, the migration step,
 * then the bundled server (`dist/bundle/server.js`) with NODE_ENV=production and the secrets an operator
 * would set. The caller stops it.
 */
export async function startProductionBuild(project: string): Promise<GeneratedServer> {
  const build = await execa('npm', ['run', 'build'], { cwd: project, env: toolEnv, reject: false, all: true, stdin: 'ignore' });
  if (build.exitCode !== 0) throw new Error(`npm run build failed:\n${build.all}`);
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    DATABASE_URL: '',
    REDIS_URL: '',
    SQLITE_PATH: path.join(mkdtempSync(path.join(tmpdir(), 'production-')), 'api.db'),
    ...(await productionSecrets(project)),
  };
  const migrate = await execa('node', ['dist/db/migrate-cli.js'], {
    cwd: project,
    env: { ...toolEnv, ...env },
    reject: false,
    all: true,
    stdin: 'ignore',
  });
  if (migrate.exitCode !== 0) throw new Error(`the migration step failed:\n${migrate.all}`);
  return startGeneratedServer(project, { entry: 'dist/bundle/server.js', env });
}
