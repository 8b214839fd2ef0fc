import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, tempDir } from './cli.ts';

/** Planted-problem fixtures of `check` (layout and markers: test/fixtures/check/README.md). */
export const fixturesRoot = path.join(repoRoot, 'test/fixtures/check');
export const FRAMEWORKS = ['fastify', 'express'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface Expected {
  id: string;
  file: string;
  line: number;
  column?: number;
}

export interface Case {
  name: string;
  framework: Framework;
  directory: string;
}

export function cases(): Case[] {
  const result: Case[] = [];
  for (const group of ['any', ...FRAMEWORKS]) {
    const directory = path.join(fixturesRoot, 'cases', group);
    if (!existsSync(directory)) continue;
    for (const name of readdirSync(directory).sort()) {
      for (const framework of group === 'any' ? FRAMEWORKS : [group as Framework]) {
        result.push({ name: group === 'any' ? `${name} (any)` : name, framework, directory: path.join(directory, name) });
      }
    }
  }
  return result;
}

function filesUnder(directory: string, prefix = ''): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(directory, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

const MARKER = /expect(-next-line)?:\s*([\w.-]+)(?:\s+at\s+(?:"([^"]*)"|'([^']*)'))?/;
const CLEAN = /^(\s*)(?:\/\/|#)\s*clean:\s?(.*)$/;

/** What the case's markers and case.json expect in the planted variant. */
export function expectations(testCase: Case): Expected[] {
  const expected: Expected[] = [];
  for (const file of filesUnder(testCase.directory).filter((f) => f !== 'case.json')) {
    const lines = readFileSync(path.join(testCase.directory, file), 'utf8').split('\n');
    lines.forEach((text, index) => {
      const match = MARKER.exec(text);
      if (!match) return;
      const line = index + 1 + (match[1] ? 1 : 0);
      const at = match[3] ?? match[4];
      const column = at === undefined ? undefined : (lines[line - 1] ?? '').indexOf(at) + 1;
      if (column === 0) throw new Error(`${file}:${line}: "${at}" is not on that line`);
      expected.push({ id: match[2] as string, file, line, ...(column !== undefined ? { column } : {}) });
    });
  }
  const config = path.join(testCase.directory, 'case.json');
  if (existsSync(config)) expected.push(...((JSON.parse(readFileSync(config, 'utf8')) as { expect?: Expected[] }).expect ?? []));
  return expected;
}

const PLANTED = /(?:\/\/|#)\s*planted\b/;

/**
 * The file as the clean variant has it (undefined: no such file). A `clean:` line replaces the marked
 * line just before it: one with `expect:` or a `planted` comment, or the line after `expect-next-line:`.
 */
function cleaned(text: string): string | undefined {
  const lines = text.split('\n');
  if (lines[0]?.includes('planted-file')) return undefined;
  const out: string[] = [];
  let nextIsMarked = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (CLEAN.test(line)) continue;
    const marker = MARKER.exec(line);
    const marked = nextIsMarked || (marker !== null && !marker[1]) || PLANTED.test(line);
    nextIsMarked = Boolean(marker?.[1]);
    const replacement = marked ? CLEAN.exec(lines[i + 1] ?? '') : null;
    out.push(replacement ? `${replacement[1]}${replacement[2]}` : line);
  }
  return out.join('\n');
}

/** The files a case lays over the base (its case.json aside). */
export function caseFiles(testCase: Case): string[] {
  return filesUnder(testCase.directory).filter((f) => f !== 'case.json');
}

/** Lays out the base of the case's framework, the shared files and the case: planted or cleaned. */
export function layOut(testCase: Case | undefined, framework: Framework, variant: 'planted' | 'clean'): string {
  const target = path.join(tempDir('check-fixture-'), 'api');
  mkdirSync(target, { recursive: true });
  cpSync(path.join(fixturesRoot, 'shared'), target, { recursive: true });
  cpSync(path.join(fixturesRoot, framework, 'base'), target, { recursive: true });
  if (!testCase) return target;
  const config = path.join(testCase.directory, 'case.json');
  const planted = existsSync(config)
    ? (JSON.parse(readFileSync(config, 'utf8')) as { remove?: string[]; merge?: Record<string, Record<string, unknown>> })
    : {};
  if (variant === 'planted') {
    for (const file of planted.remove ?? []) rmSync(path.join(target, file), { force: true });
    for (const [file, fields] of Object.entries(planted.merge ?? {})) {
      const json = JSON.parse(readFileSync(path.join(target, file), 'utf8')) as Record<string, unknown>;
      writeFileSync(path.join(target, file), `${JSON.stringify({ ...json, ...fields }, null, 2)}\n`);
    }
  }
  for (const file of filesUnder(testCase.directory).filter((f) => f !== 'case.json')) {
    const text = readFileSync(path.join(testCase.directory, file), 'utf8');
    const content = variant === 'planted' ? text : cleaned(text);
    const destination = path.join(target, file);
    if (content === undefined) {
      rmSync(destination, { force: true });
      continue;
    }
    mkdirSync(path.dirname(destination), { recursive: true });
    writeFileSync(destination, content);
  }
  return target;
}
