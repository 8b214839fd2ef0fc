/**
 * The permission matrix: what each role may do. Routes name the permission they need
 * (`config: { permission }`) or get `<resource>:read|write` from their path (see permission.ts);
 * `*:read` grants reading every resource, including ones generated later.
 */
export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS: Readonly<Record<Role, readonly string[]>> = {
  admin: ['*:read', '*:write', 'users:admin', 'account'],
  editor: ['*:read', '*:write', 'account'],
  viewer: ['*:read', 'account'],
};

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

/** `items:read` is granted by `items:read` and by the wildcard `*:read`. */
export function grants(granted: readonly string[], permission: string): boolean {
  const action = permission.slice(permission.indexOf(':') + 1);
  return granted.includes(permission) || granted.includes(`*:${action}`);
}
