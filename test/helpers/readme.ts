import { features } from '../../src/features/index.ts';

const HEADER = '| id | what it adds | requires | presets |\n|---|---|---|---|';

export function featureTable(): string {
  const rows = features.map((f) => `| \`${f.id}\` | ${f.description} | ${f.requires.join(', ') || '-'} | ${f.presets.join(', ') || '-'} |`);
  return [HEADER, ...rows].join('\n');
}

/** The README with its feature table (the header line and the rows after it) replaced. */
export function replaceFeatureTable(readme: string, table: string): string {
  const start = readme.indexOf(HEADER);
  if (start < 0) throw new Error('README.md has no feature table');
  let end = start + HEADER.length;
  while (readme.startsWith('\n|', end)) end = readme.indexOf('\n', end + 1) < 0 ? readme.length : readme.indexOf('\n', end + 1);
  return readme.slice(0, start) + table + readme.slice(end);
}
