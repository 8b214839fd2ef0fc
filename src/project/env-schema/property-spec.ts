import { Node, Project, SyntaxKind } from 'ts-morph';

/** One environment variable as our features declare it, in a form every schema dialect can be written from. */
export interface PropertySpec {
  name: string;
  kind: 'string' | 'integer' | 'number' | 'boolean' | 'choice';
  optional: boolean;
  default?: string | number | boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  choices?: string[];
  /** Never copied into a project's own schema: its config object may reach its logs. */
  secret: boolean;
}

const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });

/**
 * Reads one of our TypeBox property expressions (`Type.Integer({ default: 100, minimum: 1 })`,
 * `Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'open' })`,
 * `Type.Optional(Type.Boolean())`) into a PropertySpec; undefined for a shape it does not know.
 */
export function propertySpec(name: string, expression: string): PropertySpec | undefined {
  const file = project.createSourceFile('/spec.ts', `const x = ${expression};`, { overwrite: true });
  let call: Node | undefined = file.getVariableDeclarationOrThrow('x').getInitializer();
  let optional = false;
  if (Node.isCallExpression(call) && call.getExpression().getText() === 'Type.Optional') {
    optional = true;
    call = call.getArguments()[0];
  }
  if (!Node.isCallExpression(call)) return undefined;
  const kind = call
    .getExpression()
    .getText()
    .replace(/^Type\./, '');
  const [first, second] = call.getArguments();
  if (kind === 'Union' && first && Node.isArrayLiteralExpression(first)) {
    const choices = first.getElements().map((e) => e.getFirstDescendantByKind(SyntaxKind.StringLiteral)?.getLiteralValue());
    if (choices.some((c) => c === undefined)) return undefined;
    return { name, kind: 'choice', optional, choices: choices as string[], secret: false, ...options(second) };
  }
  const kinds: Record<string, PropertySpec['kind']> = { String: 'string', Integer: 'integer', Number: 'number', Boolean: 'boolean' };
  const mapped = kinds[kind];
  if (!mapped) return undefined;
  const { secret, ...rest } = { secret: false, ...options(first) };
  return { name, kind: mapped, optional, secret: secret === true, ...rest };
}

function options(node: Node | undefined): Partial<PropertySpec> & { secret?: boolean } {
  const result: Record<string, unknown> = {};
  if (!node || !Node.isObjectLiteralExpression(node)) return result;
  for (const property of node.getProperties()) {
    if (!Node.isPropertyAssignment(property)) continue;
    const value = property.getInitializerOrThrow();
    const key = property.getName();
    if (Node.isStringLiteral(value)) result[key] = value.getLiteralValue();
    else if (Node.isNumericLiteral(value)) result[key] = value.getLiteralValue();
    else if (Node.isPrefixUnaryExpression(value) && Node.isNumericLiteral(value.getOperand())) result[key] = Number(value.getText());
    else if (value.getKind() === SyntaxKind.TrueKeyword) result[key] = true;
    else if (value.getKind() === SyntaxKind.FalseKeyword) result[key] = false;
  }
  const { default: fallback, minimum, maximum, minLength, maxLength, pattern, secret } = result;
  return {
    ...(fallback !== undefined ? { default: fallback as PropertySpec['default'] } : {}),
    ...(typeof minimum === 'number' ? { minimum } : {}),
    ...(typeof maximum === 'number' ? { maximum } : {}),
    ...(typeof minLength === 'number' ? { minLength } : {}),
    ...(typeof maxLength === 'number' ? { maxLength } : {}),
    ...(typeof pattern === 'string' ? { pattern } : {}),
    ...(secret === true ? { secret: true } : {}),
  };
}
