import { Node, type ObjectLiteralExpression, type SourceFile, SyntaxKind } from 'ts-morph';
import {
  callsTo,
  findingAt,
  functionOf,
  objectLiteral,
  pluginRegistrations,
  property,
  propertyNode,
  resolve,
  staticValue,
  UNKNOWN,
} from '../code.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';

/** 256 bits: RFC 7518 §3.2 requires an HS256 key at least as long as the hash. */
const MIN_SECRET_LENGTH = 32;

export const algorithmsNotPinned: Rule = {
  id: 'jwt.algorithms-not-pinned',
  severity: 'medium',
  title: 'JWT verified without a pinned algorithm list',
  why: 'When the accepted algorithms are not fixed, the token (or the key type) decides them: the root of alg:none and HS/RS key-confusion attacks (RFC 8725 §3.1).',
  owasp: 'API2:2023 Broken Authentication',
  checklist: [3],
  remedy:
    "Pass the one algorithm you issue, e.g. algorithms: ['EdDSA'] (jsonwebtoken, jose, fast-jwt) or verify: { algorithms: [...] } (@fastify/jwt); or create-hardened-api add auth.",
  feature: 'auth',
};

export const noneAlgorithm: Rule = {
  id: 'jwt.none-algorithm',
  severity: 'high',
  title: "JWT 'none' algorithm allowed",
  why: 'An unsigned token is accepted: anyone can claim to be anyone.',
  owasp: 'API2:2023 Broken Authentication',
  checklist: [3],
  remedy: "Remove 'none' from the algorithms; accept only the signing algorithm you issue.",
};

export const weakSecret: Rule = {
  id: 'jwt.weak-secret',
  severity: 'high',
  title: 'JWT HMAC secret is a short literal',
  why: `A short secret written in the code can be brute-forced offline from a single token (hashcat does billions of HS256 guesses per second) and is known to everyone who can read the code; HS256 needs at least ${MIN_SECRET_LENGTH} random bytes.`,
  owasp: 'API2:2023 Broken Authentication',
  checklist: [3, 40, 41],
  remedy:
    'Read a random secret of at least 32 bytes from the environment (required at start-up, no default), or sign with an asymmetric key (EdDSA/ES256).',
};

export const literalSecret: Rule = {
  id: 'jwt.literal-secret',
  severity: 'medium',
  title: 'JWT secret written in the code',
  why: 'Whoever reads the repository (or a leaked copy) can mint valid tokens, and rotating the secret needs a release.',
  owasp: 'API2:2023 Broken Authentication',
  checklist: [40, 41],
  remedy: 'Read the secret from the environment or a secret manager, required at start-up with no default.',
};

/** The literal secret a key expression holds: a string, `Buffer.from('...')`, TextEncoder, or `env.X ?? '...'`. */
function literalKey(node: Node | undefined): { text: string; node: Node; fallback: boolean } | undefined {
  if (!node) return undefined;
  const value = resolve(node);
  const direct = staticValue(value);
  if (typeof direct === 'string') return { text: direct, node: value, fallback: false };
  if (Node.isCallExpression(value) || Node.isNewExpression(value)) {
    const callee = value.getExpression().getText();
    if (/^(?:Buffer\.from|(?:new\s+)?TextEncoder\(\)\.encode|createSecretKey)$/.test(callee) || /\.encode$/.test(callee)) {
      return literalKey(value.getArguments()[0]);
    }
  }
  if (Node.isBinaryExpression(value)) {
    const op = value.getOperatorToken().getKind();
    if (op === SyntaxKind.BarBarToken || op === SyntaxKind.QuestionQuestionToken) {
      const fallback = literalKey(value.getRight());
      return fallback ? { ...fallback, fallback: true } : undefined;
    }
  }
  return undefined;
}

function judgeSecret(key: Node | undefined, symmetric: boolean): Finding[] {
  const literal = literalKey(key);
  // An empty fallback fails loudly at the first token instead of being guessable.
  if (!literal || literal.text === '' || literal.text.includes('-----BEGIN')) return [];
  const how = literal.fallback ? ' (the fallback when the variable is unset)' : '';
  if (symmetric && literal.text.length < MIN_SECRET_LENGTH) {
    return [findingAt(weakSecret, literal.node, `a ${literal.text.length}-character literal secret${how}`)];
  }
  return [findingAt(literalSecret, literal.node, `a ${literal.text.length}-character literal secret${how}`)];
}

