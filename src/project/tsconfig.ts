import { existsSync } from 'node:fs';
import path from 'node:path';

/** What a project's tsconfig.json says that matters to the code we write into it. */
export interface TsconfigFacts {
  /** tsconfig.json, relative to the project. */
  path: string;
  /** The project's TypeScript files (include/exclude applied), relative, without declaration files. */
  files: string[];
  moduleSystem: 'esm' | 'cjs';
  /** Node16/NodeNext resolution of ES modules: relative imports need an extension. */
  requiresExtensions: boolean;
  /** `.ts` in relative imports is allowed (allowImportingTsExtensions or rewriteRelativeImportExtensions). */
  allowsTsExtensions: boolean;
  /** `paths` aliases: `@/*` -> [`src/*`], relative to the project. */
  paths: Record<string, string[]>;
  /** Compiler options we must write code for (only the ones set to true are listed). */
  strictOptions: string[];
  esModuleInterop: boolean;
  outDir: string | undefined;
  rootDir: string | undefined;
}

const STRICT_OPTIONS = [
  'strict',
  'exactOptionalPropertyTypes',
  'noUncheckedIndexedAccess',
  'verbatimModuleSyntax',
  'erasableSyntaxOnly',
  'noPropertyAccessFromIndexSignature',
  'noImplicitOverride',
  'noImplicitReturns',
  'noUnusedLocals',
  'noUnusedParameters',
  'isolatedModules',
] as const;

/** Reads tsconfig.json with TypeScript's own parser (JSONC, `extends` chains, include/exclude). */
export async function readTsconfig(root: string): Promise<TsconfigFacts | undefined> {
  const file = path.join(root, 'tsconfig.json');
  if (!existsSync(file)) return undefined;
  const { ts } = await import('ts-morph');
  const read = ts.readConfigFile(file, ts.sys.readFile);
  if (read.error) return undefined;
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, file);
  const options = parsed.options;
  const module = options.module;
  const nodeModules = module === ts.ModuleKind.Node16 || module === ts.ModuleKind.NodeNext || (module as number) === 101;
  const packageType = readPackageType(root, ts);
  // What runs is what Node (or tsx, or a bundler's output) makes of the emitted files: ES modules only
  // in a `"type": "module"` package.
  const cjs = module === ts.ModuleKind.CommonJS || packageType !== 'module';
  const relative = (p: string) => path.relative(root, p).split(path.sep).join('/');
  const baseUrl = options.baseUrl ?? options.pathsBasePath?.toString() ?? root;
  return {
    path: 'tsconfig.json',
    files: parsed.fileNames.filter((f) => !f.endsWith('.d.ts') && !f.split(/[\\/]/).includes('node_modules')).map(relative),
    moduleSystem: cjs ? 'cjs' : 'esm',
    requiresExtensions: nodeModules && !cjs,
    allowsTsExtensions: options.allowImportingTsExtensions === true || options.rewriteRelativeImportExtensions === true,
    paths: Object.fromEntries(
      Object.entries(options.paths ?? {}).map(([alias, targets]) => [alias, targets.map((t) => relative(path.resolve(baseUrl, t)))]),
    ),
    strictOptions: STRICT_OPTIONS.filter((o) => options[o] === true),
    esModuleInterop: options.esModuleInterop === true || options.allowSyntheticDefaultImports === true,
    outDir: options.outDir ? relative(options.outDir) : undefined,
    rootDir: options.rootDir ? relative(options.rootDir) : undefined,
  };
}

function readPackageType(root: string, ts: typeof import('ts-morph').ts): string | undefined {
  const text = ts.sys.readFile(path.join(root, 'package.json'));
  try {
    return text ? (JSON.parse(text) as { type?: string }).type : undefined;
  } catch {
    return undefined;
  }
}
