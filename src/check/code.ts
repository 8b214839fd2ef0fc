import {
  type CallExpression,
  type Identifier,
  Node,
  type ObjectLiteralExpression,
  type SourceFile,
  SyntaxKind,
  type VariableDeclaration,
} from 'ts-morph';
import { relativePath } from './project.ts';
import type { Finding, Rule, Severity } from './types.ts';

/**
 * Reading code by meaning rather than by text: what an identifier was imported as, what a call
 * calls, what a constant holds, what an options object says. Syntax only (no type checker): values
 * are followed through `const` declarations and imports in the same file, which covers aliases and
 * renamed imports without the cost of a full program.
 */

/** What a local name refers to: an export of a module ('default', '*' for the namespace, or a name). */
export interface ImportedName {
  module: string;
  name: string;
}

const importCache = new WeakMap<SourceFile, Map<string, ImportedName>>();

/** Local names bound to imports: ES imports, `import x = require()`, and `const ... = require()`. */
export function importsOf(source: SourceFile): Map<string, ImportedName> {
  const cached = importCache.get(source);
  if (cached) return cached;
  const names = new Map<string, ImportedName>();
  for (const declaration of source.getImportDeclarations()) {
    const module = declaration.getModuleSpecifierValue();
    const defaultImport = declaration.getDefaultImport();
    if (defaultImport) names.set(defaultImport.getText(), { module, name: 'default' });
    const namespace = declaration.getNamespaceImport();
    if (namespace) names.set(namespace.getText(), { module, name: '*' });
    for (const named of declaration.getNamedImports()) {
      names.set(named.getAliasNode()?.getText() ?? named.getName(), { module, name: named.getName() });
    }
  }
  // CommonJS and dynamic imports need a walk of the whole file: only where the text has them.
  const text = source.getFullText();
  const requires = text.includes('require(');
  const dynamic = text.includes('import(');
  for (const declaration of requires ? source.getDescendantsOfKind(SyntaxKind.ImportEqualsDeclaration) : []) {
    const reference = declaration.getModuleReference();
    if (Node.isExternalModuleReference(reference)) {
      const module = reference.getExpression();
      if (module && Node.isStringLiteral(module)) names.set(declaration.getName(), { module: module.getLiteralText(), name: '*' });
    }
  }
  for (const declaration of requires || dynamic ? source.getDescendantsOfKind(SyntaxKind.VariableDeclaration) : []) {
    const required = requiredModule(declaration.getInitializer());
    if (!required) continue;
    const nameNode = declaration.getNameNode();
    if (Node.isIdentifier(nameNode)) names.set(nameNode.getText(), required);
    else if (Node.isObjectBindingPattern(nameNode)) {
      for (const element of nameNode.getElements()) {
        const exported = element.getPropertyNameNode()?.getText() ?? element.getName();
        names.set(element.getName(), { module: required.module, name: exported });
      }
    }
  }
  importCache.set(source, names);
  return names;
}

/** `require('m')`, `require('m').x`, `await import('m')`: the module and export an initializer takes. */
function requiredModule(initializer: Node | undefined): ImportedName | undefined {
  let node = initializer ? unwrap(initializer) : undefined;
  let member: string | undefined;
  if (node && Node.isPropertyAccessExpression(node)) {
    member = node.getName();
    node = unwrap(node.getExpression());
  }
  if (node && Node.isAwaitExpression(node)) node = unwrap(node.getExpression());
  if (!node || !Node.isCallExpression(node)) return undefined;
  const callee = node.getExpression();
  const isRequire = Node.isIdentifier(callee) && callee.getText() === 'require';
  const isImport = callee.getKind() === SyntaxKind.ImportKeyword;
  const [argument] = node.getArguments();
  if (!(isRequire || isImport) || !argument || !Node.isStringLiteral(argument)) return undefined;
  return { module: argument.getLiteralText(), name: member ?? '*' };
}

