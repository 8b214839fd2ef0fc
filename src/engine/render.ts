import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { registerLiteralHelpers } from './template-literals.ts';

registerLiteralHelpers(Handlebars);

export interface RenderedFile {
  path: string;
  content: string;
  executable: boolean;
}

export type TemplateContext = Record<string, unknown>;

/**
 * Renders one template folder. Conventions (see docs/architecture.md):
 * - `*.hbs` is rendered with Handlebars and loses the suffix; a render that is empty (only white space)
 *   is left out, which is how a file exists only for some sub-choices (`{{#if options.auth.api-key}}`);
 * - `*.raw` is copied verbatim and loses the suffix (for Handlebars files the project itself ships);
 * - a path segment starting with `_` starts with `.` instead (npm pack drops some dotfiles);
 * - everything else is copied verbatim.
 */
export function renderFolder(folder: string, context: TemplateContext): RenderedFile[] {
  return listFiles(folder).flatMap((relative): RenderedFile[] => {
    const source = path.join(folder, relative);
    const raw = readFileSync(source, 'utf8');
    const executable = (statSync(source).mode & 0o111) !== 0;
    if (relative.endsWith('.hbs')) {
      const template = Handlebars.compile(raw, { noEscape: true, strict: true });
      const content = template(context);
      return content.trim() === '' ? [] : [{ path: outputPath(relative.slice(0, -4)), content, executable }];
    }
    const target = relative.endsWith('.raw') ? relative.slice(0, -4) : relative;
    return [{ path: outputPath(target), content: raw, executable }];
  });
}

export function renderString(source: string, context: TemplateContext): string {
  return Handlebars.compile(source, { noEscape: true, strict: true })(context);
}

function outputPath(relative: string): string {
  return relative
    .split('/')
    .map((segment) => (segment.startsWith('_') ? `.${segment.slice(1)}` : segment))
    .join('/');
}

function listFiles(folder: string, prefix = ''): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(path.join(folder, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(folder, relative));
    else files.push(relative);
  }
  return files;
}
