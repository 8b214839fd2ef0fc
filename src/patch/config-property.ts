import { Node, type ObjectLiteralExpression, type SourceFile, SyntaxKind } from 'ts-morph';
import { insertionIndex } from './ordered-insert.ts';
import { PatchError } from './patch-error.ts';
import type { Patch } from './types.ts';

/** Adds one environment variable to the `ConfigSchema = Type.Object({...})` literal that config loading validates. */
export function addConfigProperty(name: string, schema: string): Patch {
  return {
    description: `add ${name} to the validated configuration`,
    role: 'config',
    kind: 'config',
    identity: name,
    apply({ file, path, order, key }) {
      const literal = configLiteral(file);
      if (!literal) {
        throw new PatchError(
          `Could not find the configuration schema in ${path}: looked for \`const ConfigSchema = Type.Object({ ... })\`.`,
        );
      }
      const properties = literal.getProperties();
      const names = properties.map((p) => (Node.isPropertyAssignment(p) ? p.getName() : undefined));
      if (names.includes(name)) return;
      const keys = names.map((n) => (n ? order.of('config', n) : undefined));
      const index = insertionIndex(keys, key, properties.length);
      literal.insertPropertyAssignment(index, { name, initializer: schema });
    },
  };
}

function configLiteral(file: SourceFile): ObjectLiteralExpression | undefined {
  const declaration = file.getVariableDeclaration('ConfigSchema');
  const call = declaration?.getInitializerIfKind(SyntaxKind.CallExpression);
  const argument = call?.getArguments()[0];
  return argument && Node.isObjectLiteralExpression(argument) ? argument : undefined;
}
