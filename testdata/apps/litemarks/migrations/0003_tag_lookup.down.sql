DROP INDEX tags_tag;
