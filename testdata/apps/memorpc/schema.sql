CREATE TABLE memos (
  id BIGSERIAL PRIMARY KEY,
  owner_id BIGINT NOT NULL,
  body TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX memos_owner_id ON memos (owner_id);

CREATE TABLE tags (
  id BIGSERIAL PRIMARY KEY,
  memo_id BIGINT NOT NULL,
  name TEXT NOT NULL
);
CREATE INDEX tags_memo_id ON tags (memo_id);

CREATE TABLE api_keys (
  id BIGSERIAL PRIMARY KEY,
  key_hash TEXT NOT NULL UNIQUE,
  last_used_at TIMESTAMPTZ
);

CREATE TABLE sessions (
  token TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  seen_at TIMESTAMPTZ
);

CREATE TABLE request_log (
  id BIGSERIAL PRIMARY KEY,
  rpc TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL DEFAULT now()
);
