import { findingInFile, position } from '../locate.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';

export const envFile: Rule = {
  id: 'secrets.env-file',
  severity: 'high',
  title: 'Environment file with values is committed',
  why: 'A .env file holds the real secrets of an environment; committed (or not ignored, so the next `git add .` commits it), every clone and fork has them, forever in history.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [41],
  remedy: 'Add .env (and .env.*, keeping .env.example) to .gitignore, `git rm --cached` the file, and rotate every secret it held.',
};

export const privateKey: Rule = {
  id: 'secrets.private-key',
  severity: 'high',
  title: 'Private key in the repository',
  why: 'Whoever has the repository can impersonate the server or sign tokens with this key.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [41],
  remedy:
    'Remove the key from the repository (and its history), rotate it, and load keys from a secret store or a mounted file at run time.',
};

export const token: Rule = {
  id: 'secrets.token',
  severity: 'high',
  title: 'Credential in the repository',
  why: 'A token in a well-known format (cloud, source hosting, payment, chat) grants access to that service to everyone who can read the repository; scanners harvest public ones within minutes.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [41],
  remedy: 'Revoke the token now, remove it from the code (and history), and read it from the environment or a secret manager.',
};

/** Well-known credential formats (the prefixes their issuers put there so that scanners can find them). */
const TOKENS: { kind: string; pattern: RegExp }[] = [
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { kind: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{60,}\b/ },
  { kind: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { kind: 'Slack webhook', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,}/ },
  { kind: 'Stripe live key', pattern: /\b[rs]k_live_[A-Za-z0-9]{20,}\b/ },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: 'SendGrid key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { kind: 'OpenAI key', pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}\b/ },
  { kind: 'Anthropic key', pattern: /\bsk-ant-[A-Za-z0-9_-]{80,}\b/ },
];
const PRIVATE_KEY = /-----BEGIN (?:(?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY(?: BLOCK)?-----/;
/** Documentation examples and obvious placeholders. */
const PLACEHOLDER = /EXAMPLE|(.)\1{7,}|x{4,}|\.\.\./i;
const LOCKFILES = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?)$/;
const ENV_FILE = /(?:^|\/)\.env(?:\.[\w.-]+)?$/;
const ENV_TEMPLATE = /\.(?:example|sample|template|dist|defaults?|schema)$/i;
/** Environment files that, by convention, hold only local or test values. */
const ENV_LOCAL_VALUES = /\.(?:test|testing|ci|development|dev)$/i;
const TEST_PATH = /(?:^|\/)(?:test|tests|__tests__|spec|e2e|fixtures)\//;

function envFileFindings(project: ProjectFiles, file: string): Finding[] {
  if (!ENV_FILE.test(file) || ENV_TEMPLATE.test(file)) return [];
  const text = project.read(file) ?? '';
  const valued = text.split(/\r?\n/).filter((line) => /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*\s*=\s*(?!#)\S/.test(line));
  if (valued.length === 0) return [];
  const names = valued
    .map((line) =>
      line
        .split('=')[0]
        ?.replace(/^\s*export\s+/, '')
        .trim(),
    )
    .join(', ');
  const severity = ENV_LOCAL_VALUES.test(file) ? 'low' : undefined;
  return [findingInFile(project, envFile, file, `${valued.length} variable(s) with values: ${names.slice(0, 100)}`, undefined, severity)];
}

export const secrets: StaticCheck = {
  rules: [envFile, privateKey, token],
  run(project: ProjectFiles): Finding[] {
    const findings: Finding[] = [];
    for (const file of project.files) {
      findings.push(...envFileFindings(project, file));
      if (LOCKFILES.test(file)) continue;
      const text = project.read(file);
      if (text === undefined) continue;
      // Test fixtures hold throwaway keys on purpose, but they are still published with the code.
      const severity = TEST_PATH.test(file) ? 'low' : undefined;
      const key = PRIVATE_KEY.exec(text);
      if (key) {
        findings.push({
          rule: privateKey,
          location: { file, ...position(text, key.index) },
          seen: key[0],
          ...(severity ? { severity } : {}),
        });
      }
      for (const { kind, pattern } of TOKENS) {
        const global = new RegExp(pattern.source, 'g');
        for (const match of text.matchAll(global)) {
          if (PLACEHOLDER.test(match[0])) continue;
          findings.push({
            rule: token,
            location: { file, ...position(text, match.index ?? 0) },
            seen: `${kind} ${match[0].slice(0, 8)}…`,
            ...(severity ? { severity } : {}),
          });
        }
      }
    }
    return findings;
  },
};
