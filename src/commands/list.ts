import { printResult } from '../cli/output.ts';
import { features } from '../features/index.ts';

export function list(json: boolean): void {
  const rows = features.map((f) => ({
    id: f.id,
    title: f.title,
    description: f.description,
    requires: [...f.requires],
    presets: [...f.presets],
  }));
  const width = Math.max(0, ...rows.map((r) => r.id.length));
  const human = rows.length
    ? `${rows
        .map(
          (r) =>
            `${r.id.padEnd(width)}  ${r.description}${r.requires.length ? ` (requires ${r.requires.join(', ')})` : ''}${r.presets.length ? ` [${r.presets.join(', ')}]` : ''}`,
        )
        .join('\n')}\n`
    : 'No optional features are available in this version; every project gets the hardened base.\n';
  printResult(json, { ok: true, command: 'list', features: rows }, human);
}
