CREATE INDEX tags_tag ON tags (tag);
