CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  is_admin BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE sessions (
  token TEXT PRIMARY KEY,
  user_id BIGINT REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE projects (
  id BIGSERIAL PRIMARY KEY,
  owner_id BIGINT NOT NULL REFERENCES users (id),
  name TEXT NOT NULL
);
CREATE INDEX projects_owner_id ON projects (owner_id);

CREATE TABLE project_members (
  project_id BIGINT NOT NULL REFERENCES projects (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  PRIMARY KEY (project_id, user_id)
);

CREATE TABLE tasks (
  id BIGSERIAL PRIMARY KEY,
  project_id BIGINT NOT NULL REFERENCES projects (id),
  title TEXT NOT NULL,
  done BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX tasks_project_id ON tasks (project_id);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  path TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE request_counts (
  path TEXT PRIMARY KEY,
  n BIGINT NOT NULL DEFAULT 0
);