/** Strips parentheses, `as`, `satisfies`, non-null assertions and `<T>` casts. */
export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    if (
      Node.isParenthesizedExpression(current) ||
      Node.isAsExpression(current) ||
      Node.isSatisfiesExpression(current) ||
      Node.isNonNullExpression(current) ||
      Node.isTypeAssertion(current)
    ) {
      current = current.getExpression();
    } else return current;
  }
}

/** The nearest `const` declaration of an identifier visible from where it is used (same file). */
export function constDeclarationOf(identifier: Identifier): VariableDeclaration | undefined {
  const name = identifier.getText();
  for (let scope: Node | undefined = identifier.getParent(); scope; scope = scope.getParent()) {
    if (!(Node.isBlock(scope) || Node.isSourceFile(scope) || Node.isModuleBlock(scope) || Node.isCaseClause(scope))) continue;
    for (const statement of scope.getStatements()) {
      if (!Node.isVariableStatement(statement)) continue;
      const isConst = statement.getDeclarationKind() === 'const';
      for (const declaration of statement.getDeclarations()) {
        const nameNode = declaration.getNameNode();
        if (Node.isIdentifier(nameNode) && nameNode.getText() === name) return isConst ? declaration : undefined;
      }
    }
  }
  return undefined;
}

/** Follows identifiers through `const x = <expr>` (a few steps) to the expression that gives the value. */
export function resolve(node: Node, depth = 0): Node {
  const bare = unwrap(node);
  if (depth > 5 || !Node.isIdentifier(bare)) return bare;
  const initializer = constDeclarationOf(bare)?.getInitializer();
  return initializer ? resolve(initializer, depth + 1) : bare;
}

/** An options object: the literal itself, or one reached through a constant. */
export function objectLiteral(node: Node | undefined): ObjectLiteralExpression | undefined {
  if (!node) return undefined;
  const value = resolve(node);
  return Node.isObjectLiteralExpression(value) ? value : undefined;
}

/** A property's value node in an object literal, including shorthand and spread-in literals. */
export function property(object: ObjectLiteralExpression | undefined, name: string): Node | undefined {
  if (!object) return undefined;
  let found: Node | undefined;
  for (const member of object.getProperties()) {
    if (Node.isPropertyAssignment(member) && propertyName(member.getNameNode()) === name) found = member.getInitializer();
    else if (Node.isShorthandPropertyAssignment(member) && member.getName() === name) found = member.getNameNode();
    else if (Node.isMethodDeclaration(member) && propertyName(member.getNameNode()) === name) found = member;
    else if (Node.isSpreadAssignment(member)) {
      const spread = property(objectLiteral(member.getExpression()), name);
      if (spread) found = spread;
    }
  }
  return found;
}

/** The property node itself (name and value), for locating a finding on it. */
export function propertyNode(object: ObjectLiteralExpression | undefined, name: string): Node | undefined {
  const value = property(object, name);
  const parent = value?.getParent();
  return parent && (Node.isPropertyAssignment(parent) || Node.isShorthandPropertyAssignment(parent)) ? parent : value;
}

