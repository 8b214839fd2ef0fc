import { Node, type SourceFile, SyntaxKind } from 'ts-morph';

/** How a file binds a framework package: the names that call its factory, and whether it only imports types. */
export interface FrameworkBinding {
  /** Local names that create an instance when called: `fastify`, `Fastify`, `createServer`, ... */
  factories: Set<string>;
  /** `F` of `import * as F from 'fastify'` (F.fastify(), F.default()). */
  namespaces: Set<string>;
  /** The file imports the package, but types only. */
  typesOnly: boolean;
  imported: boolean;
}

/**
 * The value bindings of `pkg` in a file: default or named factory imports under any local name,
 * namespace imports, `import x = require(pkg)` and `const x = require(pkg)`. Type-only imports and
 * named imports of types (`import { FastifyInstance } from 'fastify'`) bind no factory.
 */
export function frameworkBinding(file: SourceFile, pkg: string, factoryExports: readonly string[]): FrameworkBinding {
  const binding: FrameworkBinding = { factories: new Set(), namespaces: new Set(), typesOnly: false, imported: false };
  let typeImports = 0;
  for (const declaration of file.getImportDeclarations()) {
    if (declaration.getModuleSpecifierValue() !== pkg) continue;
    binding.imported = true;
    if (declaration.isTypeOnly()) {
      typeImports++;
      continue;
    }
    const defaultImport = declaration.getDefaultImport();
    if (defaultImport) binding.factories.add(defaultImport.getText());
    const namespace = declaration.getNamespaceImport();
    if (namespace) binding.namespaces.add(namespace.getText());
    for (const named of declaration.getNamedImports()) {
      if (named.isTypeOnly() || !factoryExports.includes(named.getName())) continue;
      binding.factories.add(named.getAliasNode()?.getText() ?? named.getName());
    }
    if (!defaultImport && !namespace && binding.factories.size === 0) typeImports++;
  }
  for (const declaration of file.getDescendantsOfKind(SyntaxKind.ImportEqualsDeclaration)) {
    const reference = declaration.getModuleReference();
    if (Node.isExternalModuleReference(reference) && reference.getExpression()?.getText().slice(1, -1) === pkg) {
      binding.imported = true;
      binding.factories.add(declaration.getName());
    }
  }
  for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
    if (call.getExpression().getText() !== 'require') continue;
    const [argument] = call.getArguments();
    if (!argument || !Node.isStringLiteral(argument) || argument.getLiteralValue() !== pkg) continue;
    binding.imported = true;
    const parent = call.getParent();
    if (Node.isVariableDeclaration(parent)) {
      const name = parent.getNameNode();
      if (Node.isIdentifier(name)) binding.factories.add(name.getText());
      else if (Node.isObjectBindingPattern(name)) {
        for (const element of name.getElements()) {
          const property = element.getPropertyNameNode()?.getText() ?? element.getName();
          if (factoryExports.includes(property)) binding.factories.add(element.getName());
        }
      }
    } else if (Node.isPropertyAccessExpression(parent) && Node.isVariableDeclaration(parent.getParent())) {
      // const fastify = require('fastify').default / .fastify
      const declaration = parent.getParentOrThrow();
      if (Node.isVariableDeclaration(declaration) && ['default', ...factoryExports].includes(parent.getName())) {
        binding.factories.add(declaration.getName());
      }
    }
  }
  binding.typesOnly = binding.imported && binding.factories.size === 0 && binding.namespaces.size === 0 && typeImports > 0;
  return binding;
}

/** Whether `callee` (the expression a call calls) is one of the binding's factories. */
export function callsFactory(callee: Node, binding: FrameworkBinding, factoryExports: readonly string[]): boolean {
  if (Node.isIdentifier(callee)) return binding.factories.has(callee.getText());
  if (Node.isPropertyAccessExpression(callee)) {
    const receiver = callee.getExpression().getText();
    return binding.namespaces.has(receiver) && ['default', ...factoryExports].includes(callee.getName());
  }
  return false;
}
