import type { Tree } from '../engine/tree.ts';

/** How a project writes TypeScript, so that the code we add looks like theirs. */
export interface CodeStyle {
  /** One level of indentation: a tab or so many spaces. */
  indent: string;
  quote: "'" | '"';
  semicolons: boolean;
  eol: '\n' | '\r\n';
  /** The formatter the project checks with, when it has one we can run. */
  formatter: 'prettier' | 'biome' | undefined;
}

/** Our templates' own style: what `create` writes, and the default when a project gives no clue. */
export const TEMPLATE_STYLE: CodeStyle = { indent: '  ', quote: "'", semicolons: true, eol: '\n', formatter: undefined };

/** The style of a file's text (for edits inside it), falling back to `fallback` for what it does not show. */
export function styleOfText(text: string, fallback: CodeStyle = TEMPLATE_STYLE): CodeStyle {
  const sample = sampleStyle([text]);
  return {
    indent: sample.indent ?? fallback.indent,
    quote: sample.quote ?? fallback.quote,
    semicolons: sample.semicolons ?? fallback.semicolons,
    eol: text.includes('\r\n') ? '\r\n' : text.includes('\n') ? '\n' : fallback.eol,
    formatter: fallback.formatter,
  };
}

/** The project's style: its formatter's configuration where it states one, else the majority of its files. */
export function detectCodeStyle(tree: Tree, files: readonly string[]): CodeStyle {
  const texts = files.slice(0, 40).map((f) => tree.read(f) ?? '');
  const sample = sampleStyle(texts);
  const configured = formatterConfig(tree);
  return {
    indent: configured.indent ?? sample.indent ?? TEMPLATE_STYLE.indent,
    quote: configured.quote ?? sample.quote ?? TEMPLATE_STYLE.quote,
    semicolons: configured.semicolons ?? sample.semicolons ?? TEMPLATE_STYLE.semicolons,
    eol: texts.some((t) => t.includes('\r\n')) ? '\r\n' : '\n',
    formatter: configured.formatter,
  };
}

type PartialStyle = Partial<Pick<CodeStyle, 'indent' | 'quote' | 'semicolons'>>;

function sampleStyle(texts: readonly string[]): PartialStyle {
  let tabs = 0;
  const spaces = new Map<number, number>();
  let single = 0;
  let double = 0;
  let withSemicolon = 0;
  let without = 0;
  for (const text of texts) {
    let previousIndent = 0;
    for (const line of text.split('\n')) {
      const leading = /^[ \t]*/.exec(line)?.[0] ?? '';
      if (line.trim() === '' || line.trimStart().startsWith('*')) continue;
      if (leading.startsWith('\t')) tabs++;
      else if (leading.length > previousIndent) {
        const step = leading.length - previousIndent;
        spaces.set(step, (spaces.get(step) ?? 0) + 1);
      }
      previousIndent = leading.startsWith('\t') ? 0 : leading.length;
      const importLine = /^\s*(?:import|export)\b.*\bfrom\s+(['"])[^'"]*\1(;?)\s*$/.exec(line);
      if (importLine) {
        if (importLine[1] === "'") single++;
        else double++;
        if (importLine[2] === ';') withSemicolon++;
        else without++;
      }
    }
  }
  const spaceStep = [...spaces].sort((a, b) => b[1] - a[1])[0];
  const spaceCount = [...spaces.values()].reduce((a, b) => a + b, 0);
  const style: PartialStyle = {};
  if (tabs > 0 || spaceStep) style.indent = tabs > spaceCount ? '\t' : ' '.repeat(spaceStep?.[0] ?? 2);
  if (single + double > 0) style.quote = double > single ? '"' : "'";
  if (withSemicolon + without > 0) style.semicolons = withSemicolon >= without;
  return style;
}

function formatterConfig(tree: Tree): PartialStyle & { formatter?: CodeStyle['formatter'] } {
  const pkg = parseJson(tree.read('package.json')) as { prettier?: unknown; devDependencies?: Record<string, string> } | undefined;
  const dev = { ...(pkg?.devDependencies ?? {}) };
  const prettier =
    parseJson(tree.read('.prettierrc') ?? tree.read('.prettierrc.json')) ?? (typeof pkg?.prettier === 'object' ? pkg.prettier : undefined);
  if (prettier || dev.prettier) {
    const p = (prettier ?? {}) as { useTabs?: boolean; tabWidth?: number; singleQuote?: boolean; semi?: boolean };
    const style: PartialStyle & { formatter?: CodeStyle['formatter'] } = { formatter: 'prettier' };
    // Prettier's defaults apply to what its configuration leaves out: two spaces, double quotes, semicolons.
    if (prettier) {
      style.indent = p.useTabs ? '\t' : ' '.repeat(p.tabWidth ?? 2);
      style.quote = p.singleQuote ? "'" : '"';
      style.semicolons = p.semi !== false;
    }
    return style;
  }
  const biome = parseJson(tree.read('biome.json') ?? tree.read('biome.jsonc')) as
    | {
        formatter?: { indentStyle?: string; indentWidth?: number; enabled?: boolean };
        javascript?: { formatter?: { quoteStyle?: string; semicolons?: string } };
      }
    | undefined;
  if (biome && biome.formatter?.enabled !== false) {
    return {
      formatter: 'biome',
      indent: biome.formatter?.indentStyle === 'space' ? ' '.repeat(biome.formatter.indentWidth ?? 2) : '\t',
      quote: biome.javascript?.formatter?.quoteStyle === 'single' ? "'" : '"',
      semicolons: biome.javascript?.formatter?.semicolons !== 'asNeeded',
    };
  }
  return {};
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    // JSONC: comments and trailing commas are common in formatter configuration files.
    return JSON.parse(text.replace(/^\s*\/\/.*$/gm, '').replace(/,(\s*[}\]])/g, '$1'));
  } catch {
    return undefined;
  }
}
