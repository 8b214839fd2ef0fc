import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt parameters (OWASP Password Storage Cheat Sheet: N=2^17, r=8, p=1), stored with each hash. */
export interface HashParams {
  log2N: number;
  r: number;
  p: number;
}

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** PHC string format: `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (base64). */
const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export const passwordParams = (log2N: number): HashParams => ({ log2N, r: 8, p: 1 });

function derive(password: string, salt: Buffer, params: HashParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  return new Promise((resolve, reject) => {
    // NFKC: the same password typed on another keyboard or platform gives the same bytes.
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r * params.p },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

const base64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');
const format = (params: HashParams, salt: Buffer, key: Buffer) =>
  `$scrypt$ln=${params.log2N},r=${params.r},p=${params.p}$${base64(salt)}$${base64(key)}`;

export async function hashPassword(password: string, params: HashParams): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  return format(params, salt, await derive(password, salt, params));
}

/**
 * A hash no password matches (its key is random bytes, derived from nothing): checking a password
 * against it costs what a real check costs, so an unknown account answers as slowly as a known one.
 */
export function decoyHash(params: HashParams): string {
  return format(params, randomBytes(SALT_LENGTH), randomBytes(KEY_LENGTH));
}

function parse(stored: string): { params: HashParams; salt: Buffer; key: Buffer } | undefined {
  const match = FORMAT.exec(stored);
  if (!match) return undefined;
  const [, log2N, r, p, salt, key] = match;
  return {
    params: { log2N: Number(log2N), r: Number(r), p: Number(p) },
    salt: Buffer.from(salt ?? '', 'base64'),
    key: Buffer.from(key ?? '', 'base64'),
  };
}

/** True when `password` matches; false for a mismatch or a stored value that is not a hash we made. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed || parsed.key.length !== KEY_LENGTH || parsed.params.log2N > 24) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return timingSafeEqual(key, parsed.key);
}

/** A hash made with other parameters than the current ones is replaced at the next successful sign-in. */
export function needsRehash(stored: string, params: HashParams): boolean {
  const current = parse(stored)?.params;
  return !current || current.log2N !== params.log2N || current.r !== params.r || current.p !== params.p;
}
