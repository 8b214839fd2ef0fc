/**
 * Adds string entries to a top-level object of a JSON document (`dependencies` of package.json) by
 * editing the text in place: every other byte stays as its owner wrote it (indentation, one-line
 * objects, key order, line endings). The document must be valid JSON (parse it first).
 */

interface Member {
  key: string;
  start: number;
  end: number;
}

interface ObjectSpan {
  open: number;
  close: number;
  members: Member[];
}

/**
 * `placeFor(existingKeys, newKey)` gives the index among the existing keys to insert before (or the
 * length, for the end).
 */
export function addEntries(
  text: string,
  section: string,
  entries: readonly (readonly [string, string])[],
  placeFor: (keys: readonly string[], key: string) => number,
): string {
  if (entries.length === 0) return text;
  const root = parseObject(text, skipSpace(text, 0));
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const member = root.members.find((m) => m.key === section);
  if (!member) return addSection(text, root, section, entries, eol);
  const object = parseObject(text, skipSpace(text, valueStart(text, member.start)));
  let result = text;
  // Insert from the last position backwards so that earlier positions stay valid.
  const planned = entries.map(([key, value]) => ({
    key,
    value,
    at: placeFor(
      object.members.map((m) => m.key),
      key,
    ),
  }));
  const multiline = text.slice(object.open, object.close).includes('\n');
  const first = object.members[0];
  const indent = first ? indentBefore(text, first.start) : `${indentBefore(text, member.start)}  `;
  for (const item of [...planned].sort((a, b) => b.at - a.at || (a.key < b.key ? 1 : -1))) {
    const pair = `${JSON.stringify(item.key)}: ${JSON.stringify(item.value)}`;
    const before = object.members[item.at];
    if (before) {
      const separator = multiline ? `,${eol}${indent}` : ', ';
      result = `${result.slice(0, before.start)}${pair}${separator}${result.slice(before.start)}`;
    } else {
      const last = object.members[object.members.length - 1];
      if (last) {
        const separator = multiline ? `,${eol}${indent}` : ', ';
        result = `${result.slice(0, last.end)}${separator}${pair}${result.slice(last.end)}`;
      } else {
        const closingIndent = indentBefore(text, member.start);
        result = `${result.slice(0, object.open + 1)}${eol}${indent}${pair}${eol}${closingIndent}${result.slice(object.close)}`;
      }
    }
  }
  return result;
}

function addSection(text: string, root: ObjectSpan, section: string, entries: readonly (readonly [string, string])[], eol: string): string {
  const last = root.members[root.members.length - 1];
  const indent = last ? indentBefore(text, last.start) : '  ';
  const inner = entries.map(([key, value]) => `${indent}${indent}${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(`,${eol}`);
  const block = `${JSON.stringify(section)}: {${eol}${inner}${eol}${indent}}`;
  if (!last) return `${text.slice(0, root.open + 1)}${eol}${indent}${block}${eol}${text.slice(root.close)}`;
  return `${text.slice(0, last.end)},${eol}${indent}${block}${text.slice(last.end)}`;
}

function indentBefore(text: string, position: number): string {
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, position))?.[0] ?? '';
}

function skipSpace(text: string, position: number): number {
  let i = position;
  while (i < text.length && /[\s\uFEFF]/.test(text[i] ?? '')) i++;
  return i;
}

function valueStart(text: string, keyStart: number): number {
  const keyEnd = stringEnd(text, keyStart);
  return text.indexOf(':', keyEnd) + 1;
}

/** The members of the object starting at `open` (which must be `{`), with where each starts and ends. */
function parseObject(text: string, open: number): ObjectSpan {
  if (text[open] !== '{') throw new Error('expected a JSON object');
  const members: Member[] = [];
  let i = skipSpace(text, open + 1);
  while (text[i] !== '}') {
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    const end = valueEnd(text, skipSpace(text, text.indexOf(':', keyEnd) + 1));
    members.push({ key, start: i, end });
    i = skipSpace(text, end);
    if (text[i] === ',') i = skipSpace(text, i + 1);
  }
  return { open, close: i, members };
}

function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return stringEnd(text, start);
  if (first === '{' || first === '[') {
    let depth = 0;
    let i = start;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '"') i = stringEnd(text, i) - 1;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return i;
  }
  let i = start;
  while (i < text.length && !/[\s,}\]]/.test(text[i] ?? '')) i++;
  return i;
}
