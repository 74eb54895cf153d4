-- isuride: schema for MySQL 8.0
-- Secondary indexes that were added during the contest live in sql/indexes.sql.

USE isuride;

DROP TABLE IF EXISTS settings;
CREATE TABLE settings
(
  name  VARCHAR(30) NOT NULL COMMENT '設定名',
  value TEXT        NOT NULL COMMENT '設定値',
  PRIMARY KEY (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT = 'システム設定テーブル';

DROP TABLE IF EXISTS chair_models;
CREATE TABLE chair_models
(
  name  VARCHAR(50) NOT NULL PRIMARY KEY COMMENT '椅子モデル名',
  speed INTEGER     NOT NULL COMMENT '移動速度',
  KEY idx_chair_models_speed (speed)
) COMMENT = '椅子モデルテーブル';

DROP TABLE IF EXISTS owners;
CREATE TABLE owners
(
  id                   VARCHAR(26)  NOT NULL PRIMARY KEY,
  name                 VARCHAR(30)  NOT NULL UNIQUE,
  access_token         VARCHAR(255) NOT NULL UNIQUE,
  chair_register_token VARCHAR(255) NOT NULL UNIQUE,
  created_at           DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at           DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
) COMMENT = '椅子のオーナー情報テーブル';

-- owner_id and access_token are indexed in sql/indexes.sql; is_active is not.
DROP TABLE IF EXISTS chairs;
CREATE TABLE chairs
(
  id           VARCHAR(26)  NOT NULL PRIMARY KEY,
  owner_id     VARCHAR(26)  NOT NULL,
  name         VARCHAR(30)  NOT NULL,
  model        VARCHAR(50)  NOT NULL,
  is_active    TINYINT(1)   NOT NULL,
  access_token VARCHAR(255) NOT NULL,
  created_at   DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at   DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
) COMMENT = '椅子情報テーブル';

-- Deliberately no index on chair_id: every "latest location of a chair" query scans.
DROP TABLE IF EXISTS chair_locations;
CREATE TABLE chair_locations
(
  id         VARCHAR(26) NOT NULL PRIMARY KEY,
  chair_id   VARCHAR(26) NOT NULL,
  latitude   INTEGER     NOT NULL,
  longitude  INTEGER     NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) COMMENT = '椅子の現在位置情報テーブル';

DROP TABLE IF EXISTS chair_total_distances;
CREATE TABLE chair_total_distances
(
  chair_id                  VARCHAR(26) NOT NULL,
  total_distance            INTEGER     NOT NULL,
  total_distance_updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (chair_id)
) COMMENT = '椅子の総移動距離';

-- created_at is not indexed on its own (nor is invited_by).
DROP TABLE IF EXISTS users;
CREATE TABLE users
(
  id              VARCHAR(26)  NOT NULL PRIMARY KEY,
  username        VARCHAR(30)  NOT NULL UNIQUE,
  firstname       VARCHAR(30)  NOT NULL,
  lastname        VARCHAR(30)  NOT NULL,
  date_of_birth   VARCHAR(30)  NOT NULL,
  access_token    VARCHAR(255) NOT NULL UNIQUE,
  invitation_code VARCHAR(30)  NOT NULL UNIQUE,
  invited_by      VARCHAR(26)  NULL,
  created_at      DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at      DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
) COMMENT = '利用者情報テーブル';

DROP TABLE IF EXISTS payment_tokens;
CREATE TABLE payment_tokens
(
  user_id    VARCHAR(26)  NOT NULL PRIMARY KEY,
  token      VARCHAR(255) NOT NULL,
  created_at DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) COMMENT = '決済トークンテーブル';

-- user_id and chair_id are indexed in sql/indexes.sql; created_at alone is not.
DROP TABLE IF EXISTS rides;
CREATE TABLE rides
(
  id                    VARCHAR(26) NOT NULL PRIMARY KEY,
  user_id               VARCHAR(26) NOT NULL,
  chair_id              VARCHAR(26) NULL,
  pickup_latitude       INTEGER     NOT NULL,
  pickup_longitude      INTEGER     NOT NULL,
  destination_latitude  INTEGER     NOT NULL,
  destination_longitude INTEGER     NOT NULL,
  evaluation            INTEGER     NULL,
  created_at            DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at            DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
) COMMENT = 'ライド情報テーブル';

-- status is not indexed: filtering on it alone scans the table.
DROP TABLE IF EXISTS ride_statuses;
CREATE TABLE ride_statuses
(
  id            VARCHAR(26)                                                                NOT NULL,
  ride_id       VARCHAR(26)                                                                NOT NULL,
  status        ENUM ('MATCHING', 'ENROUTE', 'PICKUP', 'CARRYING', 'ARRIVED', 'COMPLETED') NOT NULL,
  created_at    DATETIME(6)                                                                NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  app_sent_at   DATETIME(6)                                                                NULL,
  chair_sent_at DATETIME(6)                                                                NULL,
  PRIMARY KEY (id),
  KEY idx_ride_statuses_ride_id_created_at (ride_id, created_at)
) COMMENT = 'ライドステータスの変更履歴テーブル';

-- PRIMARY KEY (user_id, code): "code = ?" alone cannot use it (leftmost prefix); used_by is not indexed.
DROP TABLE IF EXISTS coupons;
CREATE TABLE coupons
(
  user_id    VARCHAR(26)  NOT NULL,
  code       VARCHAR(255) NOT NULL,
  discount   INTEGER      NOT NULL,
  created_at DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  used_by    VARCHAR(26)  NULL,
  PRIMARY KEY (user_id, code)
) COMMENT = 'クーポンテーブル';

DROP TABLE IF EXISTS notifications;
CREATE TABLE notifications
(
  id         BIGINT       NOT NULL AUTO_INCREMENT,
  user_id    VARCHAR(26)  NOT NULL,
  kind       VARCHAR(32)  NOT NULL,
  body       TEXT         NOT NULL,
  read_at    DATETIME(6)  NULL,
  created_at DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  KEY idx_notifications_kind (kind(16)),
  FULLTEXT KEY ft_notifications_body (body)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COMMENT = 'お知らせテーブル';

DROP TABLE IF EXISTS owner_daily_sales;
CREATE TABLE owner_daily_sales
(
  owner_id   VARCHAR(26) NOT NULL,
  sales_date DATE        NOT NULL,
  sales      BIGINT      NOT NULL,
  ride_count INTEGER     NOT NULL,
  PRIMARY KEY (owner_id, sales_date)
) COMMENT = 'オーナー別日次売上の集計';
