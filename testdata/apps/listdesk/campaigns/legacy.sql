-- The queries of the old mailings schema, kept for the migration tool:
-- the same names as campaigns.sql, other tables. The code loads
-- campaigns.sql only (its flag's default), so these never run.

-- name: get-campaign
SELECT * FROM mailings WHERE id = $1;

-- name: campaigns-for-list
SELECT id, name, subject FROM mailings WHERE list = $1;

-- name: count-views
SELECT COUNT(*) FROM mailing_opens WHERE mailing_id = $1;
