-- isuestate: estates and chairs.
-- /initialize pipes this file into the mysql client, so the catalogue
-- tables are rebuilt from scratch; document_request survives and is
-- emptied by the app instead.

CREATE DATABASE IF NOT EXISTS isuestate;
USE isuestate;

DROP TABLE IF EXISTS isuestate.estate;
DROP TABLE IF EXISTS isuestate.chair;

CREATE TABLE isuestate.estate
(
    id          INTEGER          NOT NULL PRIMARY KEY,
    name        VARCHAR(64)      NOT NULL,
    description VARCHAR(4096)    NOT NULL,
    thumbnail   VARCHAR(128)     NOT NULL,
    address     VARCHAR(128)     NOT NULL,
    latitude    DOUBLE PRECISION NOT NULL,
    longitude   DOUBLE PRECISION NOT NULL,
    rent        INTEGER          NOT NULL,
    door_height INTEGER          NOT NULL,
    door_width  INTEGER          NOT NULL,
    features    VARCHAR(64)      NOT NULL,
    popularity  INTEGER          NOT NULL,
    -- the top page lists the cheapest estates
    KEY idx_estate_rent (rent)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE isuestate.chair
(
    id          INTEGER       NOT NULL PRIMARY KEY,
    name        VARCHAR(64)   NOT NULL,
    description VARCHAR(4096) NOT NULL,
    thumbnail   VARCHAR(128)  NOT NULL,
    price       INTEGER       NOT NULL,
    height      INTEGER       NOT NULL,
    width       INTEGER       NOT NULL,
    depth       INTEGER       NOT NULL,
    color       VARCHAR(64)   NOT NULL,
    features    VARCHAR(64)   NOT NULL,
    kind        VARCHAR(64)   NOT NULL,
    popularity  INTEGER       NOT NULL,
    stock       INTEGER       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE IF NOT EXISTS isuestate.document_request
(
    id         BIGINT       NOT NULL AUTO_INCREMENT,
    estate_id  INTEGER      NOT NULL,
    email      VARCHAR(255) NOT NULL,
    created_at DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    PRIMARY KEY (id),
    INDEX idx_document_request_estate_email (estate_id, email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
