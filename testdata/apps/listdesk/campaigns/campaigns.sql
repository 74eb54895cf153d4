-- Campaign queries, read with dotsql.

-- name: create-campaign
INSERT INTO campaigns (name, subject, list_id) VALUES ($1, $2, $3) RETURNING id;

-- name: get-campaign
SELECT * FROM campaigns WHERE id = $1;

-- name: campaigns-for-list
SELECT id, name, subject FROM campaigns WHERE list_id = $1;

-- name: record-view
INSERT INTO campaign_views (campaign_id, subscriber_id) VALUES ($1, $2);

-- name: count-views
SELECT COUNT(*) FROM campaign_views WHERE campaign_id = $1;
