import type { FastifyRequest } from 'fastify';

/**
 * The permission a route needs: its `config.permission`, else `<resource>:read` for GET/HEAD and
 * `<resource>:write` for other methods, the resource being the first path segment after the version
 * (`/v1/items/:id` -> `items`). New resources are therefore covered without listing them anywhere.
 * Undefined for requests that matched no route (they end as 404).
 */
export function routePermission(request: FastifyRequest): string | undefined {
  const { url, config } = request.routeOptions;
  if (config.permission) return config.permission;
  if (!url) return undefined;
  const resource = url.split('/').find((segment) => segment !== '' && !/^v\d+$/.test(segment));
  if (!resource) return undefined;
  return `${resource}:${request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write'}`;
}
