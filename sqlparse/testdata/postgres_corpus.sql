-- A Postgres feed reader, job queue and billing service: one statement
-- per paragraph, as its Go code sends them. TestPostgresCorpus parses
-- each and requires every one understood.

SELECT id, url, title, etag, last_modified, next_fetch_at
FROM public.feeds
WHERE next_fetch_at <= now() AND NOT disabled
ORDER BY next_fetch_at
LIMIT $1
FOR UPDATE SKIP LOCKED

UPDATE feeds SET etag = $2, last_modified = $3::timestamptz, next_fetch_at = now() + $4 * INTERVAL '1 minute', error_count = 0
WHERE id = $1::uuid

UPDATE feeds SET error_count = error_count + 1, last_error = left($2, 500), next_fetch_at = now() + (INTERVAL '5 minutes' * power(2, least(error_count, 8)))
WHERE id = $1
RETURNING error_count

INSERT INTO entries (feed_id, guid, title, url, content, published_at)
VALUES ($1, $2, $3, $4, $5, COALESCE($6::timestamptz, now()))
ON CONFLICT (feed_id, guid) DO UPDATE
SET title = EXCLUDED.title, content = EXCLUDED.content
WHERE entries.content IS DISTINCT FROM EXCLUDED.content
RETURNING id, (xmax = 0) AS inserted

INSERT INTO entries (feed_id, guid, title) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING

INSERT INTO feed_tags (feed_id, tag) SELECT $1, unnest($2::text[]) ON CONFLICT ON CONSTRAINT feed_tags_pkey DO NOTHING

SELECT e.id, e.title, e.url, e.published_at, f.title AS feed_title
FROM entries e
JOIN feeds f ON f.id = e.feed_id
JOIN subscriptions s ON s.feed_id = f.id AND s.user_id = $1
WHERE e.published_at > now() - INTERVAL '30 days'
  AND NOT EXISTS (SELECT 1 FROM reads r WHERE r.entry_id = e.id AND r.user_id = $1)
ORDER BY e.published_at DESC NULLS LAST
LIMIT $2 OFFSET $3

SELECT * FROM entries WHERE feed_id = ANY($1::uuid[]) AND published_at >= $2 ORDER BY published_at DESC LIMIT ALL

SELECT id FROM entries WHERE id <> ALL($1) AND feed_id = $2

SELECT id, title FROM entries WHERE title ILIKE '%' || $1 || '%' AND feed_id = $2

SELECT id, title FROM entries WHERE search_vector @@ plainto_tsquery('english', $1) ORDER BY ts_rank(search_vector, plainto_tsquery('english', $1)) DESC LIMIT 20

SELECT DISTINCT ON (feed_id) feed_id, id, title, published_at
FROM entries
WHERE feed_id = ANY($1)
ORDER BY feed_id, published_at DESC

SELECT date_trunc('day', published_at AT TIME ZONE $2)::date AS day, count(*)
FROM entries
WHERE feed_id = $1
GROUP BY 1
ORDER BY 1

SELECT d::date AS day, count(e.id) AS n
FROM generate_series(date_trunc('day', now()) - INTERVAL '6 days', date_trunc('day', now()), INTERVAL '1 day') AS d
LEFT JOIN entries e ON e.published_at::date = d::date AND e.feed_id = $1
GROUP BY d
ORDER BY d

WITH deleted AS (
    DELETE FROM entries
    WHERE feed_id = $1 AND published_at < now() - INTERVAL '90 days'
    RETURNING id
)
INSERT INTO tombstones (entry_id, deleted_at)
SELECT id, now() FROM deleted

WITH updated AS (
    UPDATE entries SET starred = NOT starred WHERE id = $1 AND feed_id IN (SELECT feed_id FROM subscriptions WHERE user_id = $2)
    RETURNING id, starred
)
SELECT starred FROM updated

WITH RECURSIVE d_cats AS (
    SELECT id, parent_id, name, 1 AS depth FROM categories WHERE id = $1
    UNION ALL
    SELECT c.id, c.parent_id, c.name, d.depth + 1 FROM categories c JOIN d_cats d ON c.parent_id = d.id
)
SELECT id, name, depth FROM d_cats ORDER BY depth

