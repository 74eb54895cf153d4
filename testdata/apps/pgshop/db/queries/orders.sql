-- name: CreateOrder :one
INSERT INTO orders (user_id, status, coupon_code, total_cents, shipping)
VALUES ($1, 'pending', $2, $3, $4)
RETURNING id, public_id, created_at;

-- name: GetOrder :one
SELECT id, public_id, user_id, status, coupon_code, total_cents, shipping, created_at, updated_at FROM orders
WHERE id = $1 AND user_id = $2;

-- name: ListUserOrders :many
SELECT id, public_id, user_id, status, coupon_code, total_cents, shipping, created_at, updated_at FROM orders
WHERE user_id = $1
ORDER BY created_at DESC
LIMIT $2;

-- name: CountUserOrders :one
SELECT count(*) FROM orders
WHERE user_id = $1;

-- name: ListOrderItems :many
SELECT oi.product_id, p.name, oi.quantity, oi.unit_price_cents
FROM order_items oi
JOIN products p ON p.id = oi.product_id
WHERE oi.order_id = $1
ORDER BY p.name;

-- name: HasPurchased :one
SELECT EXISTS (
    SELECT 1
    FROM orders o
    JOIN order_items oi ON oi.order_id = o.id
    WHERE o.user_id = $1
      AND oi.product_id = $2
      AND o.status IN ('paid', 'shipped', 'delivered')
);
