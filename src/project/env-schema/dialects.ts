import type { PropertySpec } from './property-spec.ts';

export type Dialect = 'zod' | 'envalid' | 'typebox' | 'json-schema';

/** How a dialect is written in this file: the local names of its functions, and the file's quote. */
export interface DialectNames {
  /** zod's `z`, TypeBox's `Type`; envalid's validators are imported by name. */
  namespace: string;
  quote: "'" | '"';
}

/** The schema expression for one variable, in the project's own dialect. */
export function propertyExpression(spec: PropertySpec, dialect: Dialect, names: DialectNames): string {
  const literal = (value: string | number | boolean) => (typeof value === 'string' ? quoted(value, names.quote) : String(value));
  switch (dialect) {
    case 'zod':
      return zod(spec, names.namespace, literal);
    case 'envalid':
      return envalid(spec, literal);
    case 'typebox':
      return typebox(spec, names.namespace, literal);
    case 'json-schema':
      return jsonSchema(spec, literal);
  }
}

/** The TypeScript type of a variable, for a hand-written interface that mirrors a JSON schema. */
export function propertyType(spec: PropertySpec, quote: "'" | '"'): string {
  if (spec.kind === 'choice') return (spec.choices ?? []).map((c) => quoted(c, quote)).join(' | ');
  return spec.kind === 'integer' || spec.kind === 'number' ? 'number' : spec.kind;
}

/** envalid validators a spec needs imported. */
export function envalidValidator(spec: PropertySpec): 'str' | 'num' | 'bool' {
  if (spec.kind === 'boolean') return 'bool';
  return spec.kind === 'integer' || spec.kind === 'number' ? 'num' : 'str';
}

type Literal = (value: string | number | boolean) => string;

function zod(spec: PropertySpec, z: string, literal: Literal): string {
  if (spec.kind === 'boolean') {
    // Optional whatever its default: zod 3 and 4 disagree on whether .default() after a transform takes the
    // input or the output; our settings module applies the default.
    return `${z}.enum([${literal('true')}, ${literal('false')}]).transform((value) => value === ${literal('true')}).optional()`;
  }
  let expression: string;
  if (spec.kind === 'choice') expression = `${z}.enum([${(spec.choices ?? []).map(literal).join(', ')}])`;
  else if (spec.kind === 'string') {
    expression = `${z}.string()`;
    if (spec.minLength !== undefined) expression += `.min(${spec.minLength})`;
    if (spec.maxLength !== undefined) expression += `.max(${spec.maxLength})`;
    if (spec.pattern !== undefined) expression += `.regex(new RegExp(${literal(spec.pattern)}))`;
  } else {
    expression = `${z}.coerce.number()${spec.kind === 'integer' ? '.int()' : ''}`;
    if (spec.minimum !== undefined) expression += `.min(${spec.minimum})`;
    if (spec.maximum !== undefined) expression += `.max(${spec.maximum})`;
  }
  if (spec.default !== undefined) return `${expression}.default(${literal(spec.default)})`;
  return spec.optional ? `${expression}.optional()` : expression;
}

function envalid(spec: PropertySpec, literal: Literal): string {
  const options: string[] = [];
  if (spec.kind === 'choice') options.push(`choices: [${(spec.choices ?? []).map(literal).join(', ')}]`);
  if (spec.default !== undefined) options.push(`default: ${literal(spec.default)}`);
  else if (spec.optional) options.push('default: undefined');
  return `${envalidValidator(spec)}(${options.length > 0 ? `{ ${options.join(', ')} }` : ''})`;
}

function typebox(spec: PropertySpec, T: string, literal: Literal): string {
  const options = keywords(spec, literal);
  const object = options.length > 0 ? `{ ${options.join(', ')} }` : '';
  let expression: string;
  if (spec.kind === 'choice') {
    expression = `${T}.Union([${(spec.choices ?? []).map((c) => `${T}.Literal(${literal(c)})`).join(', ')}]${object ? `, ${object}` : ''})`;
  } else {
    const names = { string: 'String', integer: 'Integer', number: 'Number', boolean: 'Boolean' } as const;
    expression = `${T}.${names[spec.kind]}(${object})`;
  }
  return spec.optional ? `${T}.Optional(${expression})` : expression;
}

function jsonSchema(spec: PropertySpec, literal: Literal): string {
  const type = spec.kind === 'choice' ? 'string' : spec.kind;
  const parts = [`type: ${literal(type)}`];
  if (spec.kind === 'choice') parts.push(`enum: [${(spec.choices ?? []).map(literal).join(', ')}]`);
  parts.push(...keywords(spec, literal));
  return `{ ${parts.join(', ')} }`;
}

/** JSON Schema keywords of a spec, in a stable order. */
function keywords(spec: PropertySpec, literal: Literal): string[] {
  const result: string[] = [];
  if (spec.default !== undefined) result.push(`default: ${literal(spec.default)}`);
  if (spec.minimum !== undefined) result.push(`minimum: ${spec.minimum}`);
  if (spec.maximum !== undefined) result.push(`maximum: ${spec.maximum}`);
  if (spec.minLength !== undefined) result.push(`minLength: ${spec.minLength}`);
  if (spec.maxLength !== undefined) result.push(`maxLength: ${spec.maxLength}`);
  if (spec.pattern !== undefined) result.push(`pattern: ${literal(spec.pattern)}`);
  return result;
}

function quoted(value: string, quote: "'" | '"'): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}
