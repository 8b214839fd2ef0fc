import type { FastifyRequest } from 'fastify';
import { HttpError } from '../lib/problem.ts';

/** Who is calling. `scopes` is undefined for a user's own session (everything the user may do). */
export interface Principal {
  userId: string;
  method: 'session' | 'api-key';
  /** The session, and the access token's id and expiry (for logout). */
  session?: { id: string; jti: string; exp: number };
  scopes?: readonly string[];
}

/** The caller of a route that is not public (the authentication hook has set it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpError(401, 'Valid credentials are required.');
  return request.principal;
}

/** The caller's session: account actions (logout, password) need one, an API key is not enough. */
export function sessionOf(request: FastifyRequest): NonNullable<Principal['session']> {
  const { session } = principalOf(request);
  if (!session) throw new HttpError(403, 'This needs a signed-in session, not an API key.');
  return session;
}
