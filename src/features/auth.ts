import { addConfigProperty } from '../patch/config-property.ts';
import { registerPlugin } from '../patch/register-plugin.ts';
import { forChoice } from '../patch/types.ts';
import { defineFeature } from './define.ts';

export const auth = defineFeature({
  id: 'auth',
  title: 'Authentication',
  description:
    'Deny by default: users with scrypt passwords, EdDSA access tokens (RFC 8725) with rotating refresh tokens and revocation, optional API keys; items become owner-scoped',
  unsupportedForeign:
    "it brings its own users, tokens and a deny-by-default hook on our database layer, which would fight the project's own authentication. Keep yours; the hardening checklist (rows 3-7) lists what its token verification must pin.",
  presets: ['standard', 'full'],
  option: {
    flag: 'auth',
    message: 'How clients authenticate',
    choices: [
      {
        value: 'jwt',
        description: 'email + password sign-in; short EdDSA access tokens, rotating refresh tokens, logout revokes',
      },
      {
        value: 'api-key',
        description: 'API keys a signed-in user creates: 256-bit, shown once, stored as a digest, scoped, revocable',
        requires: ['jwt'],
      },
      {
        value: 'oauth2',
        description:
          "also accept an identity provider's access tokens (RS256/ES256), verified against its JWKS; issuer and audience pinned, scopes per route",
        requires: ['jwt'],
      },
      {
        value: 'mfa',
        description: 'TOTP second factor (RFC 6238): enrolment, drift window, replay protection, hashed recovery codes, sign-in challenge',
        requires: ['jwt'],
      },
    ],
    defaults: ['jwt', 'api-key'],
    required: true,
  },
  scripts: { 'auth:keygen': 'node scripts/auth-keygen.ts' },
  env: [
    {
      name: 'AUTH_JWT_PRIVATE_KEY',
      example: '',
      description:
        'The Ed25519 key that signs access tokens (`npm run auth:keygen`); required in production. Unset elsewhere: a new key at every start',
    },
    {
      name: 'AUTH_JWT_PREVIOUS_KEYS',
      example: '',
      description:
        'Public keys of earlier signing keys still accepted during a rotation (comma-separated, as printed by `npm run auth:keygen`)',
    },
    { name: 'AUTH_JWT_ISSUER', example: 'urn:hardened-api', description: 'The `iss` of access tokens, checked on every request' },
    {
      name: 'AUTH_JWT_AUDIENCE',
      example: 'urn:hardened-api:api',
      description: 'The `aud` of access tokens, checked on every request',
    },
    { name: 'AUTH_ACCESS_TOKEN_TTL_S', example: '900', description: 'Access token lifetime in seconds (60-3600)' },
    { name: 'AUTH_REFRESH_TOKEN_TTL_S', example: '1209600', description: 'Refresh token lifetime in seconds' },
    {
      name: 'AUTH_PASSWORD_COST',
      example: '17',
      description: 'scrypt cost as log2(N) (OWASP: 17, with r=8, p=1); raising it rehashes each password at its next sign-in',
    },
    { name: 'AUTH_PASSWORD_MIN_LENGTH', example: '12', description: 'Shortest accepted password' },
    {
      name: 'AUTH_LOGIN_MAX_FAILURES',
      example: '5',
      description: 'Failed sign-ins per account within AUTH_LOGIN_WINDOW_S before it answers 429',
    },
    {
      name: 'AUTH_LOGIN_MAX_FAILURES_PER_IP',
      example: '50',
      description: 'Failed sign-ins per client address within AUTH_LOGIN_WINDOW_S before it answers 429',
    },
    { name: 'AUTH_LOGIN_WINDOW_S', example: '900', description: 'The window of the sign-in throttle, in seconds' },
    {
      name: 'AUTH_OAUTH2_ISSUER',
      example: 'https://idp.example/',
      description: "The identity provider's issuer (`iss`), exactly; required in production",
      choice: 'oauth2',
    },
    {
      name: 'AUTH_OAUTH2_AUDIENCE',
      example: 'https://api.example/',
      description: 'The audience (`aud`) its tokens must name for this API; required in production',
      choice: 'oauth2',
    },
    {
      name: 'AUTH_OAUTH2_JWKS_URL',
      example: 'https://idp.example/.well-known/jwks.json',
      description: "The provider's key set (https; plain http only to 127.0.0.1:<port>, for tests); required in production",
      choice: 'oauth2',
    },
  ],
  patches: [
    registerPlugin({ name: 'authentication', file: 'src/plugins/authentication.ts' }),
    addConfigProperty('AUTH_JWT_PRIVATE_KEY', "Type.String({ default: '', secret: true, productionMinLength: 64, maxLength: 64 })"),
    addConfigProperty('AUTH_JWT_PREVIOUS_KEYS', "Type.String({ default: '', maxLength: 4096, pattern: '^[A-Za-z0-9+/=, ]*$' })"),
    addConfigProperty('AUTH_JWT_ISSUER', "Type.String({ default: 'urn:hardened-api', minLength: 1, maxLength: 200 })"),
    addConfigProperty('AUTH_JWT_AUDIENCE', "Type.String({ default: 'urn:hardened-api:api', minLength: 1, maxLength: 200 })"),
    addConfigProperty('AUTH_ACCESS_TOKEN_TTL_S', 'Type.Integer({ default: 900, minimum: 60, maximum: 3600 })'),
    addConfigProperty('AUTH_REFRESH_TOKEN_TTL_S', 'Type.Integer({ default: 1_209_600, minimum: 300, maximum: 7_776_000 })'),
    addConfigProperty('AUTH_PASSWORD_COST', 'Type.Integer({ default: 17, minimum: 14, maximum: 20 })'),
    addConfigProperty('AUTH_PASSWORD_MIN_LENGTH', 'Type.Integer({ default: 12, minimum: 8, maximum: 64 })'),
    addConfigProperty('AUTH_LOGIN_MAX_FAILURES', 'Type.Integer({ default: 5, minimum: 1, maximum: 100 })'),
    addConfigProperty('AUTH_LOGIN_MAX_FAILURES_PER_IP', 'Type.Integer({ default: 50, minimum: 1, maximum: 10_000 })'),
    addConfigProperty('AUTH_LOGIN_WINDOW_S', 'Type.Integer({ default: 900, minimum: 10, maximum: 86_400 })'),
    forChoice('oauth2', addConfigProperty('AUTH_OAUTH2_ISSUER', "Type.String({ default: '', maxLength: 500, productionMinLength: 1 })")),
    forChoice('oauth2', addConfigProperty('AUTH_OAUTH2_AUDIENCE', "Type.String({ default: '', maxLength: 500, productionMinLength: 1 })")),
    forChoice(
      'oauth2',
      addConfigProperty(
        'AUTH_OAUTH2_JWKS_URL',
        "Type.String({ default: '', productionMinLength: 9, pattern: '^(https:|http://127.0.0.1:|$)' })",
      ),
    ),
  ],
});
