-- chirp: a small social network. MySQL 8.0.
-- The indexes here are what the `// want "unindexed: ..."` annotations in
-- the Go code are judged against: change one and the expectations move.

DROP DATABASE IF EXISTS `chirp`;
CREATE DATABASE `chirp` DEFAULT CHARACTER SET utf8mb4;
USE `chirp`;

DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (
  `id`            BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `name`          VARCHAR(64)  NOT NULL UNIQUE,
  `display_name`  VARCHAR(128) NOT NULL DEFAULT '',        -- no index: searching it is a finding
  `email`         VARCHAR(255) NOT NULL,
  `password_hash` VARBINARY(64) NOT NULL,
  `bio`           TEXT,
  `created_at`    DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),  -- no index
  UNIQUE KEY `uniq_email` (`email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `sessions` (
  `id`         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `token`      CHAR(64) NOT NULL,
  `user_id`    BIGINT NOT NULL,
  `expires_at` DATETIME NOT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY `uniq_token` (`token`),
  KEY `idx_user` (`user_id`)
) ENGINE=InnoDB;

CREATE TABLE `posts` (
  `id`         BIGINT NOT NULL AUTO_INCREMENT,
  `user_id`    BIGINT NOT NULL,
  `body`       VARCHAR(560) NOT NULL,
  `visibility` ENUM('public', 'followers', 'private') NOT NULL DEFAULT 'public',  -- no index
  `like_count` INT NOT NULL DEFAULT 0,
  `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  `updated_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`id`),
  KEY `idx_user_created` (`user_id`, `created_at`),
  KEY `idx_created` (`created_at`)
) ENGINE=InnoDB;

CREATE TABLE `comments` (
  `id`         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `post_id`    BIGINT NOT NULL,
  `user_id`    BIGINT NOT NULL,             -- no index
  `parent_id`  BIGINT NULL,                 -- no index; only read by primary key of the child
  `body`       TEXT NOT NULL,
  `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  INDEX `idx_post_created` (`post_id`, `created_at`)
) ENGINE=InnoDB;

-- likes: the primary key leads with post_id; "likes of a user" cannot use it.
CREATE TABLE `likes` (
  `post_id`    BIGINT NOT NULL,
  `user_id`    BIGINT NOT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`post_id`, `user_id`)
) ENGINE=InnoDB;

CREATE TABLE `follows` (
  `follower_id` BIGINT NOT NULL,
  `followee_id` BIGINT NOT NULL,
  `created_at`  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`follower_id`, `followee_id`)
) ENGINE=InnoDB;

CREATE TABLE `tags` (
  `id`   BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `name` VARCHAR(64) NOT NULL,
  UNIQUE KEY `uniq_name` (`name`)
) ENGINE=InnoDB;

CREATE TABLE `post_tags` (
  `post_id` BIGINT NOT NULL,
  `tag_id`  BIGINT NOT NULL,
  PRIMARY KEY (`post_id`, `tag_id`)
) ENGINE=InnoDB;

CREATE TABLE `notifications` (
  `id`         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `user_id`    BIGINT NOT NULL,
  `kind`       VARCHAR(16) NOT NULL,
  `actor_id`   BIGINT NOT NULL,
  `post_id`    BIGINT NULL,
  `read_at`    DATETIME NULL,
  `created_at` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY `idx_user_created` (`user_id`, `created_at`)
) ENGINE=InnoDB;

CREATE TABLE `images` (
  `id`         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `post_id`    BIGINT NULL,
  `user_id`    BIGINT NOT NULL,             -- no index
  `mime`       VARCHAR(64) NOT NULL,
  `path`       VARCHAR(255) NOT NULL,
  `sha256`     CHAR(64) NOT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY `idx_post` (`post_id`),
  FULLTEXT KEY `ft_path` (`path`)
) ENGINE=InnoDB;

CREATE TABLE `admins` (
  `user_id`    BIGINT NOT NULL PRIMARY KEY,
  `granted_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;

CREATE TABLE `user_stats` (
  `user_id`        BIGINT NOT NULL PRIMARY KEY,
  `post_count`     INT NOT NULL DEFAULT 0,
  `follower_count` INT NOT NULL DEFAULT 0
) ENGINE=InnoDB;

CREATE TABLE `drafts` (
  `id`         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `user_id`    BIGINT NOT NULL,
  `body`       TEXT NOT NULL,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  KEY `idx_user` (`user_id`)
) ENGINE=InnoDB;

CREATE TABLE `audit_logs` (
  `id`         BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `actor_id`   BIGINT NOT NULL,
  `action`     VARCHAR(32) NOT NULL,
  `target_id`  BIGINT NOT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB;

-- Added later, the way ISUCON teams do it.
ALTER TABLE `post_tags` ADD INDEX `idx_tag` (`tag_id`);
CREATE INDEX `idx_followee` ON `follows` (`followee_id`);