function propertyName(node: Node): string | undefined {
  if (Node.isIdentifier(node) || Node.isPrivateIdentifier(node)) return node.getText();
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node) || Node.isNumericLiteral(node)) return node.getLiteralText();
  if (Node.isComputedPropertyName(node)) {
    const value = staticValue(node.getExpression());
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

export type StaticValue = string | number | boolean | null | undefined | RegExp | StaticValue[];
/** Returned when a value cannot be known without running the code. */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** The value of a constant expression (literals, arithmetic, concatenation, constants), or UNKNOWN. */
export function staticValue(node: Node | undefined, depth = 0): StaticValue | typeof UNKNOWN {
  if (!node || depth > 8) return UNKNOWN;
  const value = resolve(node);
  if (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value)) return value.getLiteralText();
  if (Node.isNumericLiteral(value)) return value.getLiteralValue();
  if (Node.isTrueLiteral(value)) return true;
  if (Node.isFalseLiteral(value)) return false;
  if (Node.isNullLiteral(value)) return null;
  if (Node.isRegularExpressionLiteral(value)) return value.getLiteralValue();
  if (Node.isIdentifier(value)) {
    if (value.getText() === 'undefined') return undefined;
    if (value.getText() === 'Infinity') return Number.POSITIVE_INFINITY;
    return UNKNOWN;
  }
  if (Node.isPropertyAccessExpression(value)) {
    const text = value.getText();
    if (text === 'Number.MAX_SAFE_INTEGER') return Number.MAX_SAFE_INTEGER;
    if (text === 'Number.POSITIVE_INFINITY') return Number.POSITIVE_INFINITY;
    const object = objectLiteral(value.getExpression());
    return object ? staticValue(property(object, value.getName()), depth + 1) : UNKNOWN;
  }
  if (Node.isPrefixUnaryExpression(value) && value.getOperatorToken() === SyntaxKind.MinusToken) {
    const operand = staticValue(value.getOperand(), depth + 1);
    return typeof operand === 'number' ? -operand : UNKNOWN;
  }
  if (Node.isArrayLiteralExpression(value)) {
    const items = value.getElements().map((e) => staticValue(e, depth + 1));
    return items.includes(UNKNOWN) ? UNKNOWN : (items as StaticValue[]);
  }
  if (Node.isTemplateExpression(value)) {
    let text = value.getHead().getLiteralText();
    for (const span of value.getTemplateSpans()) {
      const part = staticValue(span.getExpression(), depth + 1);
      if (part === UNKNOWN || typeof part === 'object') return UNKNOWN;
      text += String(part) + span.getLiteral().getLiteralText();
    }
    return text;
  }
  if (Node.isBinaryExpression(value)) {
    const left = staticValue(value.getLeft(), depth + 1);
    const right = staticValue(value.getRight(), depth + 1);
    if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
    const operator = value.getOperatorToken().getKind();
    if (operator === SyntaxKind.PlusToken) {
      if (typeof left === 'number' && typeof right === 'number') return left + right;
      if (typeof left === 'string' || typeof right === 'string') return String(left) + String(right);
    }
    if (typeof left !== 'number' || typeof right !== 'number') return UNKNOWN;
    if (operator === SyntaxKind.AsteriskToken) return left * right;
    if (operator === SyntaxKind.MinusToken) return left - right;
    if (operator === SyntaxKind.SlashToken) return left / right;
    if (operator === SyntaxKind.AsteriskAsteriskToken) return left ** right;
    if (operator === SyntaxKind.LessThanLessThanToken) return left << right;
  }
  return UNKNOWN;
}

/** What a call calls, as module + export path: `jwt.verify()` with `import jwt from 'jsonwebtoken'` is jsonwebtoken `verify`. */
export interface CallTarget {
  module: string;
  /** Export path below the module, without `default`/`*` (CommonJS modules are called either way). */
  path: string[];
}

export function calleeTarget(call: CallExpression): CallTarget | undefined {
  return expressionTarget(call.getExpression());
}

/** Where an expression comes from, when it is (a member of) an import. */
export function expressionTarget(expression: Node, depth = 0): CallTarget | undefined {
  if (depth > 5) return undefined;
  const node = unwrap(expression);
  if (Node.isIdentifier(node)) {
    const imported = importsOf(node.getSourceFile()).get(node.getText());
    if (imported && !constDeclarationOf(node)) return { module: imported.module, path: exportPath(imported.name) };
    const initializer = constDeclarationOf(node)?.getInitializer();
    if (initializer) {
      const required = requiredModule(initializer);
      if (required) return { module: required.module, path: exportPath(required.name) };
      return expressionTarget(initializer, depth + 1);
    }
    return undefined;
  }
  if (Node.isPropertyAccessExpression(node)) {
    const base = expressionTarget(node.getExpression(), depth + 1);
    if (!base) return undefined;
    const name = node.getName();
    return { module: base.module, path: name === 'default' && base.path.length === 0 ? [] : [...base.path, name] };
  }
  if (Node.isCallExpression(node) || Node.isAwaitExpression(node)) {
    const required = requiredModule(node);
    if (required) return { module: required.module, path: exportPath(required.name) };
  }
  return undefined;
}

