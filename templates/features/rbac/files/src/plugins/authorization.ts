import { channel } from 'node:diagnostics_channel';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { grants, routePermission } from '../auth/permission.ts';
import { isRole, PERMISSIONS, type Role } from '../auth/permissions.ts';
import { principalOf } from '../auth/principal.ts';
import { HttpError } from '../lib/problem.ts';
import { adminRoutes } from '../routes/admin/users.ts';

const denials = channel('hardened-api:authz.denied');

/** The caller's role, read from the database once per request: a demotion applies at once. */
const roles = new WeakMap<FastifyRequest, Role | null>();

async function roleOf(request: FastifyRequest, userId: string): Promise<Role | null> {
  let role = roles.get(request);
  if (role === undefined) {
    const [row] = await request.server.db.query<{ role: string }>('SELECT role FROM users WHERE id = $1', [userId]);
    role = isRole(row?.role) ? row.role : null;
    roles.set(request, role);
  }
  return role;
}

/**
 * Throws 403 unless the caller's role grants `permission` (and, for an API key, the key's scopes do).
 * The global hook calls it with each route's permission; handlers may call it for finer checks.
 */
export async function requirePermission(request: FastifyRequest, permission: string): Promise<void> {
  const principal = principalOf(request);
  const role = await roleOf(request, principal.userId);
  const allowed =
    role !== null &&
    grants(PERMISSIONS[role], permission) &&
    (principal.scopes === undefined || principal.scopes.includes(permission));
  if (allowed) return;
  denials.publish({ permission });
  request.log.warn({ event: 'authz.denied', permission, userId: principal.userId, role }, 'permission denied');
  throw new HttpError(403, `This needs the permission ${permission}.`);
}

/**
 * Authorization after authentication: every route that is not public needs a permission, declared in
 * `config.permission` or derived from its path and method, that the caller's role grants.
 */
export const authorization = fp(
  async (app) => {
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config.public === true) return;
      const permission = routePermission(request);
      if (permission !== undefined) await requirePermission(request, permission);
    });
    await app.register(adminRoutes, { prefix: '/v1/admin' });
  },
  { name: 'authorization', dependencies: ['authentication'] },
);
