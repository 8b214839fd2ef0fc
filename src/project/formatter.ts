import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Tree } from '../engine/tree.ts';
import type { CodeStyle } from './code-style.ts';

/** The project's formatter, run over text in memory: `format(path, text)` is what `--write` would leave. */
export interface ProjectFormatter {
  name: 'prettier' | 'biome';
  format(file: string, text: string): Promise<string>;
}

/**
 * The formatter the project checks with (Prettier or Biome), loaded from its own node_modules so that
 * its version and configuration decide, exactly as its `--check` will; undefined when it has none or it
 * is not installed (our own adaptation of style then stands alone).
 */
export async function projectFormatter(root: string, style: CodeStyle): Promise<ProjectFormatter | undefined> {
  if (style.formatter === 'prettier') return prettierOf(root);
  if (style.formatter === 'biome') return biomeOf(root);
  return undefined;
}

interface Prettier {
  format(text: string, options: Record<string, unknown>): Promise<string>;
  resolveConfig(file: string): Promise<Record<string, unknown> | null>;
  getFileInfo(file: string, options: { ignorePath: string[] }): Promise<{ ignored: boolean; inferredParser: string | null }>;
}

async function prettierOf(root: string): Promise<ProjectFormatter | undefined> {
  let entry: string;
  try {
    entry = createRequire(path.join(root, 'package.json')).resolve('prettier');
  } catch {
    return undefined;
  }
  const imported = (await import(pathToFileURL(entry).href)) as Prettier & { default?: Prettier };
  const prettier = typeof imported.format === 'function' ? imported : (imported.default as Prettier);
  const ignorePath = ['.prettierignore', '.gitignore'].map((f) => path.join(root, f)).filter((f) => existsSync(f));
  return {
    name: 'prettier',
    async format(file, text) {
      const absolute = path.join(root, file);
      const info = await prettier.getFileInfo(absolute, { ignorePath });
      if (info.ignored || !info.inferredParser) return text;
      const config = (await prettier.resolveConfig(absolute)) ?? {};
      return prettier.format(text, { ...config, filepath: absolute });
    },
  };
}

const BIOME_FILES = /\.(?:[cm]?[jt]sx?|json|jsonc)$/;

function biomeOf(root: string): ProjectFormatter | undefined {
  const binary = path.join(root, 'node_modules/.bin/biome');
  if (!existsSync(binary)) return undefined;
  return {
    name: 'biome',
    format(file, text) {
      if (!BIOME_FILES.test(file)) return Promise.resolve(text);
      return new Promise((resolve) => {
        const child = execFile(
          binary,
          ['format', `--stdin-file-path=${file}`],
          { cwd: root, maxBuffer: 64 * 1024 * 1024 },
          (error, stdout) => {
            // A file Biome ignores or cannot parse comes back as it was.
            resolve(error || stdout === '' ? text : stdout);
          },
        );
        child.stdin?.end(text);
      });
    },
  };
}

/** Formats every file the tree is about to change that is not already as `done` recorded it. */
export async function formatChanges(tree: Tree, formatter: ProjectFormatter, done: ReadonlyMap<string, string>): Promise<void> {
  await Promise.all(
    tree.changes().map(async (change) => {
      if (done.get(change.path) === change.after) return;
      const formatted = await formatter.format(change.path, change.after);
      if (formatted !== change.after) tree.write(change.path, formatted, { executable: change.executable });
    }),
  );
}
