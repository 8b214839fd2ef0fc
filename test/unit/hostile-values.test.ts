import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { parseAllDocuments } from 'yaml';
import { commitChanges } from '../../src/engine/commit.ts';
import { composeProject } from '../../src/engine/compose.ts';
import { readManifest } from '../../src/engine/manifest.ts';
import { GENERATED } from '../../src/engine/project-target.ts';
import { resolveFeatures } from '../../src/engine/resolve.ts';
import { singleQuoted } from '../../src/engine/template-literals.ts';
import { type FileChange, Tree } from '../../src/engine/tree.ts';
import { features as registry } from '../../src/features/index.ts';
import { tempDir } from '../helpers/cli.ts';

/** Values a manifest or a package.json may carry; each would be code if pasted between quotes. */
const HOSTILE = [
  "x' + String(process.exit(7)) + '",
  'x" + String(process.exit(7)) + "',
  'x` + String(process.exit(7)) + `',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder text is the point
  'x${process.exit(7)}',
  "x\n');process.exit(7);('",
  'x\\',
  'x</script>\u2028\u2029',
];

const allIds = registry.map((f) => f.id);

async function render(tree: Tree, name: string, ids: readonly string[]): Promise<FileChange[]> {
  const previous = readManifest(tree);
  await composeProject({
    tree,
    previous,
    features: resolveFeatures([...(previous?.features ?? []), ...ids], registry),
    registry,
    answers: { name, options: {} },
    target: GENERATED,
    version: '0.0.0',
  });
  return tree.changes();
}

/** Every file that is code or data still parses, and no call was made out of the value. */
function assertNoInjection(changes: readonly FileChange[], name: string): void {
  let seenAsLiteral = false;
  for (const change of changes) {
    const ext = path.extname(change.path);
    if (['.ts', '.js', '.mjs', '.cjs'].includes(ext)) {
      const source = ts.createSourceFile(change.path, change.after, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
      assert.deepEqual(
        diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
        [],
        `${change.path} does not parse`,
      );
      const visit = (node: ts.Node): void => {
        // exit(7) is only in the hostile values; the templates' own process.exit calls use other codes.
        if (ts.isCallExpression(node) && node.getText(source) === 'process.exit(7)') {
          assert.fail(`${change.path}: the value became code: ${node.getText(source)}`);
        }
        if (ts.isStringLiteralLike(node) && node.text === name) seenAsLiteral = true;
        ts.forEachChild(node, visit);
      };
      visit(source);
    } else if (ext === '.json') {
      const parsed = JSON.parse(change.after);
      if (change.path === 'package.json') assert.equal(parsed.name, name);
      if (change.path.endsWith('dashboards/api.json')) assert.equal(parsed.title, `${name}: API overview`);
    } else if (ext === '.yaml' || ext === '.yml') {
      for (const doc of parseAllDocuments(change.after)) assert.deepEqual(doc.errors, [], `${change.path} does not parse`);
    } else if (change.path.endsWith('README.md')) {
      assert.ok(change.after.startsWith(`# ${name.replace(/\s+/g, ' ')}\n`), 'the title stays on one line');
    }
  }
  assert.ok(seenAsLiteral, 'the name is in the code, as one string literal');
}

describe('values rendered into code stay values', () => {
  for (const name of HOSTILE) {
    it(`create (every feature) with name ${JSON.stringify(name)}`, async () => {
      assertNoInjection(await render(new Tree(null), name, allIds), name);
    });

    it(`add (every feature onto the base) with name ${JSON.stringify(name)}`, async () => {
      const dir = tempDir('hostile-');
      const base = new Tree(dir);
      await commitChanges(dir, await render(base, 'api', []));
      assertNoInjection(await render(new Tree(dir), name, allIds), name);
    });
  }

  it('a single-quoted TypeScript literal reads back as the same text', () => {
    for (const name of HOSTILE) {
      const source = ts.createSourceFile('x.ts', `const v = ${singleQuoted(name)};`, ts.ScriptTarget.Latest, true);
      const literal = (source.statements[0] as ts.VariableStatement).declarationList.declarations[0]?.initializer;
      assert.ok(literal && ts.isStringLiteral(literal));
      assert.equal(literal.text, name);
    }
  });
});
