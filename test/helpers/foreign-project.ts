import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './cli.ts';

/**
 * A minimal Fastify + TypeScript project we did not generate (package.json, tsconfig.json and these
 * files, relative paths), for tests of how `add` reads and patches such projects.
 */
export function foreignProject(files: Record<string, string>, packageJson: Record<string, unknown> = {}): string {
  const dir = tempDir('foreign-');
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  write(
    'package.json',
    JSON.stringify({
      name: 'p',
      type: 'module',
      dependencies: { fastify: '5.12.8' },
      devDependencies: { typescript: '5.9.3' },
      ...packageJson,
    }),
  );
  write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'nodenext', strict: true, outDir: 'dist' }, include: ['src'] }));
  for (const [file, text] of Object.entries(files)) write(file, text);
  return dir;
}
