import { randomUUID, sign, verify } from 'node:crypto';
import type { SigningKeys } from './keys.ts';

/** The only algorithm and token type accepted (RFC 8725 §3.1, RFC 9068 `at+jwt`): never read from the token. */
const ALGORITHM = 'EdDSA';
const ACCESS_TOKEN_TYPE = 'at+jwt';
const CLOCK_TOLERANCE_S = 30;
const SEGMENT = /^[A-Za-z0-9_-]+$/;

export interface AccessClaims {
  sub: string;
  /** The session (refresh token family) the token belongs to: revoking it revokes the token. */
  sid: string;
  jti: string;
  exp: number;
}

export interface TokenSettings {
  keys: SigningKeys;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

/** Why a token was refused; published on the auth.failure channel and logged, never sent to the client. */
export type TokenFailure =
  | 'malformed'
  | 'algorithm'
  | 'unknown-key'
  | 'signature'
  | 'claims'
  | 'expired'
  | 'not-yet-valid'
  | 'keys-unavailable';

export class TokenError extends Error {
  readonly reason: TokenFailure;
  constructor(reason: TokenFailure) {
    super(`access token refused: ${reason}`);
    this.reason = reason;
  }
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signAccessToken(
  settings: TokenSettings,
  subject: { sub: string; sid: string },
  now = Date.now(),
): { token: string; claims: AccessClaims } {
  const iat = Math.floor(now / 1000);
  const claims = {
    iss: settings.issuer,
    aud: settings.audience,
    sub: subject.sub,
    sid: subject.sid,
    jti: randomUUID(),
    iat,
    nbf: iat,
    exp: iat + settings.ttlSeconds,
  };
  const header = { alg: ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid: settings.keys.current.kid };
  const input = `${encode(header)}.${encode(claims)}`;
  const signature = sign(null, Buffer.from(input), settings.keys.current.privateKey).toString('base64url');
  return { token: `${input}.${signature}`, claims };
}

function decodeJson(segment: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the refusal below.
  }
  throw new TokenError('malformed');
}

/** The three parts of a compact JWS, decoded; nothing in them is trusted yet. */
export function decodeToken(token: string) {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) throw new TokenError('malformed');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  return {
    header: decodeJson(headerPart),
    payload: decodeJson(payloadPart),
    signingInput: Buffer.from(`${headerPart}.${payloadPart}`),
    signature: Buffer.from(signaturePart, 'base64url'),
  };
}

/** `exp` has passed or `nbf` is still ahead (with a small allowance for clock skew). */
export function checkLifetime(exp: number, nbf: number | undefined, now: number): void {
  const seconds = now / 1000;
  if (exp <= seconds - CLOCK_TOLERANCE_S) throw new TokenError('expired');
  if (nbf !== undefined && nbf > seconds + CLOCK_TOLERANCE_S) throw new TokenError('not-yet-valid');
}

/**
 * Verifies an access token: exactly EdDSA with a key we hold (by kid), type at+jwt, then iss, aud, exp
 * and nbf. Header fields such as `jku`, `jwk` or `x5u` are never used to find a key.
 */
export function verifyAccessToken(settings: TokenSettings, token: string, now = Date.now()): AccessClaims {
  const { header, payload, signingInput, signature } = decodeToken(token);
  if (header.alg !== ALGORITHM || header.typ !== ACCESS_TOKEN_TYPE || header.crit !== undefined) {
    throw new TokenError('algorithm');
  }
  const key = typeof header.kid === 'string' ? settings.keys.verifiers.get(header.kid) : undefined;
  if (!key) throw new TokenError('unknown-key');
  if (!verify(null, signingInput, key, signature)) throw new TokenError('signature');
  const { iss, aud, sub, sid, jti, exp, nbf } = payload;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (
    iss !== settings.issuer ||
    !audiences.includes(settings.audience) ||
    typeof sub !== 'string' ||
    typeof sid !== 'string' ||
    typeof jti !== 'string' ||
    typeof exp !== 'number' ||
    typeof nbf !== 'number'
  ) {
    throw new TokenError('claims');
  }
  checkLifetime(exp, nbf, now);
  return { sub, sid, jti, exp };
}

/**
 * Access tokens that passed every check of verifyAccessToken, by their exact text, until they expire:
 * the Ed25519 check costs more than the rest of a request. A cached token is still checked for expiry on
 * each use, and revocation is not cached at all (the caller checks the session every request). Bounded:
 * when full, the oldest entry makes room, and only validly signed tokens ever enter.
 */
export function verifiedTokenCache(settings: TokenSettings, maxEntries = 10_000) {
  const verified = new Map<string, AccessClaims>();
  return {
    has: (token: string) => verified.has(token),
    verify(token: string, now = Date.now()): AccessClaims {
      const cached = verified.get(token);
      if (cached) {
        try {
          checkLifetime(cached.exp, undefined, now);
        } catch (error) {
          verified.delete(token);
          throw error;
        }
        return cached;
      }
      const claims = verifyAccessToken(settings, token, now);
      if (verified.size >= maxEntries) verified.delete(verified.keys().next().value as string);
      verified.set(token, claims);
      return claims;
    },
  };
}
