import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
const BEARER = /^Bearer ([!-~]+)$/i;

/**
 * Checks an Authorization header against the configured token in constant time: both sides are
 * hashed first, so neither the content nor the length of the token leaks through timing. An empty
 * token accepts nothing.
 */
export function bearerTokenCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = token === '' ? undefined : digest(token);
  return (authorization) => {
    const presented = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
    return expected !== undefined && presented !== undefined && timingSafeEqual(digest(presented), expected);
  };
}
