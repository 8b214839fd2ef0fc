-- Roles (see src/auth/permissions.ts). New accounts are editors of their own data; admins are made with
-- `npm run admin:grant -- <email>`, never by default.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'editor' CHECK (role IN ('admin', 'editor', 'viewer'));
