-- Portable SQL (SQLite and PostgreSQL). Timestamps are ISO-8601 UTC strings, which sort correctly.
CREATE TABLE items (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX items_created_at_id ON items (created_at, id);
CREATE INDEX items_name_id ON items (name, id);
CREATE INDEX items_status_created_at_id ON items (status, created_at, id);
