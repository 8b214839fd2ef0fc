import type { FileChange } from './tree.ts';

const CONTEXT = 3;

/** A unified diff of every change, as `git diff` would print it for new and modified files. */
export function unifiedDiff(changes: readonly FileChange[]): string {
  return changes.map(fileDiff).join('');
}

function fileDiff(change: FileChange): string {
  const before = change.before === null ? [] : splitLines(change.before);
  const after = splitLines(change.after);
  const header =
    change.before === null
      ? `diff --git a/${change.path} b/${change.path}\nnew file mode ${change.executable ? '100755' : '100644'}\n--- /dev/null\n+++ b/${change.path}\n`
      : `diff --git a/${change.path} b/${change.path}\n--- a/${change.path}\n+++ b/${change.path}\n`;
  return header + hunks(before, after).join('');
}

/** The unified diff of deleting a file, as `git diff` prints it. */
export function deletionDiff(file: string, before: string): string {
  return `diff --git a/${file} b/${file}\ndeleted file mode 100644\n--- a/${file}\n+++ /dev/null\n${hunks(splitLines(before), []).join('')}`;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Line diff by longest common subsequence; files here are small enough for the quadratic table. */
function diffLines(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const table: Uint32Array[] = Array.from({ length: midA.length + 1 }, () => new Uint32Array(midB.length + 1));
  for (let i = midA.length - 1; i >= 0; i--) {
    const row = table[i] as Uint32Array;
    const next = table[i + 1] as Uint32Array;
    for (let j = midB.length - 1; j >= 0; j--) {
      row[j] = midA[i] === midB[j] ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
    }
  }
  const ops: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
      ops.push({ kind: ' ', line: midA[i++] as string });
      j++;
    } else if (j < midB.length && (i === midA.length || (table[i]?.[j + 1] ?? 0) >= (table[i + 1]?.[j] ?? 0))) {
      ops.push({ kind: '+', line: midB[j++] as string });
    } else {
      ops.push({ kind: '-', line: midA[i++] as string });
    }
  }
  for (const line of a.slice(endA)) ops.push({ kind: ' ', line });
  return ops;
}

function hunks(a: string[], b: string[]): string[] {
  const ops = diffLines(a, b);
  const result: string[] = [];
  let index = 0;
  while (index < ops.length) {
    const firstChange = ops.findIndex((op, k) => k >= index && op.kind !== ' ');
    if (firstChange < 0) break;
    const start = Math.max(index, firstChange - CONTEXT);
    let end = firstChange;
    let lastChange = firstChange;
    while (end < ops.length) {
      if (ops[end]?.kind !== ' ') lastChange = end;
      else if (end - lastChange > CONTEXT * 2) break;
      end++;
    }
    end = Math.min(ops.length, lastChange + CONTEXT + 1);
    const slice = ops.slice(start, end);
    const oldStart = ops.slice(0, start).filter((op) => op.kind !== '+').length;
    const newStart = ops.slice(0, start).filter((op) => op.kind !== '-').length;
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    result.push(`@@ -${oldCount ? oldStart + 1 : oldStart},${oldCount} +${newCount ? newStart + 1 : newStart},${newCount} @@\n`);
    for (const op of slice) result.push(`${op.kind}${op.line}\n`);
    index = end;
  }
  return result;
}