WITH new_sub AS (
    INSERT INTO subscriptions (user_id, feed_id) VALUES ($1, $2)
    ON CONFLICT (user_id, feed_id) DO NOTHING
    RETURNING feed_id
), touched AS (
    UPDATE feeds SET subscriber_count = subscriber_count + 1 WHERE id IN (SELECT feed_id FROM new_sub)
    RETURNING id
)
SELECT count(*) FROM touched

WITH ranked AS MATERIALIZED (
    SELECT id, feed_id, row_number() OVER (PARTITION BY feed_id ORDER BY published_at DESC) AS rn FROM entries
)
DELETE FROM entries WHERE id IN (SELECT id FROM ranked WHERE rn > $1)

INSERT INTO reads (user_id, entry_id, read_at) SELECT $1, id, now() FROM entries WHERE feed_id = $2 ON CONFLICT (user_id, entry_id) DO NOTHING

DELETE FROM reads r USING entries e WHERE e.id = r.entry_id AND e.feed_id = $1 AND r.user_id = $2

UPDATE entries e SET read_count = s.n
FROM (SELECT entry_id, count(*) AS n FROM reads GROUP BY entry_id) s
WHERE s.entry_id = e.id AND e.feed_id = $1

UPDATE subscriptions SET unread = sub.n FROM (
    SELECT e.feed_id, count(*) AS n FROM entries e LEFT JOIN reads r ON r.entry_id = e.id AND r.user_id = $1
    WHERE r.entry_id IS NULL GROUP BY e.feed_id
) AS sub
WHERE subscriptions.feed_id = sub.feed_id AND subscriptions.user_id = $1

SELECT u.id, u.email, u.settings->>'theme' AS theme, u.settings->'notify'->>'email' AS notify
FROM users u
WHERE lower(u.email) = lower($1)

SELECT id FROM users WHERE settings @> '{"beta": true}'::jsonb

SELECT id FROM users WHERE settings ? 'timezone' AND (settings->>'timezone') IS NOT NULL

SELECT id FROM users WHERE roles && ARRAY['admin', 'editor']::text[]

SELECT id, roles[1] AS primary_role, array_length(roles, 1) FROM users WHERE $1 = ANY(roles)

UPDATE users SET roles = array_append(roles, $2), updated_at = now() WHERE id = $1 AND NOT ($2 = ANY(roles))

UPDATE users SET roles = ARRAY[]::text[] WHERE id = $1

UPDATE users SET tags = '{}' WHERE id = $1

SELECT first_name || ' ' || last_name AS full_name, email FROM users WHERE id = $1

SELECT u.id, coalesce(json_agg(json_build_object('id', t.id, 'name', t.name) ORDER BY t.name) FILTER (WHERE t.id IS NOT NULL), '[]') AS teams
FROM users u
LEFT JOIN team_members tm ON tm.user_id = u.id
LEFT JOIN teams t ON t.id = tm.team_id
WHERE u.id = $1
GROUP BY u.id

SELECT count(*) FILTER (WHERE status = 'done') AS done, count(*) FILTER (WHERE status = 'failed') AS failed, count(*) AS total FROM jobs WHERE queue = $1

SELECT id, kind, payload FROM jobs
WHERE queue = $1 AND status = 'queued' AND run_at <= now()
ORDER BY priority DESC, run_at
LIMIT 1
FOR UPDATE SKIP LOCKED

SELECT id FROM jobs WHERE id = $1 FOR NO KEY UPDATE

SELECT id FROM jobs WHERE id = $1 FOR SHARE

SELECT j.id FROM jobs j JOIN workers w ON w.id = j.worker_id WHERE w.last_seen < now() - INTERVAL '2 minutes' FOR UPDATE OF j SKIP LOCKED

UPDATE jobs SET status = 'running', started_at = now(), attempts = attempts + 1, worker_id = $2 WHERE id = $1 RETURNING attempts

WITH next AS (
    SELECT id FROM jobs WHERE queue = $1 AND status = 'queued' ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED
)
UPDATE jobs SET status = 'running' FROM next WHERE jobs.id = next.id RETURNING jobs.id, jobs.payload

