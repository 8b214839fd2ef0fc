import type { ts as TypeScript } from 'ts-morph';
import { type CodeStyle, TEMPLATE_STYLE } from './code-style.ts';

export interface SourceConventions {
  /** How relative imports end in this project. */
  importExtension: '.js' | '.ts' | '';
  style: CodeStyle;
}

const RELATIVE_TS_IMPORT = /(\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"\n]*?)\.ts\2/gm;

/**
 * Rewrites a TypeScript file written in our templates' conventions (`.ts` relative imports, two-space
 * indentation, single quotes, semicolons) into a project's own: its import extension, indentation,
 * quotes, semicolons and line endings. Strings and template literals keep their content.
 */
export function adaptSource(text: string, conventions: SourceConventions, ts: typeof TypeScript): string {
  let result = rewriteImportExtensions(text, conventions.importExtension);
  const { style } = conventions;
  if (style.quote !== TEMPLATE_STYLE.quote || !style.semicolons || style.indent !== TEMPLATE_STYLE.indent) {
    result = restyle(result, style, ts);
  }
  return style.eol === '\r\n' ? result.replace(/\r?\n/g, '\r\n') : result;
}

export function rewriteImportExtensions(text: string, extension: SourceConventions['importExtension']): string {
  if (extension === '.ts') return text;
  return text.replace(
    RELATIVE_TS_IMPORT,
    (_match, lead: string, quote: string, path: string) => `${lead}${quote}${path}${extension}${quote}`,
  );
}

/** Quotes and semicolons only: for our own files after patches inserted lines already indented the project's way. */
export function restyleQuotesAndSemicolons(text: string, style: CodeStyle, ts: typeof TypeScript): string {
  const restyled =
    style.quote === TEMPLATE_STYLE.quote && style.semicolons ? text : restyle(text, { ...style, indent: TEMPLATE_STYLE.indent }, ts);
  return style.eol === '\r\n' ? restyled.replace(/\r?\n/g, '\r\n') : restyled;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function restyle(text: string, style: CodeStyle, ts: typeof TypeScript): string {
  const source = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: Edit[] = [];
  const verbatim: [number, number][] = [];
  const visit = (node: TypeScript.Node): void => {
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) verbatim.push([node.getStart(source), node.getEnd()]);
    if (ts.isStringLiteral(node) && style.quote !== TEMPLATE_STYLE.quote) {
      const edit = requote(node, source, style.quote);
      if (edit) edits.push(edit);
    }
    if (!style.semicolons) {
      const edit = droppedSemicolon(node, text, ts);
      if (edit) edits.push(edit);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let result = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  if (style.indent === TEMPLATE_STYLE.indent) return result;
  // Positions moved with the edits above: find template literals again in the edited text.
  const spans = style.quote !== TEMPLATE_STYLE.quote || !style.semicolons ? templateSpans(result, ts) : verbatim;
  return reindent(result, style.indent, spans);
}

function requote(node: TypeScript.StringLiteral, source: TypeScript.SourceFile, quote: '"' | "'"): Edit | undefined {
  const raw = node.getText(source);
  if (!raw.startsWith(TEMPLATE_STYLE.quote) || node.text.includes(quote)) return undefined;
  const inner = raw.slice(1, -1).replace(/\\'/g, "'");
  return { start: node.getStart(source), end: node.getEnd(), text: `${quote}${inner}${quote}` };
}

/** A statement's or member's final `;`, unless the next line would then continue the expression (ASI hazard). */
function droppedSemicolon(node: TypeScript.Node, text: string, ts: typeof TypeScript): Edit | undefined {
  const terminated =
    ts.isExpressionStatement(node) ||
    ts.isVariableStatement(node) ||
    ts.isReturnStatement(node) ||
    ts.isThrowStatement(node) ||
    ts.isBreakStatement(node) ||
    ts.isContinueStatement(node) ||
    ts.isImportDeclaration(node) ||
    ts.isExportDeclaration(node) ||
    ts.isExportAssignment(node) ||
    ts.isTypeAliasDeclaration(node) ||
    ts.isPropertyDeclaration(node) ||
    ts.isPropertySignature(node) ||
    ts.isMethodSignature(node) ||
    ts.isIndexSignatureDeclaration(node) ||
    ts.isDoStatement(node);
  if (!terminated) return undefined;
  const end = node.getEnd();
  if (text[end - 1] !== ';') return undefined;
  // The next token, comments skipped: on the same line, or one that would continue the expression, keeps it.
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  scanner.resetTokenState(end);
  const next = scanner.scan();
  if (next === ts.SyntaxKind.EndOfFileToken) return { start: end - 1, end, text: '' };
  if (!scanner.hasPrecedingLineBreak()) return undefined;
  const hazards = [
    ts.SyntaxKind.OpenParenToken,
    ts.SyntaxKind.OpenBracketToken,
    ts.SyntaxKind.NoSubstitutionTemplateLiteral,
    ts.SyntaxKind.TemplateHead,
    ts.SyntaxKind.PlusToken,
    ts.SyntaxKind.MinusToken,
    ts.SyntaxKind.SlashToken,
    ts.SyntaxKind.SlashEqualsToken,
  ];
  return hazards.includes(next) ? undefined : { start: end - 1, end, text: '' };
}

function templateSpans(text: string, ts: typeof TypeScript): [number, number][] {
  const source = ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const spans: [number, number][] = [];
  const visit = (node: TypeScript.Node): void => {
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) spans.push([node.getStart(source), node.getEnd()]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return spans;
}

/** Two spaces per level become the project's unit; lines that start inside a template literal keep theirs. */
function reindent(text: string, unit: string, verbatim: readonly [number, number][]): string {
  let offset = 0;
  return text
    .split('\n')
    .map((line) => {
      const start = offset;
      offset += line.length + 1;
      if (verbatim.some(([from, to]) => start > from && start < to)) return line;
      const leading = /^ */.exec(line)?.[0].length ?? 0;
      if (leading === 0) return line;
      return `${unit.repeat(Math.floor(leading / 2))}${' '.repeat(leading % 2)}${line.slice(leading)}`;
    })
    .join('\n');
}
