import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { SourceFile } from 'ts-morph';
import { type IgnoreRule, isIgnored, isIgnoredDirectory, parseGitignore } from './gitignore.ts';

export interface PackageJson {
  name?: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  packageManager?: string;
  scripts?: Record<string, string>;
}

const CODE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;
/** Never part of what a project ships or commits (build output, installs, caches). */
const SKIPPED_DIRECTORIES = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.nuxt',
  '.turbo',
  '.cache',
  '.test-output',
  '.hardened-api-staging',
]);
/** Test code exercises the API (it plants bad tokens, trusts test proxies): not what runs in production. */
const TEST_PATH = /(?:^|\/)(?:test|tests|__tests__|__mocks__|spec|e2e|fixtures)\/|\.(?:test|spec)\.[cm]?[jt]sx?$/;
const MAX_TEXT_BYTES = 1_000_000;

/**
 * The project as `check` sees it: the files that are (or would be) committed, read on demand, and
 * its TypeScript/JavaScript sources parsed with ts-morph (loaded only when a code check asks).
 */
export class ProjectFiles {
  readonly root: string;
  /** Posix paths relative to the root: committed files, plus new ones that are not ignored. */
  readonly files: readonly string[];
  readonly packageJson: PackageJson | undefined;
  private readonly texts = new Map<string, string | undefined>();
  private parsed: Promise<SourceFile[]> | undefined;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.files = listFiles(this.root);
    const pkg = this.read('package.json');
    try {
      this.packageJson = pkg === undefined ? undefined : (JSON.parse(pkg) as PackageJson);
    } catch {
      this.packageJson = undefined;
    }
  }

  has(file: string): boolean {
    return this.files.includes(file);
  }

  /** The file's text, or undefined when it is missing, binary or too large to be source. */
  read(file: string): string | undefined {
    if (this.texts.has(file)) return this.texts.get(file);
    let text: string | undefined;
    try {
      const full = path.join(this.root, file);
      if (statSync(full).size <= MAX_TEXT_BYTES) {
        const content = readFileSync(full, 'utf8');
        text = content.includes('\u0000') ? undefined : content;
      }
    } catch {
      text = undefined;
    }
    this.texts.set(file, text);
    return text;
  }

  dependencies(): Record<string, string> {
    return { ...this.packageJson?.devDependencies, ...this.packageJson?.dependencies };
  }

  dependsOn(name: string): boolean {
    return name in this.dependencies();
  }

  /** Application code: every source file but tests and type declarations. */
  codeFiles(): string[] {
    return this.files.filter((f) => CODE.test(f) && !f.endsWith('.d.ts') && !TEST_PATH.test(f));
  }

  /** The application code parsed (syntax only: no type checker, no dependency resolution). */
  sources(): Promise<SourceFile[]> {
    this.parsed ??= (async () => {
      const { Project } = await import('ts-morph');
      const project = new Project({
        useInMemoryFileSystem: true,
        skipLoadingLibFiles: true,
        compilerOptions: { allowJs: true },
      });
      const result: SourceFile[] = [];
      for (const file of this.codeFiles()) {
        const text = this.read(file);
        if (text !== undefined) result.push(project.createSourceFile(`/${file}`, text, { overwrite: true }));
      }
      return result;
    })();
    return this.parsed;
  }
}

/** The path of a parsed source relative to the project root (sources are created at `/<file>`). */
export function relativePath(source: SourceFile): string {
  return source.getFilePath().slice(1);
}

function listFiles(root: string): string[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`not a directory: ${root}`);
  return gitFiles(root) ?? walk(root);
}

/** In a git work tree, git knows best what is committed or would be (`git add .`). */
function gitFiles(root: string): string[] | undefined {
  try {
    const output = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
      timeout: 10_000,
    }).toString('utf8');
    const files = output
      .split('\u0000')
      .filter(Boolean)
      .filter((f) => !f.split('/').some((part) => SKIPPED_DIRECTORIES.has(part)));
    const existing = [...new Set(files)].filter((f) => existsSync(path.join(root, f))).sort();
    // Nothing at all: a folder that an enclosing repository ignores (a demo or build output), not a repository.
    return existing.length > 0 ? existing : undefined;
  } catch {
    return undefined;
  }
}

function walk(root: string): string[] {
  const files: string[] = [];
  const rules: IgnoreRule[] = [];
  const visit = (relative: string): void => {
    const directory = path.join(root, relative);
    const entries = readdirSync(directory, { withFileTypes: true });
    const ignoreFile = entries.find((e) => e.name === '.gitignore' && e.isFile());
    if (ignoreFile) rules.push(...parseGitignore(readFileSync(path.join(directory, '.gitignore'), 'utf8'), relative));
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !isIgnoredDirectory(rules, file)) visit(file);
      } else if (entry.isFile() && !isIgnored(rules, file)) files.push(file);
    }
  };
  visit('');
  return files;
}
