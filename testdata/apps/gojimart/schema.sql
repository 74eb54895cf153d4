CREATE TABLE users (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  account_name VARCHAR(128) NOT NULL UNIQUE,
  num_sell_items INT NOT NULL DEFAULT 0
);
CREATE TABLE items (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  seller_id BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  category_id INT NOT NULL,
  created_at DATETIME NOT NULL,
  KEY idx_items_seller_id (seller_id)
);
CREATE TABLE categories (
  id INT PRIMARY KEY,
  parent_id INT NOT NULL,
  name VARCHAR(64) NOT NULL
);
CREATE TABLE transaction_evidences (
  id BIGINT PRIMARY KEY AUTO_INCREMENT,
  item_id BIGINT NOT NULL UNIQUE,
  status VARCHAR(16) NOT NULL
);
