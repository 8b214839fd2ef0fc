import type { ProjectFiles } from './project.ts';
import type { Finding, Rule, Severity } from './types.ts';

/** 1-based line and column of an offset in a text. */
export function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** A finding in a non-code file, at the first occurrence of `needle` (or the top of the file). */
export function findingInFile(
  project: ProjectFiles,
  rule: Rule,
  file: string,
  seen: string,
  needle?: string | RegExp,
  severity?: Severity,
): Finding {
  const text = project.read(file) ?? '';
  let offset = 0;
  if (typeof needle === 'string') offset = Math.max(0, text.indexOf(needle));
  else if (needle) offset = Math.max(0, text.search(needle));
  return {
    rule,
    location: { file, ...position(text, offset) },
    seen,
    ...(severity && severity !== rule.severity ? { severity } : {}),
  };
}
