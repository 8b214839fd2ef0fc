import { Node, type ObjectLiteralExpression, type SourceFile, SyntaxKind } from 'ts-morph';
import type { CodeStyle } from '../code-style.ts';
import { envalidValidator, propertyExpression, propertyType } from './dialects.ts';
import { type EnvSchemaLocation, envSchemaObjects } from './find-env-schema.ts';
import type { PropertySpec } from './property-spec.ts';

/**
 * Declares our features' variables in the project's own environment schema (and in the type that mirrors
 * a JSON schema), in its dialect and style, after its own variables; secrets stay out (see PropertySpec).
 * Variables it already declares are left as they are. Returns the names it added.
 */
export function extendEnvSchema(file: SourceFile, location: EnvSchemaLocation, specs: readonly PropertySpec[], style: CodeStyle): string[] {
  const schema = envSchemaObjects(file)[location.index];
  if (!schema || schema.dialect !== location.dialect) return [];
  const existing = new Set(
    schema.object.getProperties().map((p) => (Node.isPropertyAssignment(p) ? p.getName().replace(/^['"]|['"]$/g, '') : '')),
  );
  const missing = specs.filter((s) => !s.secret && !existing.has(s.name));
  if (missing.length === 0) return [];
  const names = { namespace: schema.namespace, quote: style.quote };
  const mirror = schema.mirror;
  const separator = mirror ? memberSeparator(mirror.getMembers().map((m) => m.getText())) : ';';
  // Edits from the end of the file backwards, so that earlier positions stay valid.
  const edits: { at: number; text: string }[] = [];
  edits.push(
    appendProperties(
      file,
      schema.object,
      missing.map((s) => `${s.name}: ${propertyExpression(s, schema.dialect, names)}`),
    ),
  );
  if (mirror) {
    const members = mirror.getMembers();
    const last = members[members.length - 1];
    if (last) {
      const indent = indentOf(file.getFullText(), last.getStart());
      const lines = missing.map((s) => `${indent}${s.name}${s.optional ? '?' : ''}: ${propertyType(s, style.quote)}${separator}`);
      const end = last.getEnd();
      const withSeparator = /[;,]$/.test(last.getText()) ? '' : separator;
      edits.push({ at: end, text: `${withSeparator}\n${lines.join('\n')}`.replace(/\n/g, style.eol) });
    }
  }
  let text = file.getFullText();
  for (const edit of edits.sort((a, b) => b.at - a.at)) text = text.slice(0, edit.at) + edit.text + text.slice(edit.at);
  file.replaceWithText(text);
  if (schema.dialect === 'envalid') importEnvalidValidators(file, missing);
  return missing.map((s) => s.name);
}

function appendProperties(file: SourceFile, object: ObjectLiteralExpression, properties: readonly string[]): { at: number; text: string } {
  const text = file.getFullText();
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const existing = object.getProperties();
  const last = existing[existing.length - 1];
  if (!last) return { at: object.getStart() + 1, text: ` ${properties.join(', ')} ` };
  const indent = indentOf(text, last.getStart());
  const comma = last.getNextSiblingIfKind(SyntaxKind.CommaToken);
  const at = (comma ?? last).getEnd();
  return { at, text: `${comma ? '' : ','}${properties.map((p) => `${eol}${indent}${p},`).join('')}` };
}

function importEnvalidValidators(file: SourceFile, specs: readonly PropertySpec[]): void {
  const declaration = file.getImportDeclaration((d) => d.getModuleSpecifierValue() === 'envalid');
  if (!declaration) return;
  const imported = new Set(declaration.getNamedImports().map((n) => n.getName()));
  for (const validator of new Set(specs.map(envalidValidator))) if (!imported.has(validator)) declaration.addNamedImport(validator);
}

function memberSeparator(members: readonly string[]): string {
  const first = members[0] ?? '';
  return first.endsWith(',') ? ',' : first.endsWith(';') ? ';' : '';
}

function indentOf(text: string, position: number): string {
  const start = text.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}
