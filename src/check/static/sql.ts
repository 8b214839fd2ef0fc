import { type CallExpression, Node, type SourceFile, SyntaxKind } from 'ts-morph';
import { callsIn, findingAt, resolve, staticValue, UNKNOWN, unwrap } from '../code.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';

export const injection: Rule = {
  id: 'sql.injection',
  severity: 'high',
  title: 'Request data in SQL text',
  why: 'A value from the request is spliced into the statement: whoever sends it can read, change or delete any data the database user can.',
  owasp: 'API8:2023 Security Misconfiguration (injection)',
  checklist: [1, 51],
  remedy: 'Pass values as bound parameters ($1, ?) or a tagged template (sql`...`); map column and sort names through a fixed object.',
};

export const stringBuilt: Rule = {
  id: 'sql.string-built',
  severity: 'medium',
  title: 'SQL built from variables without bound parameters',
  why: 'The statement text is concatenated from values the check cannot prove constant, and no parameters are passed: one caller that forwards user input makes it injectable.',
  owasp: 'API8:2023 Security Misconfiguration (injection)',
  checklist: [51],
  remedy: 'Pass values as bound parameters ($1, ?) or use a tagged template (sql`...`); keep only constant identifiers in the text.',
};

/** Calls that take SQL text as first argument (drivers, query builders' raw escapes, ORMs' unsafe variants). */
const QUERY_METHODS = new Set([
  'query',
  'execute',
  'exec',
  'prepare',
  'run',
  'all',
  'get',
  'raw',
  'unsafe',
  'any',
  'one',
  'many',
  'none',
  'oneOrNone',
  'manyOrNone',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
  'whereRaw',
  'orderByRaw',
  'havingRaw',
  'joinRaw',
  'selectRaw',
]);
/** Fragment methods take SQL by definition; the others must look like a statement. */
const FRAGMENT_METHODS = /Raw$|^raw$|^unsafe$|RawUnsafe$/;
const STATEMENT = /^\s*(?:select|insert|update|delete|with|replace|merge|upsert|create|drop|alter|truncate|call)\b/i;
const REQUEST_ROOT = /^(?:req|request|ctx)$/;
const REQUEST_PART = /^(?:body|query|params|headers|cookies)$/;

/** The dynamic parts of a concatenation or template (constants are left out). */
function dynamicParts(node: Node): { text: string; parts: Node[] } | undefined {
  const value = unwrap(node);
  if (Node.isTemplateExpression(value)) {
    const parts = value.getTemplateSpans().map((s) => s.getExpression());
    return { text: value.getHead().getLiteralText(), parts: parts.filter((p) => staticValue(p) === UNKNOWN) };
  }
  if (Node.isBinaryExpression(value) && value.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
    const operands: Node[] = [];
    const flatten = (n: Node): void => {
      const bare = unwrap(n);
      if (Node.isBinaryExpression(bare) && bare.getOperatorToken().getKind() === SyntaxKind.PlusToken) {
        flatten(bare.getLeft());
        flatten(bare.getRight());
      } else operands.push(bare);
    };
    flatten(value);
    const first = staticValue(operands[0]);
    return { text: typeof first === 'string' ? first : '', parts: operands.filter((p) => staticValue(p) === UNKNOWN) };
  }
  return undefined;
}

/** Whether an expression reads the request: `req.query.x`, or a constant destructured from it. */
function fromRequest(node: Node, depth = 0): boolean {
  if (depth > 3) return false;
  const accesses = [node, ...node.getDescendants()].filter((n) => Node.isPropertyAccessExpression(n) || Node.isElementAccessExpression(n));
  for (const access of accesses) {
    const chain = access.getText().split(/[.[]/);
    if (chain.length >= 2 && REQUEST_ROOT.test(chain[0] ?? '') && REQUEST_PART.test(chain[1] ?? '')) return true;
  }
  for (const identifier of [node, ...node.getDescendantsOfKind(SyntaxKind.Identifier)].filter((n) => Node.isIdentifier(n))) {
    const declaration = declarationOf(identifier);
    const initializer = declaration?.getInitializer();
    if (initializer && fromRequest(initializer, depth + 1)) return true;
  }
  return false;
}

/** The variable declaration (plain or destructuring) that introduces a name, searched in enclosing blocks. */
function declarationOf(identifier: Node) {
  const name = identifier.getText();
  for (let scope = identifier.getParent(); scope; scope = scope.getParent()) {
    if (!(Node.isBlock(scope) || Node.isSourceFile(scope))) continue;
    for (const statement of scope.getStatements()) {
      if (!Node.isVariableStatement(statement)) continue;
      for (const declaration of statement.getDeclarations()) {
        const nameNode = declaration.getNameNode();
        const names = Node.isIdentifier(nameNode)
          ? [nameNode.getText()]
          : nameNode.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText());
        if (names.includes(name) && declaration !== identifier.getParent()) return declaration;
      }
    }
  }
  return undefined;
}

function judge(call: CallExpression, method: string): Finding | undefined {
  const [first, parameters] = call.getArguments();
  if (!first) return undefined;
  const sqlNode = resolve(first);
  const built = dynamicParts(sqlNode);
  if (!built || built.parts.length === 0) return undefined;
  if (!FRAGMENT_METHODS.test(method) && !STATEMENT.test(built.text)) return undefined;
  const tainted = built.parts.find((p) => fromRequest(p));
  if (tainted)
    return findingAt(injection, tainted, `${tainted.getText()} in ${method}(${first.getText().replace(/\s+/g, ' ').slice(0, 80)})`);
  // With bound parameters alongside, interpolations are structure (column lists, placeholders).
  if (parameters) return undefined;
  return findingAt(stringBuilt, sqlNode, `${method}() with ${built.parts.map((p) => p.getText()).join(', ')} spliced in`);
}

export const sql: StaticCheck = {
  rules: [injection, stringBuilt],
  async run(project: ProjectFiles): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const source of (await project.sources()) as SourceFile[]) {
      for (const call of callsIn(source)) {
        const callee = call.getExpression();
        const method = Node.isPropertyAccessExpression(callee) ? callee.getName() : Node.isIdentifier(callee) ? callee.getText() : '';
        if (!QUERY_METHODS.has(method)) continue;
        const finding = judge(call, method);
        if (finding) findings.push(finding);
      }
    }
    return findings;
  },
};
