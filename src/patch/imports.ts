import type { ImportDeclaration, SourceFile } from 'ts-morph';

export interface ImportSpec {
  from: string;
  named?: string;
  default?: string;
}

/** Adds `import { named } from 'from'` (or a default import) unless the binding is already imported. */
export function ensureImport(file: SourceFile, spec: ImportSpec): void {
  const existing = file.getImportDeclaration((d) => d.getModuleSpecifierValue() === spec.from);
  if (existing) {
    if (spec.default && !existing.getDefaultImport()) existing.setDefaultImport(spec.default);
    if (spec.named && !existing.getNamedImports().some((n) => n.getName() === spec.named)) {
      existing.addNamedImport(spec.named);
      sortNamedImports(existing);
    }
    return;
  }
  const imports = file.getImportDeclarations();
  const index = importIndex(imports, spec.from);
  file.insertImportDeclaration(index, {
    moduleSpecifier: spec.from,
    ...(spec.default ? { defaultImport: spec.default } : {}),
    ...(spec.named ? { namedImports: [spec.named] } : {}),
  });
}

/** Keeps the order Biome's import organizer expects: packages before relative paths, then by path. */
function importIndex(imports: ImportDeclaration[], from: string): number {
  const rank = importRank(from);
  for (let i = 0; i < imports.length; i++) {
    const other = imports[i]?.getModuleSpecifierValue() ?? '';
    const otherRank = importRank(other);
    if (otherRank > rank || (otherRank === rank && compareSpecifiers(other, from) > 0)) return i;
  }
  return imports.length;
}

function importRank(specifier: string): number {
  if (/^[a-z]+:/.test(specifier)) return 0;
  if (specifier.startsWith('../')) return 2;
  if (specifier.startsWith('./')) return 3;
  return 1;
}

function compareSpecifiers(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortNamedImports(declaration: ImportDeclaration): void {
  const names = declaration.getNamedImports().map((n) => n.getText());
  const sorted = [...names].sort(compareSpecifiers);
  if (names.join() === sorted.join()) return;
  declaration.removeNamedImports();
  declaration.addNamedImports(sorted);
}
