-- jobsvc: a catalog with background jobs (SQLite).
CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  parent_id INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  product_count INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  category_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  price INTEGER NOT NULL
);
CREATE INDEX idx_products_category_id ON products (category_id);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE job_items (
  job_id INTEGER NOT NULL,
  product_id INTEGER NOT NULL,
  PRIMARY KEY (job_id, product_id)
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX idx_sessions_user_id ON sessions (user_id);
CREATE INDEX idx_sessions_expires_at ON sessions (expires_at);
CREATE INDEX idx_jobs_created_at ON jobs (created_at);

CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE schema_migrations (
  version INTEGER PRIMARY KEY
);

CREATE TABLE stats (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
