import { unifiedDiff } from '../engine/diff.ts';
import type { FileChange } from '../engine/tree.ts';

/** The plan as the user sees it with --dry-run: a file list, then the unified diff. */
export function describePlan(changes: readonly FileChange[]): string {
  const list = changes.map((c) => `  ${c.before === null ? 'create' : 'update'} ${c.path}`).join('\n');
  return `Plan (${changes.length} file${changes.length === 1 ? '' : 's'}, nothing written):\n${list}\n\n${unifiedDiff(changes)}`;
}

export function planJson(changes: readonly FileChange[]): { files: { path: string; action: string }[]; diff: string } {
  return {
    files: changes.map((c) => ({ path: c.path, action: c.before === null ? 'create' : 'update' })),
    diff: unifiedDiff(changes),
  };
}
