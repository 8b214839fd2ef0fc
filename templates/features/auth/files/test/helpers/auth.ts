import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { signAccessToken } from '../../src/auth/jwt.ts';
import { uuidv7 } from '../../src/lib/ids.ts';

type Inject = (options: InjectOptions | string) => Promise<LightMyRequestResponse>;
const unsigned = new WeakMap<FastifyInstance, Inject>();

/** A user created directly in the database, with a session: no request is made, nothing is logged. */
export async function createSignedInUser(app: FastifyInstance, email = `user-${randomUUID()}@example.test`) {
  await app.ready();
  const id = uuidv7();
  const now = new Date().toISOString();
  // Not a password hash: nobody can sign in as this user with a password.
  await app.db.execute(
    'INSERT INTO users (id, email, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)',
    [id, email, '!', now],
  );
  const { sessionId } = await app.sessions.start(id);
  // A fresh access token per call: valid however far a test moves the (mocked) clock.
  const authorization = () => `Bearer ${signAccessToken(app.tokens, { sub: id, sid: sessionId }).token}`;
  return { id, email, authorization, headers: { authorization: authorization() } };
}

/**
 * The API denies by default, so tests written for the resources (items, generated ones) send their
 * requests as a test user: every injected request that brings no credentials of its own gets that
 * user's access token. `injectAnonymously` sends a request as it is.
 */
export function signRequestsAsTestUser(app: FastifyInstance): void {
  const inject: Inject = app.inject.bind(app);
  let user: ReturnType<typeof createSignedInUser> | undefined;
  const signed: Inject = async (request) => {
    const options = typeof request === 'string' ? { url: request } : request;
    const given = options.headers ?? {};
    if ('authorization' in given || 'x-api-key' in given) return inject(options);
    user ??= createSignedInUser(app);
    const { authorization } = await user;
    return inject({ ...options, headers: { authorization: authorization(), ...given } });
  };
  unsigned.set(app, inject);
  app.inject = signed as FastifyInstance['inject'];
}

export function injectAnonymously(
  app: FastifyInstance,
  request: InjectOptions | string,
): Promise<LightMyRequestResponse> {
  return (unsigned.get(app) ?? app.inject.bind(app))(request);
}

/** Registers and signs in through the API of a started server; returns the Authorization header. */
export async function credentialsFor(url: string): Promise<Record<string, string>> {
  const email = `user-${randomUUID()}@example.test`;
  const password = randomBytes(18).toString('base64url');
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const registered = await post('/v1/auth/register', { email, password });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${await registered.text()}`);
  const login = await post('/v1/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  return { authorization: `Bearer ${accessToken}` };
}
