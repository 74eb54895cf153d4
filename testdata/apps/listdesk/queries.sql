-- Named queries, loaded at start-up into the Queries struct by the
-- `query` tags of its fields (knadh/goyesql).

-- name: get-subscriber
SELECT * FROM subscribers WHERE id = $1;

-- name: get-subscriber-by-email
SELECT * FROM subscribers WHERE email = $1;

-- name: query-subscribers-by-status
-- The status column has no index.
SELECT id, email, name FROM subscribers WHERE status = $1 ORDER BY id LIMIT 50;

-- name: insert-subscriber
INSERT INTO subscribers (uuid, email, name) VALUES ($1, $2, $3) RETURNING id;

-- name: get-subscriber-lists
SELECT l.* FROM lists l JOIN subscriber_lists sl ON sl.list_id = l.id WHERE sl.subscriber_id = $1;

-- name: add-subscriber-to-list
INSERT INTO subscriber_lists (subscriber_id, list_id) VALUES ($1, $2) ON CONFLICT DO NOTHING;

-- name: delete-subscriber
DELETE FROM subscribers WHERE id = $1;

-- name: unused-query
UPDATE subscribers SET name = $2 WHERE id = $1;
