import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import type { FileRole } from '../patch/types.ts';

/** Where the files patches address live in this project. */
export interface Layout {
  resolve(role: FileRole): string;
}

/** Our own projects: fixed places. */
export const generatedLayout: Layout = {
  resolve: (role) => (role === 'app' ? 'src/app.ts' : 'src/config.ts'),
};

const ROLE_SIGNATURES: Record<FileRole, { test: RegExp; describe: string }> = {
  app: { test: /from ['"]fastify['"]/, describe: "a .ts file importing 'fastify' that creates the instance (const app = Fastify(...))" },
  config: { test: /\bConfigSchema\s*=\s*Type\.Object\(/, describe: 'a .ts file declaring `const ConfigSchema = Type.Object({...})`' },
};

/**
 * A project we did not generate: find each role's file by content under src/ (or the root), the first
 * match in path order. The patch then confirms the shape with the AST.
 */
export function detectLayout(root: string): Layout {
  const found = new Map<FileRole, string>();
  const files = listTypeScript(root);
  return {
    resolve(role) {
      const cached = found.get(role);
      if (cached) return cached;
      const signature = ROLE_SIGNATURES[role];
      const match = files.find((f) => signature.test.test(readFileSync(path.join(root, f), 'utf8')));
      if (!match) throw new LayoutError(role, root, signature.describe);
      found.set(role, match);
      return match;
    },
  };
}

export class LayoutError extends UserError {
  constructor(role: FileRole, root: string, describe: string) {
    super(
      `Could not find the ${role === 'app' ? 'app factory' : 'configuration module'} in ${root}: looked for ${describe} under src/.`,
      'create-hardened-api add patches Fastify + TypeScript projects; see docs/architecture.md ("Patching an existing project").',
    );
  }
}

function listTypeScript(root: string): string[] {
  const result: string[] = [];
  const walk = (relative: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(path.join(root, relative), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (/\.[cm]?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !/\.test\.|\.spec\./.test(entry.name)) result.push(child);
    }
  };
  walk('src');
  return result;
}
