/**
 * The subset of gitignore semantics a project's ignore files use: comments, negation, directory-only
 * patterns, anchoring by a leading or inner slash, `*`, `?` and `**`. The last matching pattern wins;
 * a file inside an ignored directory is ignored. Used only when the project is not a git work tree
 * (otherwise git itself says what is committed).
 */
export interface IgnoreRule {
  /** Directory of the .gitignore that holds it, relative to the project ('' for the root). */
  base: string;
  negated: boolean;
  directoryOnly: boolean;
  pattern: RegExp;
}

export function parseGitignore(text: string, base = ''): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (negated) line = line.slice(1);
    const directoryOnly = line.endsWith('/');
    if (directoryOnly) line = line.slice(0, -1);
    const anchored = line.includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    if (line === '') continue;
    const body = globToRegExp(line);
    rules.push({
      base,
      negated,
      directoryOnly,
      pattern: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`),
    });
  }
  return rules;
}

function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) out += escapeRegExp(glob[++i] as string);
    else out += escapeRegExp(c);
  }
  return out;
}

const escapeRegExp = (c: string) => c.replace(/[.+^${}()|[\]\\]/g, '\\$&');

/** Whether `file` (posix, relative to the project) is ignored by `rules` (in file order, parents first). */
export function isIgnored(rules: readonly IgnoreRule[], file: string): boolean {
  const parts = file.split('/');
  // A directory that is ignored cannot have its files re-included (git's rule).
  for (let depth = 1; depth < parts.length; depth++) {
    if (matches(rules, parts.slice(0, depth).join('/'), true)) return true;
  }
  return matches(rules, file, false);
}

export function isIgnoredDirectory(rules: readonly IgnoreRule[], directory: string): boolean {
  const parts = directory.split('/');
  for (let depth = 1; depth <= parts.length; depth++) {
    if (matches(rules, parts.slice(0, depth).join('/'), true)) return true;
  }
  return false;
}

function matches(rules: readonly IgnoreRule[], path: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (rule.directoryOnly && !isDirectory) continue;
    if (rule.base !== '' && !path.startsWith(`${rule.base}/`)) continue;
    const relative = rule.base === '' ? path : path.slice(rule.base.length + 1);
    if (rule.pattern.test(relative)) ignored = !rule.negated;
  }
  return ignored;
}
