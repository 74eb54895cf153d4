-- pgshop: an online shop. PostgreSQL 16.
--
-- This is the migration the service is deployed with (pg_dump-style DDL,
-- as sqlc reads it). The indexes here are what the `// want "unindexed: ..."`
-- annotations in the Go code are judged against: change one and the
-- expectations move. Remember that in Postgres a REFERENCES clause creates
-- no index on the referencing column.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TYPE user_role AS ENUM ('customer', 'staff', 'admin');

CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled');

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    password_hash BYTEA NOT NULL,
    name          TEXT NOT NULL,
    role          user_role NOT NULL DEFAULT 'customer',
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Sessions are found by token; user_id has no index (REFERENCES makes none).
CREATE TABLE sessions (
    token      UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_agent TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE categories (
    id        BIGSERIAL PRIMARY KEY,
    parent_id BIGINT REFERENCES categories (id),
    slug      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL
);

CREATE TABLE products (
    id          BIGSERIAL PRIMARY KEY,
    category_id BIGINT NOT NULL REFERENCES categories (id),
    sku         TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    price_cents BIGINT NOT NULL CHECK (price_cents >= 0),
    stock       INTEGER NOT NULL DEFAULT 0,
    attributes  JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    deleted_at  TIMESTAMPTZ
);

CREATE UNIQUE INDEX products_sku_key ON products USING btree (sku);

-- The storefront only ever lists live products, so the category index is
-- partial: it serves a query only when the query says deleted_at IS NULL.
CREATE INDEX products_category_id_created_at_idx ON products USING btree (category_id, created_at DESC)
    WHERE deleted_at IS NULL;

CREATE TABLE reviews (
    id         BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    rating     SMALLINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body       TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX reviews_product_id_created_at_idx ON reviews USING btree (product_id, created_at);

-- The primary key leads with user_id: "the carts holding a product" cannot use it.
CREATE TABLE cart_items (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES products (id),
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    added_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, product_id)
);

CREATE TABLE coupons (
    code        TEXT PRIMARY KEY,
    percent_off INTEGER NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
    max_uses    INTEGER,
    used_count  INTEGER NOT NULL DEFAULT 0,
    expires_at  TIMESTAMPTZ
);

CREATE TABLE orders (
    id          BIGSERIAL PRIMARY KEY,
    public_id   UUID NOT NULL DEFAULT gen_random_uuid(),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    status      order_status NOT NULL DEFAULT 'pending',
    coupon_code TEXT REFERENCES coupons (code),
    total_cents BIGINT NOT NULL,
    shipping    JSONB NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT orders_public_id_key UNIQUE (public_id)
);

-- "My orders, newest first". Nothing leads with status or created_at.
CREATE INDEX orders_user_id_created_at_idx ON orders USING btree (user_id, created_at DESC);

-- The primary key leads with order_id; product_id has no index of its own.
CREATE TABLE order_items (
    order_id         BIGINT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id       BIGINT NOT NULL REFERENCES products (id),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents BIGINT NOT NULL,
    PRIMARY KEY (order_id, product_id)
);

-- The stock ledger the inventory package's Ledger implementation writes.
-- It is not wired into the service yet: no route touches this table.
CREATE TABLE stock_movements (
    id         BIGSERIAL PRIMARY KEY,
    product_id BIGINT NOT NULL REFERENCES products (id),
    order_id   BIGINT REFERENCES orders (id),
    delta      INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX stock_movements_product_id_idx ON stock_movements USING btree (product_id);
