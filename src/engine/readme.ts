/**
 * Inserts a feature's section (`### Title` ...) under the README's `## Features` heading, in registry
 * order (`rank`). Without that heading the section goes at the end. Idempotent by heading.
 */
export function mergeReadmeSection(text: string, section: string, rank: (heading: string) => number | undefined): string {
  const heading = /^### (.+)$/m.exec(section)?.[1];
  if (!heading) throw new Error('A README section must start with a "### " heading');
  const lines = text.split('\n');
  if (lines.some((l) => l === `### ${heading}`)) return text;

  const start = lines.indexOf('## Features');
  let end = lines.length;
  if (start >= 0) {
    const next = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (next >= 0) end = next;
  }
  const myRank = rank(heading) ?? Number.MAX_SAFE_INTEGER;
  let insertAt = end;
  for (let i = Math.max(start, 0); i < end; i++) {
    const other = lines[i]?.startsWith('### ') ? rank(lines[i]?.slice(4) ?? '') : undefined;
    if (other !== undefined && other > myRank) {
      insertAt = i;
      break;
    }
  }
  // Keep exactly one blank line between sections.
  while (insertAt > 0 && lines[insertAt - 1] === '') insertAt--;
  const body = section.trim().split('\n');
  const after = lines.slice(insertAt);
  while (after[0] === '') after.shift();
  const result = [...lines.slice(0, insertAt), '', ...body, ...(after.length ? ['', ...after] : [''])];
  return result.join('\n');
}
