import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Role as RoleName } from '../../auth/permissions.ts';
import { principalOf } from '../../auth/principal.ts';
import { HttpError, notFound } from '../../lib/problem.ts';
import { ProblemSchema, problemResponses } from '../../schemas/problem.ts';

const Id = Type.String({ format: 'uuid', maxLength: 36 });
const Role = Type.Union([Type.Literal('admin'), Type.Literal('editor'), Type.Literal('viewer')]);
const AdminUser = Type.Object({
  id: Id,
  email: Type.String({ maxLength: 254 }),
  role: Role,
  createdAt: Type.String({ format: 'date-time', maxLength: 30 }),
});
const errors = { ...problemResponses, 401: ProblemSchema, 403: ProblemSchema } as const;

interface UserRow {
  id: string;
  email: string;
  role: RoleName;
  created_at: string;
}
const toUser = (row: UserRow) => ({ id: row.id, email: row.email, role: row.role, createdAt: row.created_at });

/** User management for admins (`users:admin`): list accounts and change roles. */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = { permission: 'users:admin' };

  app.get(
    '/users',
    {
      config,
      schema: {
        tags: ['admin'],
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
            after: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            data: Type.Array(AdminUser, { maxItems: 100 }),
            nextAfter: Type.Union([Id, Type.Null()]),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { limit, after } = request.query;
      // Ids are UUIDv7 (time-ordered): keyset pagination on the id alone.
      const rows = await app.db.query<UserRow>(
        'SELECT id, email, role, created_at FROM users WHERE id > $1 ORDER BY id LIMIT $2',
        [after ?? '', limit + 1],
      );
      const page = rows.slice(0, limit);
      return { data: page.map(toUser), nextAfter: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },
  );

  app.patch(
    '/users/:id',
    {
      config,
      schema: {
        tags: ['admin'],
        params: Type.Object({ id: Id }, { additionalProperties: false }),
        body: Type.Object({ role: Role }, { additionalProperties: false }),
        response: { 200: AdminUser, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      // An admin demoting themselves could leave nobody able to manage users.
      if (id === principalOf(request).userId) throw new HttpError(403, 'You cannot change your own role.');
      await app.db.execute('UPDATE users SET role = $1, updated_at = $2 WHERE id = $3', [
        request.body.role,
        new Date().toISOString(),
        id,
      ]);
      const [row] = await app.db.query<UserRow>('SELECT id, email, role, created_at FROM users WHERE id = $1', [id]);
      if (!row) throw notFound();
      request.log.warn(
        { event: 'authz.role.changed', userId: id, role: row.role, by: principalOf(request).userId },
        'role changed',
      );
      return toUser(row);
    },
  );
};
