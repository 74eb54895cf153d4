CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  email TEXT NOT NULL UNIQUE
);

CREATE TABLE feeds (
  id BIGSERIAL PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL
);

CREATE TABLE entries (
  id BIGSERIAL PRIMARY KEY,
  feed_id BIGINT NOT NULL REFERENCES feeds (id),
  title TEXT NOT NULL,
  published_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX entries_feed_id ON entries (feed_id, published_at);

CREATE TABLE subscriptions (
  user_id BIGINT NOT NULL REFERENCES users (id),
  feed_id BIGINT NOT NULL REFERENCES feeds (id),
  PRIMARY KEY (user_id, feed_id)
);

CREATE TABLE api_keys (
  id BIGSERIAL PRIMARY KEY,
  key_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  last_used_at TIMESTAMPTZ
);

CREATE TABLE hook_events (
  id BIGSERIAL PRIMARY KEY,
  source TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX subscriptions_feed_id ON subscriptions (feed_id);
