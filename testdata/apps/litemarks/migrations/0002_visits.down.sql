DROP TABLE visits;
DROP INDEX bookmarks_user_created;
ALTER TABLE users DROP COLUMN last_seen;
ALTER TABLE bookmarks DROP COLUMN archived_at;
ALTER TABLE bookmarks DROP COLUMN visits;
