import { diff3Merge } from 'node-diff3';

export interface TextMerge {
  text: string;
  /** How many regions both sides changed differently; each is written between conflict markers. */
  conflicts: number;
}

/** What the conflict markers call each side (`yours`, and the generator versions). */
export interface MergeLabels {
  yours: string;
  base: string;
  ours: string;
}

/**
 * Three-way merge by lines: the changes from `base` to `ours` (our new render) and from `base` to
 * `yours` (the user's file) are combined; where both changed the same lines differently, the region is
 * written with git's diff3-style markers (yours first, as `git merge` puts the checked-out side).
 *
 * `unionInsertions`: for documents that only grow by blocks (`.env.example`, README), two insertions at
 * the same place are not a conflict: ours goes first, then yours, as two sections would.
 */
export function mergeText(base: string, ours: string, yours: string, labels: MergeLabels, unionInsertions = false): TextMerge {
  const regions = diff3Merge(lines(yours), lines(base), lines(ours), { excludeFalseConflicts: true });
  const out: string[] = [];
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) {
      out.push(...region.ok);
      continue;
    }
    const conflict = region.conflict;
    if (!conflict) continue;
    if (unionInsertions && conflict.o.length === 0) {
      out.push(...conflict.b, ...conflict.a);
      continue;
    }
    conflicts++;
    out.push(
      `<<<<<<< ${labels.yours}`,
      ...conflict.a,
      `||||||| ${labels.base}`,
      ...conflict.o,
      '=======',
      ...conflict.b,
      `>>>>>>> ${labels.ours}`,
    );
  }
  return { text: out.join('\n'), conflicts };
}

/** Lines without their terminators; a final newline leaves an empty last element, which joins back. */
function lines(text: string): string[] {
  return text.split('\n');
}
