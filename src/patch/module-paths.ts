import path from 'node:path';
import type { SourceFile } from 'ts-morph';

/**
 * The import specifier for a project file as seen from `fromFile`, following the file's own
 * convention for relative imports: `.ts` (type stripping), `.js` (classic ESM) or no extension.
 */
export function specifierFor(file: SourceFile, fromFile: string, targetFile: string): string {
  let relative = path.posix.relative(path.posix.dirname(fromFile), targetFile);
  if (!relative.startsWith('.')) relative = `./${relative}`;
  const withoutExtension = relative.replace(/\.[cm]?[tj]s$/, '');
  const style = relativeImportStyle(file);
  return style === '' ? withoutExtension : `${withoutExtension}${style}`;
}

/** The project path (without extension) a relative specifier points at, or undefined for packages. */
export function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return path.posix.join(path.posix.dirname(fromFile), specifier).replace(/\.[cm]?[tj]s$/, '');
}

export function stripExtension(file: string): string {
  return file.replace(/\.[cm]?[tj]s$/, '');
}

function relativeImportStyle(file: SourceFile): '.ts' | '.js' | '' {
  for (const declaration of file.getImportDeclarations()) {
    const specifier = declaration.getModuleSpecifierValue();
    if (!specifier.startsWith('.')) continue;
    if (specifier.endsWith('.ts')) return '.ts';
    if (specifier.endsWith('.js')) return '.js';
    return '';
  }
  return '.ts';
}
