// `npm run auth:keygen`: a new Ed25519 signing key for AUTH_JWT_PRIVATE_KEY. To rotate: publish the old
// key's public half in AUTH_JWT_PREVIOUS_KEYS, switch AUTH_JWT_PRIVATE_KEY to the new key, and drop the
// old public key once the longest access token lifetime has passed.
import { generateSigningKey } from '../src/auth/keys.ts';

const { privateKey, publicKey } = generateSigningKey();
console.log(`AUTH_JWT_PRIVATE_KEY=${privateKey}`);
console.log(`# its public key, for AUTH_JWT_PREVIOUS_KEYS after the next rotation: ${publicKey}`);
