-- Visits, archiving and the last login: columns added to existing tables.
ALTER TABLE bookmarks ADD COLUMN visits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bookmarks ADD COLUMN archived_at TEXT;
ALTER TABLE users ADD COLUMN last_seen TEXT;

CREATE INDEX bookmarks_user_created ON bookmarks (user_id, created_at);

CREATE TABLE visits (
    bookmark_id INTEGER NOT NULL REFERENCES bookmarks (id) ON DELETE CASCADE,
    visited_at  TEXT NOT NULL
);
