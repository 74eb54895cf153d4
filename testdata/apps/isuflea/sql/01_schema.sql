-- isuflea: a flea market. The indexes are the ones the contest shipped
-- with, which is to say few of them:
--   items has only idx_category_id, so listings by status, by seller,
--   by buyer and the created_at ordering of the timeline all scan;
--   categories.parent_id has none (43 rows, but still a scan);
--   transaction_evidences.item_id is unique (added at the bottom);
--   shippings is keyed by its transaction evidence.
DROP DATABASE IF EXISTS `isuflea`;
CREATE DATABASE `isuflea`;
USE `isuflea`;

DROP TABLE IF EXISTS `configs`;
CREATE TABLE `configs` (
  `name` VARCHAR(191) NOT NULL,
  `val` VARCHAR(255) NOT NULL,
  PRIMARY KEY (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

DROP TABLE IF EXISTS `users`;
CREATE TABLE `users` (
  `id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `account_name` VARCHAR(128) NOT NULL UNIQUE,
  `hashed_password` VARBINARY(191) NOT NULL,
  `address` VARCHAR(191) NOT NULL,
  `num_sell_items` INT UNSIGNED NOT NULL DEFAULT 0,
  `last_bump` DATETIME NOT NULL DEFAULT '2000-01-01 00:00:00',
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

DROP TABLE IF EXISTS `items`;
CREATE TABLE `items` (
  `id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `seller_id` BIGINT NOT NULL,
  `buyer_id` BIGINT NOT NULL DEFAULT 0,
  `status` ENUM('on_sale', 'trading', 'sold_out', 'stop', 'cancel') NOT NULL,
  `name` VARCHAR(191) NOT NULL,
  `price` INT UNSIGNED NOT NULL,
  `description` TEXT NOT NULL,
  `image_name` VARCHAR(191) NOT NULL,
  `category_id` INT UNSIGNED NOT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  INDEX idx_category_id (`category_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

DROP TABLE IF EXISTS `transaction_evidences`;
CREATE TABLE `transaction_evidences` (
  `id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `seller_id` BIGINT NOT NULL,
  `buyer_id` BIGINT NOT NULL,
  `status` ENUM('wait_shipping', 'wait_done', 'done') NOT NULL,
  `item_id` BIGINT NOT NULL,
  `item_name` VARCHAR(191) NOT NULL,
  `item_price` INT UNSIGNED NOT NULL,
  `item_description` TEXT NOT NULL,
  `item_category_id` INT UNSIGNED NOT NULL,
  `item_root_category_id` INT UNSIGNED NOT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- one row per transaction, written when the item is bought
DROP TABLE IF EXISTS `shippings`;
CREATE TABLE `shippings` (
  `transaction_evidence_id` BIGINT NOT NULL,
  `status` ENUM('initial', 'wait_pickup', 'shipping', 'done') NOT NULL,
  `item_name` VARCHAR(191) NOT NULL,
  `item_id` BIGINT NOT NULL,
  `reserve_id` VARCHAR(191) NOT NULL,
  `reserve_time` BIGINT NOT NULL,
  `to_address` VARCHAR(191) NOT NULL,
  `to_name` VARCHAR(191) NOT NULL,
  `from_address` VARCHAR(191) NOT NULL,
  `from_name` VARCHAR(191) NOT NULL,
  `img_binary` MEDIUMBLOB NOT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `updated_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`transaction_evidence_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

DROP TABLE IF EXISTS `categories`;
CREATE TABLE `categories` (
  `id` INT UNSIGNED NOT NULL PRIMARY KEY,
  `parent_id` INT UNSIGNED NOT NULL,
  `category_name` VARCHAR(191) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- an item is bought at most once
ALTER TABLE `transaction_evidences` ADD UNIQUE INDEX `idx_item_id` (`item_id`);
