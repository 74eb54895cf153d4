-- ginlegacy: a marketplace that grew three HTTP stacks (gin for the shop
-- front, gorilla/mux for the seller API, echo v3 for reviews). MySQL.

CREATE TABLE users (
  id         BIGINT AUTO_INCREMENT PRIMARY KEY,
  name       VARCHAR(64) NOT NULL UNIQUE,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE sessions (
  id         BIGINT AUTO_INCREMENT PRIMARY KEY,
  token      CHAR(40) NOT NULL,
  user_id    BIGINT NOT NULL,
  expires_at DATETIME NOT NULL,
  UNIQUE KEY uniq_token (token)
);

CREATE TABLE shops (
  id      BIGINT AUTO_INCREMENT PRIMARY KEY,
  name    VARCHAR(128) NOT NULL,
  api_key CHAR(32) NOT NULL,
  city    VARCHAR(64) NOT NULL,          -- no index
  UNIQUE KEY uniq_api_key (api_key),
  KEY idx_name (name(16))
);

CREATE TABLE items (
  id      BIGINT AUTO_INCREMENT PRIMARY KEY,
  shop_id BIGINT NOT NULL,
  name    VARCHAR(255) NOT NULL,
  price   INT NOT NULL,
  stock   INT NOT NULL DEFAULT 0,
  KEY idx_shop (shop_id)
);

CREATE TABLE orders (
  id         BIGINT AUTO_INCREMENT PRIMARY KEY,
  user_id    BIGINT NOT NULL,
  status     VARCHAR(16) NOT NULL DEFAULT 'new',   -- no index
  total      INT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_user_created (user_id, created_at)
);

CREATE TABLE order_items (
  order_id BIGINT NOT NULL,
  item_id  BIGINT NOT NULL,
  qty      INT NOT NULL,
  price    INT NOT NULL,
  PRIMARY KEY (order_id, item_id)
);

-- reviews: only user_id is indexed; by item and by rating are not.
CREATE TABLE reviews (
  id         BIGINT AUTO_INCREMENT PRIMARY KEY,
  item_id    BIGINT NOT NULL,
  user_id    BIGINT NOT NULL,
  rating     TINYINT NOT NULL,
  body       TEXT NOT NULL,
  created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_user (user_id)
);
