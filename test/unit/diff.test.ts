import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unifiedDiff } from '../../src/engine/diff.ts';

describe('unifiedDiff', () => {
  it('shows a new file as additions', () => {
    assert.equal(
      unifiedDiff([{ path: 'a.txt', before: null, after: 'one\ntwo\n', executable: false }]),
      'diff --git a/a.txt b/a.txt\nnew file mode 100644\n--- /dev/null\n+++ b/a.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n',
    );
  });

  it('shows a change with three lines of context', () => {
    const before = `${Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n')}\n`;
    const after = before.replace('line 5\n', 'line 5\ninserted\n');
    assert.equal(
      unifiedDiff([{ path: 'b.txt', before, after, executable: false }]),
      'diff --git a/b.txt b/b.txt\n--- a/b.txt\n+++ b/b.txt\n@@ -4,6 +4,7 @@\n line 3\n line 4\n line 5\n+inserted\n line 6\n line 7\n line 8\n',
    );
  });
});
