-- stdmux: a small classifieds board on SQLite.
-- SQLite DDL on purpose: AUTOINCREMENT, WITHOUT ROWID, CREATE INDEX IF NOT EXISTS.

PRAGMA foreign_keys = ON;

CREATE TABLE IF NOT EXISTS users (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT NOT NULL UNIQUE,
  email      TEXT NOT NULL,
  created_at INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))
);

CREATE TABLE IF NOT EXISTS sessions (
  token      TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  expires_at INTEGER NOT NULL          -- no index
);

CREATE TABLE IF NOT EXISTS categories (
  id        INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES categories(id),
  name      TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS items (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  owner_id    INTEGER NOT NULL REFERENCES users(id),
  category_id INTEGER NOT NULL,        -- no index
  title       TEXT NOT NULL,
  price       INTEGER NOT NULL,        -- no index
  created_at  INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))
);
CREATE INDEX IF NOT EXISTS idx_items_owner ON items (owner_id, created_at);

CREATE TABLE IF NOT EXISTS item_views (
  id        INTEGER PRIMARY KEY,
  item_id   INTEGER NOT NULL,
  viewed_at INTEGER NOT NULL           -- no index
);
CREATE INDEX IF NOT EXISTS idx_item_views_item ON item_views (item_id);

CREATE TABLE IF NOT EXISTS settings (
  user_id INTEGER NOT NULL,
  name    TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (user_id, name)
) WITHOUT ROWID;
