import {
  type InterfaceDeclaration,
  Node,
  type ObjectLiteralExpression,
  Project,
  type SourceFile,
  SyntaxKind,
  type TypeLiteralNode,
} from 'ts-morph';
import type { Tree } from '../../engine/tree.ts';
import type { ProjectFacts } from '../facts.ts';
import type { Dialect } from './dialects.ts';

/** The project's own environment schema, as `add` reports it and the patch finds it again. */
export interface EnvSchemaLocation {
  file: string;
  dialect: Dialect;
  /** Which candidate of the file (document order), stable between the scan and the patch. */
  index: number;
  label: string;
}

export interface EnvSchemaObject {
  dialect: Dialect;
  /** The object literal whose properties are the variables. */
  object: ObjectLiteralExpression;
  /** zod's `z`, TypeBox's `Type` in this file. */
  namespace: string;
  /** For a JSON schema: the hand-written type that mirrors it (env-schema's interface, @fastify/env's `config`). */
  mirror: InterfaceDeclaration | TypeLiteralNode | undefined;
}

const TEST_PATH = /(^|\/)(test|tests|__tests__|spec|e2e)\/|\.(test|spec)\.[cm]?ts$/;
const VARIABLE = /^[A-Z][A-Z0-9_]*$/;
const DIALECT_NAMES: Record<Dialect, string> = {
  zod: 'zod schema',
  envalid: 'envalid cleanEnv()',
  typebox: 'TypeBox schema',
  'json-schema': 'JSON schema',
};

/**
 * Where the project validates its environment with a schema we can read and extend: a zod `z.object`,
 * envalid's `cleanEnv(process.env, {...})`, a TypeBox `Type.Object`, or a JSON schema given to
 * @fastify/env / env-schema; the one naming the most variables. Our own folder never counts.
 */
export function findEnvSchema(tree: Tree, facts: ProjectFacts, ownFolder: string): EnvSchemaLocation | undefined {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  let best: (EnvSchemaLocation & { variables: number }) | undefined;
  for (const file of facts.tsconfig?.files ?? []) {
    if (TEST_PATH.test(file) || file.startsWith(`${ownFolder}/`)) continue;
    const text = tree.read(file) ?? '';
    if (!/['"](zod|envalid|typebox|@sinclair\/typebox|env-schema|@fastify\/env)['"/]/.test(text)) continue;
    const source = project.createSourceFile(`/${file}`, text, { overwrite: true });
    envSchemaObjects(source).forEach((candidate, index) => {
      const variables = candidate.object.getProperties().filter((p) => VARIABLE.test(propertyName(p) ?? '')).length;
      if (variables > (best?.variables ?? 0)) {
        best = { file, dialect: candidate.dialect, index, label: `the ${DIALECT_NAMES[candidate.dialect]} in ${file}`, variables };
      }
    });
  }
  if (!best) return undefined;
  const { variables: _count, ...location } = best;
  return location;
}

/** Every environment schema object of a file, in document order. */
export function envSchemaObjects(file: SourceFile): EnvSchemaObject[] {
  const found: EnvSchemaObject[] = [];
  const zod = bindings(file, ['zod', 'zod/v4', 'zod/v3'], ['z']);
  const typebox = bindings(file, ['typebox', '@sinclair/typebox'], ['Type']);
  const cleanEnv = bindings(file, ['envalid'], ['cleanEnv']);
  const jsonSchema = file.getImportDeclarations().some((d) => ['@fastify/env', 'env-schema'].includes(d.getModuleSpecifierValue()));
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    const callee = call.getExpression();
    const [first, second] = call.getArguments();
    if (Node.isPropertyAccessExpression(callee)) {
      const receiver = callee.getExpression().getText();
      const method = callee.getName();
      if (zod.has(receiver) && ['object', 'strictObject', 'looseObject'].includes(method) && Node.isObjectLiteralExpression(first)) {
        found.push({ dialect: 'zod', object: first, namespace: receiver, mirror: undefined });
      } else if (typebox.has(receiver) && method === 'Object' && Node.isObjectLiteralExpression(first)) {
        found.push({ dialect: 'typebox', object: first, namespace: receiver, mirror: undefined });
      }
    } else if (Node.isIdentifier(callee) && cleanEnv.has(callee.getText())) {
      const object = literalOf(file, second);
      if (object) found.push({ dialect: 'envalid', object, namespace: '', mirror: undefined });
    }
  }
  if (jsonSchema) {
    for (const object of file.getDescendantsOfKind(SyntaxKind.ObjectLiteralExpression)) {
      const type = object.getProperty('type');
      const properties = object.getProperty('properties');
      if (!Node.isPropertyAssignment(type) || !/^['"]object['"]$/.test(type.getInitializer()?.getText() ?? '')) continue;
      if (!Node.isPropertyAssignment(properties)) continue;
      const inner = properties.getInitializer();
      if (!Node.isObjectLiteralExpression(inner)) continue;
      found.push({ dialect: 'json-schema', object: inner, namespace: '', mirror: mirrorOf(file, inner) });
    }
  }
  return found.sort((a, b) => a.object.getStart() - b.object.getStart());
}

/** The local names `names` (exports of `packages`) have in this file, or namespace/default imports of them. */
function bindings(file: SourceFile, packages: readonly string[], names: readonly string[]): Set<string> {
  const result = new Set<string>();
  for (const declaration of file.getImportDeclarations()) {
    if (!packages.includes(declaration.getModuleSpecifierValue()) || declaration.isTypeOnly()) continue;
    const namespace = declaration.getNamespaceImport() ?? declaration.getDefaultImport();
    if (namespace) result.add(namespace.getText());
    for (const named of declaration.getNamedImports()) {
      if (names.includes(named.getName())) result.add(named.getAliasNode()?.getText() ?? named.getName());
    }
  }
  return result;
}

function literalOf(file: SourceFile, node: Node | undefined): ObjectLiteralExpression | undefined {
  if (Node.isObjectLiteralExpression(node)) return node;
  if (!Node.isIdentifier(node)) return undefined;
  const initializer = file.getVariableDeclaration(node.getText())?.getInitializer();
  return Node.isObjectLiteralExpression(initializer) ? initializer : undefined;
}

function propertyName(property: Node): string | undefined {
  return Node.isPropertyAssignment(property) || Node.isShorthandPropertyAssignment(property)
    ? property.getName().replace(/^['"]|['"]$/g, '')
    : undefined;
}

/** The interface or type literal in the file that names (most of) the schema's variables. */
function mirrorOf(file: SourceFile, schema: ObjectLiteralExpression): InterfaceDeclaration | TypeLiteralNode | undefined {
  const keys = new Set(
    schema
      .getProperties()
      .map(propertyName)
      .filter((k): k is string => k !== undefined),
  );
  let best: { node: InterfaceDeclaration | TypeLiteralNode; overlap: number } | undefined;
  const candidates = [...file.getDescendantsOfKind(SyntaxKind.InterfaceDeclaration), ...file.getDescendantsOfKind(SyntaxKind.TypeLiteral)];
  for (const node of candidates) {
    const names = node.getMembers().map((m) => (Node.isPropertySignature(m) ? m.getName() : undefined));
    const overlap = names.filter((n) => n !== undefined && keys.has(n)).length;
    if (overlap >= Math.max(1, Math.ceil(keys.size * 0.8)) && overlap > (best?.overlap ?? 0)) best = { node, overlap };
  }
  return best?.node;
}