function algorithmsOf(options: ObjectLiteralExpression | undefined, name = 'algorithms'): string[] | typeof UNKNOWN | undefined {
  const node = property(options, name);
  if (!node) return undefined;
  const value = staticValue(node);
  if (value === UNKNOWN) return UNKNOWN;
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Findings for one verification: its options object and where to point when the list is missing. */
function judgeVerification(options: ObjectLiteralExpression | undefined, at: Node, library: string, name = 'algorithms'): Finding[] {
  const algorithms = algorithmsOf(options, name);
  if (algorithms === undefined) return [findingAt(algorithmsNotPinned, at, `${library} verification without ${name}`)];
  if (algorithms !== UNKNOWN && algorithms.some((a) => a.toLowerCase() === 'none')) {
    return [findingAt(noneAlgorithm, propertyNode(options, name) ?? at, `${name}: ${JSON.stringify(algorithms)}`)];
  }
  return [];
}

const isSymmetric = (algorithms: string[] | typeof UNKNOWN | undefined) =>
  algorithms === undefined || algorithms === UNKNOWN || algorithms.some((a) => a.startsWith('HS'));

function jsonwebtoken(sources: readonly SourceFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const call of callsTo(sources, 'jsonwebtoken', ['verify'])) {
    const [, key, third] = call.getArguments();
    const options = functionOf(third) ? undefined : objectLiteral(third);
    findings.push(...judgeVerification(options, call, 'jsonwebtoken'));
    findings.push(...judgeSecret(key, isSymmetric(algorithmsOf(options))));
  }
  for (const call of callsTo(sources, 'jsonwebtoken', ['sign'])) {
    const [, key, third] = call.getArguments();
    const options = objectLiteral(third);
    const algorithm = staticValue(property(options, 'algorithm'));
    if (typeof algorithm === 'string' && algorithm.toLowerCase() === 'none') {
      findings.push(findingAt(noneAlgorithm, propertyNode(options, 'algorithm') ?? call, "algorithm: 'none'"));
    }
    findings.push(...judgeSecret(key, typeof algorithm !== 'string' || algorithm.startsWith('HS')));
  }
  return findings;
}

function jose(sources: readonly SourceFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const call of callsTo(sources, 'jose', ['jwtVerify'])) {
    const [, key, third] = call.getArguments();
    const options = objectLiteral(third);
    findings.push(...judgeVerification(options, call, 'jose'));
    findings.push(...judgeSecret(key, true));
  }
  return findings;
}

function fastJwt(sources: readonly SourceFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const call of callsTo(sources, 'fast-jwt', ['createVerifier'])) {
    const options = objectLiteral(call.getArguments()[0]);
    findings.push(...judgeVerification(options, call, 'fast-jwt'));
    findings.push(...judgeSecret(property(options, 'key'), isSymmetric(algorithmsOf(options))));
  }
  for (const call of callsTo(sources, 'fast-jwt', ['createSigner'])) {
    const options = objectLiteral(call.getArguments()[0]);
    const algorithm = staticValue(property(options, 'algorithm'));
    if (typeof algorithm === 'string' && algorithm.toLowerCase() === 'none') {
      findings.push(findingAt(noneAlgorithm, propertyNode(options, 'algorithm') ?? call, "algorithm: 'none'"));
    }
    findings.push(...judgeSecret(property(options, 'key'), typeof algorithm !== 'string' || algorithm.startsWith('HS')));
  }
  return findings;
}

function fastifyJwt(sources: readonly SourceFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const { call, options } of pluginRegistrations(sources, /^(?:@fastify\/jwt|fastify-jwt)$/)) {
    if (!options) continue;
    const verify = objectLiteral(property(options, 'verify'));
    findings.push(...judgeVerification(verify, propertyNode(options, 'verify') ?? call, '@fastify/jwt', 'algorithms'));
    const secret = property(options, 'secret');
    const pair = objectLiteral(secret);
    const algorithms = algorithmsOf(verify);
    if (!pair) findings.push(...judgeSecret(secret, isSymmetric(algorithms)));
  }
  return findings;
}

export const jwt: StaticCheck = {
  rules: [algorithmsNotPinned, noneAlgorithm, weakSecret, literalSecret],
  async run(project: ProjectFiles): Promise<Finding[]> {
    const sources = await project.sources();
    return [...jsonwebtoken(sources), ...jose(sources), ...fastJwt(sources), ...fastifyJwt(sources)];
  },
};
