import { Node, type ObjectLiteralExpression, type SourceFile, SyntaxKind } from 'ts-morph';
import type { ConfigProperty } from './config-property.ts';
import { compareKeys, insertionIndex } from './ordered-insert.ts';
import { PatchError } from './patch-error.ts';
import type { OrderKeys } from './types.ts';

/**
 * Adds every missing property, each at its ordered place, with one text edit of the file: ts-morph
 * re-parses the whole file after each manipulation, which one by one made these patches most of the
 * time of a full-preset create.
 */
export function applyConfigProperties(
  file: SourceFile,
  path: string,
  order: OrderKeys,
  additions: readonly (ConfigProperty & { key: readonly number[] })[],
): void {
  const literal = configLiteral(file);
  if (!literal) {
    throw new PatchError(`Could not find the configuration schema in ${path}: looked for \`const ConfigSchema = Type.Object({ ... })\`.`);
  }
  const properties = literal.getProperties();
  const names = properties.map((p) => (Node.isPropertyAssignment(p) ? p.getName() : undefined));
  const keys = names.map((n) => (n ? order.of('config', n) : undefined));
  const missing = additions
    .filter((a, i) => !names.includes(a.name) && additions.findIndex((b) => b.name === a.name) === i)
    .sort((a, b) => compareKeys(a.key, b.key));
  if (missing.length === 0) return;
  const first = properties[0];
  if (!first) {
    for (const [i, a] of missing.entries()) literal.insertPropertyAssignment(i, { name: a.name, initializer: a.schema });
    return;
  }
  const indent = first.getIndentationText();
  const edits = new Map<number, string>();
  for (const addition of missing) {
    const index = insertionIndex(keys, addition.key, properties.length);
    const property = `${addition.name}: ${addition.schema}`;
    const before = properties[index];
    if (before) {
      edits.set(before.getStart(), `${edits.get(before.getStart()) ?? ''}${property},\n${indent}`);
    } else {
      const last = properties[properties.length - 1] as Node;
      const comma = last.getNextSiblingIfKind(SyntaxKind.CommaToken);
      const position = (comma ?? last).getEnd();
      edits.set(position, `${edits.get(position) ?? (comma ? '' : ',')}\n${indent}${property},`);
    }
  }
  let text = file.getFullText();
  for (const [position, insertion] of [...edits].sort(([a], [b]) => b - a)) {
    text = text.slice(0, position) + insertion + text.slice(position);
  }
  file.replaceWithText(text);
}

function configLiteral(file: SourceFile): ObjectLiteralExpression | undefined {
  const declaration = file.getVariableDeclaration('ConfigSchema');
  const call = declaration?.getInitializerIfKind(SyntaxKind.CallExpression);
  const argument = call?.getArguments()[0];
  return argument && Node.isObjectLiteralExpression(argument) ? argument : undefined;
}
