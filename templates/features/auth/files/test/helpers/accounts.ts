import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { injectAnonymously } from './auth.ts';

/** Test settings for auth: the lowest scrypt cost the configuration allows, so that suites stay quick. */
export const FAST_HASHING = { AUTH_PASSWORD_COST: '14' };

export const PASSWORD = 'correct horse battery staple';

export interface Account {
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  headers: { authorization: string };
}

/** Signs up and signs in through the API, as a client would. */
export async function signUp(app: FastifyInstance, email = `user-${randomUUID()}@example.test`): Promise<Account> {
  const credentials = { email, password: PASSWORD };
  const registered = await injectAnonymously(app, { method: 'POST', url: '/v1/auth/register', payload: credentials });
  if (registered.statusCode !== 201) throw new Error(`register: ${registered.statusCode} ${registered.body}`);
  return signIn(app, email);
}

export async function signIn(app: FastifyInstance, email: string, password = PASSWORD): Promise<Account> {
  const response = await injectAnonymously(app, {
    method: 'POST',
    url: '/v1/auth/login',
    payload: { email, password },
  });
  if (response.statusCode !== 200) throw new Error(`login: ${response.statusCode} ${response.body}`);
  const { accessToken, refreshToken } = response.json();
  return { email, password, accessToken, refreshToken, headers: { authorization: `Bearer ${accessToken}` } };
}
