import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** A public key as published in /.well-known/jwks.json (RFC 7517). */
export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

export interface SigningKeys {
  /** Signs new tokens. */
  current: { kid: string; privateKey: KeyObject };
  /** Every key a token may be signed with (the current one and those being rotated out), by kid. */
  verifiers: ReadonlyMap<string, KeyObject>;
  jwks: { keys: PublicJwk[] };
}

/** RFC 7638 thumbprint: the kid is derived from the key, so it cannot collide or be chosen by a token. */
function thumbprint(jwk: { crv?: string; kty?: string; x?: string }): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(canonical).digest('base64url');
}

function publicJwk(key: KeyObject): PublicJwk {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new Error('expected an Ed25519 key');
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: thumbprint(jwk), alg: 'EdDSA', use: 'sig' };
}

/** A new Ed25519 key pair, as the two single-line values the configuration takes. */
export function generateSigningKey(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/**
 * The signing key from AUTH_JWT_PRIVATE_KEY (base64 PKCS#8 DER; required in production by the
 * configuration), or a key made for this process when unset (development and tests: tokens then end
 * with the process). AUTH_JWT_PREVIOUS_KEYS lists public keys (base64 SPKI DER) still accepted.
 */
export function loadSigningKeys(privateKeyText: string, previousText: string): SigningKeys {
  const privateKey = privateKeyText
    ? createPrivateKey({ key: Buffer.from(privateKeyText, 'base64'), format: 'der', type: 'pkcs8' })
    : generateKeyPairSync('ed25519').privateKey;
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('AUTH_JWT_PRIVATE_KEY must be an Ed25519 key');
  const keys = [
    createPublicKey(privateKey),
    ...previousText
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean)
      .map((k) => createPublicKey({ key: Buffer.from(k, 'base64'), format: 'der', type: 'spki' })),
  ];
  const jwks = keys.map(publicJwk);
  const current = jwks[0] as PublicJwk;
  return {
    current: { kid: current.kid, privateKey },
    verifiers: new Map(jwks.map((jwk, i) => [jwk.kid, keys[i] as KeyObject])),
    jwks: { keys: jwks },
  };
}
