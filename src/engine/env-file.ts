import type { EnvVar } from '../features/types.ts';

/**
 * Adds a feature's block to `.env.example`: a `# <title>` line, then each variable with its comment.
 * Blocks go in registry order (`rank`, lower first) after the base's variables; variables already
 * present anywhere in the file are left alone. Idempotent.
 */
export function mergeEnvExample(text: string, title: string, vars: readonly EnvVar[], rank: (title: string) => number | undefined): string {
  const missing = vars.filter((v) => !new RegExp(`^#?\\s*${v.name}=`, 'm').test(text));
  if (missing.length === 0) return text;
  const block = [`# ${title}`, ...missing.flatMap((v) => [`# ${v.description}`, `${v.name}=${v.example}`])].join('\n');
  const blocks = text.trimEnd().split(/\n{2,}/);
  const myRank = rank(title) ?? Number.MAX_SAFE_INTEGER;
  let index = blocks.length;
  for (let i = 0; i < blocks.length; i++) {
    const heading = /^# (.+)$/m.exec(blocks[i] ?? '')?.[1];
    const other = heading === undefined ? undefined : rank(heading);
    if (other !== undefined && other > myRank) {
      index = i;
      break;
    }
  }
  blocks.splice(index, 0, block);
  return `${blocks.join('\n\n')}\n`;
}
