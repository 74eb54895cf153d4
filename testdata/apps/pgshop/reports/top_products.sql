-- Best sellers between two instants, by revenue. Cancelled orders do not
-- count. Edit and EXPLAIN this file with psql; the service embeds it.
SELECT p.id,
       p.sku,
       p.name,
       SUM(oi.quantity)                       AS units,
       SUM(oi.quantity * oi.unit_price_cents) AS revenue_cents
FROM orders o
JOIN order_items oi ON oi.order_id = o.id
JOIN products p ON p.id = oi.product_id
WHERE o.created_at >= $1
  AND o.created_at < $2
  AND o.status <> 'cancelled'
GROUP BY p.id, p.sku, p.name
ORDER BY revenue_cents DESC
LIMIT $3