function exportPath(name: string): string[] {
  return name === 'default' || name === '*' ? [] : [name];
}

/** True when `target` is `module` itself or one of the given export paths of it. */
export function isTarget(target: CallTarget | undefined, module: string | RegExp, ...paths: string[][]): boolean {
  if (!target) return false;
  if (typeof module === 'string' ? target.module !== module : !module.test(target.module)) return false;
  const candidates = paths.length === 0 ? [[]] : paths;
  return candidates.some((p) => p.length === target.path.length && p.every((part, i) => part === target.path[i]));
}

/** Every call in the sources whose callee is `module` (or one of its export paths). */
export function callsTo(sources: readonly SourceFile[], module: string | RegExp, ...paths: string[][]): CallExpression[] {
  const result: CallExpression[] = [];
  for (const source of sources) {
    if (!importsModule(source, module)) continue;
    for (const call of callsIn(source)) {
      if (isTarget(calleeTarget(call), module, ...paths)) result.push(call);
    }
  }
  return result;
}

/** Whether the file imports or requires the module at all (a cheap filter before walking its calls). */
export function importsModule(source: SourceFile, module: string | RegExp): boolean {
  for (const imported of importsOf(source).values()) {
    if (typeof module === 'string' ? imported.module === module : module.test(imported.module)) return true;
  }
  const text = source.getFullText();
  return typeof module === 'string' ? text.includes(module) : module.test(text);
}

const callCache = new WeakMap<SourceFile, CallExpression[]>();

/** Every call in a file, collected once: most checks start from calls. */
export function callsIn(source: SourceFile): CallExpression[] {
  let calls = callCache.get(source);
  if (!calls) {
    calls = source.getDescendantsOfKind(SyntaxKind.CallExpression);
    callCache.set(source, calls);
  }
  return calls;
}

/** `x.method(...)` calls, whatever x is. */
export function methodCalls(source: SourceFile, ...methods: string[]): CallExpression[] {
  return callsIn(source).filter((call) => {
    const callee = call.getExpression();
    return Node.isPropertyAccessExpression(callee) && methods.includes(callee.getName());
  });
}

/** `app.register(plugin, options)` calls where the plugin is (an import of) `module`; options resolved. */
export function pluginRegistrations(
  sources: readonly SourceFile[],
  module: string | RegExp,
): { call: CallExpression; options: ObjectLiteralExpression | undefined }[] {
  const result: { call: CallExpression; options: ObjectLiteralExpression | undefined }[] = [];
  for (const source of sources) {
    if (!importsModule(source, module)) continue;
    for (const call of methodCalls(source, 'register')) {
      const [plugin, options] = call.getArguments();
      if (plugin && isTarget(expressionTarget(plugin), module)) result.push({ call, options: objectLiteral(options) });
    }
  }
  return result;
}

/** The function a handler argument stands for: an inline function, or a const/function declared in the file. */
export function functionOf(node: Node | undefined): Node | undefined {
  if (!node) return undefined;
  const value = resolve(node);
  if (Node.isArrowFunction(value) || Node.isFunctionExpression(value) || Node.isFunctionDeclaration(value)) return value;
  if (Node.isIdentifier(value)) {
    const declared = value
      .getSourceFile()
      .getFunctions()
      .find((f) => f.getName() === value.getText());
    return declared;
  }
  return undefined;
}

/** A finding located at a node. */
export function findingAt(rule: Rule, node: Node, seen?: string, severity?: Severity): Finding {
  const source = node.getSourceFile();
  const { line, column } = source.getLineAndColumnAtPos(node.getStart());
  return {
    rule,
    location: { file: relativePath(source), line, column },
    seen: (seen ?? excerpt(node)).replace(/\s+/g, ' ').trim(),
    ...(severity && severity !== rule.severity ? { severity } : {}),
  };
}

/** The node's source on one line, shortened. */
export function excerpt(node: Node, max = 120): string {
  const text = node.getText().replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
