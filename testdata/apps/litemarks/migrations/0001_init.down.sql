DROP TABLE tags;
DROP TABLE bookmarks;
DROP TABLE users;
