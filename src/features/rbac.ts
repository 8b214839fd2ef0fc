import { registerPlugin } from '../patch/register-plugin.ts';
import { defineFeature } from './define.ts';

export const rbac = defineFeature({
  id: 'rbac',
  title: 'Roles and permissions',
  description:
    'Roles admin/editor/viewer in one permission matrix; every route needs a permission (derived from its path or declared), 403 otherwise; admin user management',
  requires: ['auth'],
  unsupportedForeign: "it needs the auth feature's users and roles, which projects we did not generate do not have.",
  presets: ['standard', 'full'],
  scripts: { 'admin:grant': 'node scripts/grant-admin.ts' },
  patches: [registerPlugin({ name: 'authorization', file: 'src/plugins/authorization.ts' })],
});
