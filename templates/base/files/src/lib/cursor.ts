/**
 * Opaque pagination cursors: the sort order, and the sort value and id of the last row of a page,
 * as base64url-encoded JSON. Clients must not build them; a tampered cursor, or one made for another
 * sort order, decodes to undefined (a 400).
 */
export interface Cursor {
  sort: string;
  value: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(token: string, sort: string): Cursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((part) => typeof part === 'string')) {
    return undefined;
  }
  const [madeFor, value, id] = parsed as [string, string, string];
  return madeFor === sort ? { sort, value, id } : undefined;
}
