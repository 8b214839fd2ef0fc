import path from 'node:path';
import { Node, Project, type SourceFile, type Statement, SyntaxKind } from 'ts-morph';
import type { ForeignTarget } from '../../engine/project-target.ts';
import type { Tree } from '../../engine/tree.ts';
import { UserError } from '../../errors.ts';
import { type CodeStyle, styleOfText } from '../code-style.ts';
import { RefusalError } from '../refusal.ts';
import { candidateIn } from './find-app.ts';
import { insertionPoint } from './insertion.ts';

const HUB = 'hardenedApi';

/**
 * Connects our folder to the app with the smallest edit: one import and one `register(hardenedApi)`
 * where the app registers its infrastructure (see insertionPoint). In an app that autoloads a plugins
 * folder, a new file there instead, and no edit to the project's files. Idempotent.
 */
export function mountSupport(tree: Tree, target: ForeignTarget, ownedByUs: Set<string>): void {
  const hub = `${target.supportDir}/index.ts`;
  if (target.app.autoloadDir) {
    const file = `${target.app.autoloadDir}/hardened-api.ts`;
    const { quote, semicolons, eol } = target.facts.style;
    const semicolon = semicolons ? ';' : '';
    const content = `import { ${HUB} } from ${quote}${specifier(file, hub, target, undefined)}${quote}${semicolon}${eol}${eol}export default ${HUB}${semicolon}${eol}`;
    const current = tree.read(file);
    if (current !== null && current !== content && !ownedByUs.has(file)) {
      throw new UserError(
        `${file} is already in the project and is yours: create-hardened-api would add its plugin there.`,
        'Nothing was written. Rename yours, then run the command again.',
      );
    }
    tree.write(file, content);
    ownedByUs.add(file);
    return;
  }
  const text = tree.read(target.app.file);
  if (text === null) throw new RefusalError(`${target.app.file} disappeared while planning.`);
  const source = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true }).createSourceFile(`/${target.app.file}`, text);
  const candidate = candidateIn(source, target.app, target.facts.moduleSystem === 'esm');
  if (!candidate) throw new RefusalError(`Lost track of the app in ${target.app.file} (${target.app.label}).`);
  if (registersHub(source)) return;
  const style = styleOfText(text, target.facts.style);
  const point = insertionPoint(candidate, source);
  const statement = `${point.prefix}${point.instance}.register(${HUB})${style.semicolons ? ';' : ''}`;
  let edited = insertStatement(text, point.container.getStatements(), point.index, statement, style);
  edited = insertImport(
    edited,
    source,
    `import { ${HUB} } from ${style.quote}${specifier(target.app.file, hub, target, source)}${style.quote}${style.semicolons ? ';' : ''}`,
    style,
  );
  tree.write(target.app.file, edited);
}

/** A `register(hardenedApi)` anywhere in the file: inside the factory, a method or a helper. */
function registersHub(source: SourceFile): boolean {
  return source.getDescendantsOfKind(SyntaxKind.CallExpression).some((call) => {
    const callee = call.getExpression();
    return Node.isPropertyAccessExpression(callee) && callee.getName() === 'register' && call.getArguments()[0]?.getText() === HUB;
  });
}

/** A line after statements[index - 1] (its group), or before statements[index] when it is the first. */
function insertStatement(text: string, statements: readonly Statement[], index: number, line: string, style: CodeStyle): string {
  const previous = statements[index - 1];
  const next = statements[index];
  if (previous) {
    const end = lineEnd(text, previous.getEnd());
    return `${text.slice(0, end)}${style.eol}${indentOf(text, previous.getStart())}${line}${text.slice(end)}`;
  }
  if (next) {
    const comments = next.getLeadingCommentRanges();
    const start = lineStart(text, comments[0]?.getPos() ?? next.getStart());
    return `${text.slice(0, start)}${indentOf(text, next.getStart())}${line}${style.eol}${text.slice(start)}`;
  }
  throw new RefusalError('Found the app, but no statement to add the registration next to.');
}

/** After the last import declaration, or at the top. */
function insertImport(text: string, source: SourceFile, line: string, style: CodeStyle): string {
  const imports = source.getImportDeclarations();
  const last = imports[imports.length - 1];
  // Positions in `source` are those of the text before the registration was added: imports come first, so they still hold.
  if (last) {
    const end = lineEnd(text, last.getEnd());
    return `${text.slice(0, end)}${style.eol}${line}${text.slice(end)}`;
  }
  return `${line}${style.eol}${text}`;
}

function lineEnd(text: string, position: number): number {
  const end = text.indexOf('\n', position);
  if (end < 0) return text.length;
  return text[end - 1] === '\r' ? end - 1 : end;
}

function lineStart(text: string, position: number): number {
  return text.lastIndexOf('\n', position - 1) + 1;
}

function indentOf(text: string, position: number): string {
  const start = lineStart(text, position);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/**
 * How `from` imports `to`: relative, with the project's import extension (`index.js`, `index.ts`, or
 * `index`), or through a path alias when the importing file uses that alias for its own modules.
 */
function specifier(from: string, to: string, target: ForeignTarget, source: SourceFile | undefined): string {
  const extension = target.facts.importExtension;
  const withoutExtension = to.replace(/\.ts$/, '');
  for (const [alias, targets] of Object.entries(target.facts.tsconfig?.paths ?? {})) {
    const prefix = alias.replace(/\*$/, '');
    const folder = targets[0]?.replace(/\*$/, '');
    if (!alias.endsWith('*') || folder === undefined || !withoutExtension.startsWith(folder)) continue;
    const usesAlias = source?.getImportDeclarations().some((d) => d.getModuleSpecifierValue().startsWith(prefix));
    if (usesAlias) return `${prefix}${withoutExtension.slice(folder.length)}${extension}`;
  }
  let relative = path.posix.relative(path.posix.dirname(from), withoutExtension);
  if (!relative.startsWith('.')) relative = `./${relative}`;
  return `${relative}${extension}`;
}
