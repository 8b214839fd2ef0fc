/** One member of a Structured Field List (RFC 9651): a String item with Integer or Token parameters. */
export interface ListMember {
  item: string;
  params: Record<string, number | string>;
}

const KEY = /^[a-z*][a-z0-9_.*-]*/;

/**
 * Parses the subset of RFC 9651 Lists that RateLimit and RateLimit-Policy use (String items, Integer
 * and Token parameters), strictly: anything else throws, so a test fails on a malformed field.
 */
export function parseList(field: string): ListMember[] {
  const members: ListMember[] = [];
  let rest = field.trim();
  while (rest.length > 0) {
    const item = /^"((?:[^"\\]|\\["\\])*)"/.exec(rest);
    if (!item?.[1] && item?.[1] !== '') throw new Error(`expected a String item at: ${rest}`);
    rest = rest.slice(item[0].length);
    const params: Record<string, number | string> = {};
    while (rest.startsWith(';')) {
      rest = rest.slice(1).trimStart();
      const key = KEY.exec(rest)?.[0];
      if (!key) throw new Error(`expected a parameter key at: ${rest}`);
      rest = rest.slice(key.length);
      if (!rest.startsWith('=')) throw new Error(`expected = after ${key}`);
      rest = rest.slice(1);
      const integer = /^-?\d{1,15}(?![.\d])/.exec(rest)?.[0];
      const token = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*/.exec(rest)?.[0];
      const value = integer ?? token;
      if (value === undefined) throw new Error(`expected an Integer or Token for ${key} at: ${rest}`);
      params[key] = integer === undefined ? value : Number(integer);
      rest = rest.slice(value.length);
    }
    members.push({ item: item[1].replace(/\\(["\\])/g, '$1'), params });
    rest = rest.trimStart();
    if (rest.length === 0) break;
    if (!rest.startsWith(',')) throw new Error(`expected , between members at: ${rest}`);
    rest = rest.slice(1).trimStart();
    if (rest.length === 0) throw new Error('trailing comma');
  }
  return members;
}
