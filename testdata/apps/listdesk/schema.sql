-- listdesk: a newsletter service. PostgreSQL 16.
-- The indexes here are what the `// want "unindexed: ..."` annotations in
-- the Go code are judged against: change one and the expectations move.

CREATE TABLE subscribers (
    id         BIGSERIAL PRIMARY KEY,
    uuid       UUID NOT NULL UNIQUE,
    email      TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'enabled',    -- no index: filtering on it is a finding
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE lists (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL DEFAULT 'private',    -- no index
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE subscriber_lists (
    subscriber_id BIGINT NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    list_id       BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    status        TEXT NOT NULL DEFAULT 'unconfirmed',
    PRIMARY KEY (subscriber_id, list_id)
);
CREATE INDEX idx_sub_lists_list ON subscriber_lists (list_id);

CREATE TABLE campaigns (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    subject    TEXT NOT NULL,
    list_id    BIGINT NOT NULL REFERENCES lists (id),   -- no index
    status     TEXT NOT NULL DEFAULT 'draft',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE campaign_views (
    id          BIGSERIAL PRIMARY KEY,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    subscriber_id BIGINT REFERENCES subscribers (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_views_campaign ON campaign_views (campaign_id);

CREATE TABLE templates (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    body       TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT false      -- no index
);
