CREATE TABLE links (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL,
  title TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE tags (
  link_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (link_id, name)
);

CREATE TABLE clicks (
  link_id INTEGER NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX clicks_link_id ON clicks (link_id);
CREATE INDEX clicks_at ON clicks (at);
