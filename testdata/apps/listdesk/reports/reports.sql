-- Report queries, split by name at start-up by reports.go itself.

-- name: top-lists
SELECT l.id, l.name, COUNT(*) AS subscribers
FROM lists l JOIN subscriber_lists sl ON sl.list_id = l.id
GROUP BY l.id, l.name
ORDER BY subscribers DESC
LIMIT 10;

-- name: campaign-views
SELECT c.id, c.name, COUNT(v.id) AS views
FROM campaigns c LEFT JOIN campaign_views v ON v.campaign_id = c.id
GROUP BY c.id, c.name;
