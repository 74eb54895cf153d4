-- isupost: an image-posting SNS (crudmap sample app).
-- Only the primary keys, users.account_name and one composite key on
-- comments exist: posts.user_id, posts.created_at and comments.post_id are
-- deliberately left without an index, as in a fresh contest app.

DROP TABLE IF EXISTS likes;
DROP TABLE IF EXISTS sessions;
DROP TABLE IF EXISTS comments;
DROP TABLE IF EXISTS posts;
DROP TABLE IF EXISTS users;

CREATE TABLE users (
  `id` int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `account_name` varchar(64) NOT NULL UNIQUE,
  `passhash` varchar(128) NOT NULL, -- SHA-512 hex of password + salt
  `authority` tinyint(1) NOT NULL DEFAULT 0,
  `del_flg` tinyint(1) NOT NULL DEFAULT 0,
  `created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE posts (
  `id` int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `user_id` int NOT NULL,
  `mime` varchar(64) NOT NULL,
  `imgdata` mediumblob NOT NULL,
  `body` text NOT NULL,
  `created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE comments (
  `id` int NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `post_id` int NOT NULL,
  `user_id` int NOT NULL,
  `comment` text NOT NULL,
  `created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY `idx_user_created` (`user_id`, `created_at`)
) DEFAULT CHARSET=utf8mb4;

-- The primary key is led by post_id: it serves "likes of a post", not
-- "likes by a user".
CREATE TABLE likes (
  `post_id` int NOT NULL,
  `user_id` int NOT NULL,
  `created_at` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`post_id`, `user_id`)
) DEFAULT CHARSET=utf8mb4;

CREATE TABLE sessions (
  `id` varchar(64) NOT NULL PRIMARY KEY,
  `user_id` int NOT NULL,
  `csrf_token` varchar(64) NOT NULL,
  `expires_at` datetime NOT NULL
) DEFAULT CHARSET=utf8mb4;