UPDATE jobs SET status = 'queued', run_at = now() + make_interval(secs => $2) WHERE id = $1

DELETE FROM jobs WHERE status IN ('done', 'failed') AND finished_at < now() - $1::interval

SELECT queue, percentile_cont(0.95) WITHIN GROUP (ORDER BY finished_at - started_at) AS p95 FROM jobs WHERE finished_at IS NOT NULL GROUP BY queue

SELECT extract(epoch FROM (finished_at - started_at))::bigint AS secs FROM jobs WHERE id = $1

SELECT id FROM jobs WHERE worker_id IS NOT DISTINCT FROM $1

SELECT * FROM jobs ORDER BY id OFFSET 20 ROWS FETCH FIRST 10 ROWS ONLY

SELECT * FROM jobs ORDER BY id OFFSET $1 LIMIT $2

INSERT INTO invoices (id, account_id, amount_cents, currency, period)
VALUES (gen_random_uuid(), $1, $2, $3, tstzrange($4, $5))
RETURNING id

SELECT i.id, i.amount_cents::numeric / 100 AS amount, a."billingEmail"
FROM "billing"."invoices" i
JOIN "billing"."Accounts" a ON a."id" = i."account_id"
WHERE i."status" = $1

SELECT sum(amount_cents) FROM billing.payments WHERE account_id = $1 AND paid_at BETWEEN $2::date AND $3::date + INTERVAL '1 day'

INSERT INTO billing.payments (invoice_id, amount_cents, paid_at) VALUES ($1, $2, now()) RETURNING id, paid_at

UPDATE billing.invoices i SET status = 'paid', paid_at = p.paid_at FROM billing.payments p WHERE p.invoice_id = i.id AND i.id = $1

SELECT CAST($1 AS uuid) AS id, CAST(amount_cents AS bigint) FROM billing.invoices WHERE id = CAST($1 AS uuid)

SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*) FROM accounts GROUP BY 1

SELECT a.id, c.value AS country FROM accounts a, jsonb_each_text(a.meta) AS c(key, value) WHERE c.key = 'country'

SELECT e.value->>'sku' AS sku FROM orders o CROSS JOIN LATERAL jsonb_array_elements(o.items) AS e WHERE o.id = $1

SELECT t.id, t.n FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n) JOIN accounts a ON a.id = t.id ORDER BY t.n

SELECT row_to_json(a.*) FROM accounts a WHERE a.id = $1

SELECT count(a.*) FROM accounts a LEFT JOIN users u ON u.account_id = a.id WHERE u.id IS NULL

SELECT id FROM accounts WHERE name ~* $1 OR slug ~ '^[a-z]+$'

SELECT id FROM accounts WHERE name SIMILAR TO $1

SELECT id, values, key FROM settings WHERE key = $1

UPDATE settings SET values = $2 WHERE key = $1 AND values <> $2

SELECT reset_id, user_id FROM auth.user_reset_create($1)

INSERT INTO events (id, kind, at) VALUES (nextval('events_id_seq'), $1, now())

SELECT a.id, b.id FROM audits a FULL OUTER JOIN archives b ON b.audit_id = a.id WHERE a.created_at > $1

INSERT INTO receipts AS old (room_id, user_id, event_id) VALUES ($1, $2, $3)
ON CONFLICT (room_id, user_id) DO UPDATE SET event_id = excluded.event_id WHERE old.event_id <> excluded.event_id

SELECT unnest(members) AS member INTO TEMP tmp_members FROM rooms WHERE id = $1

DECLARE migrate_cursor CURSOR FOR SELECT user_id, device_id, data FROM devices

SELECT pg_advisory_xact_lock($1)

SELECT id FROM entries WHERE content_hash = decode($1, 'hex') AND feed_id = $2

SELECT id FROM entries WHERE title = E'it\'s' OR title = 'C:\path'

SELECT $$a;b$$ AS s, id FROM entries WHERE id = $1

SELECT id FROM entries /* a comment with a ; and # */ WHERE feed_id = $1 -- trailing
