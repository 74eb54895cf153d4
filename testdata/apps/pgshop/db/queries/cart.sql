-- name: ListCartLines :many
SELECT ci.product_id, ci.quantity, p.name, p.price_cents
FROM cart_items ci
JOIN products p ON p.id = ci.product_id
WHERE ci.user_id = $1
ORDER BY ci.added_at;

-- name: ListCartItems :many
SELECT user_id, product_id, quantity, added_at FROM cart_items
WHERE user_id = $1
ORDER BY added_at;

-- name: UpsertCartItem :exec
INSERT INTO cart_items (user_id, product_id, quantity)
VALUES ($1, $2, $3)
ON CONFLICT (user_id, product_id) DO UPDATE
SET quantity = EXCLUDED.quantity, added_at = now();

-- name: DeleteCartItem :exec
DELETE FROM cart_items WHERE user_id = $1 AND product_id = $2;

-- name: ClearCart :exec
DELETE FROM cart_items WHERE user_id = $1;

-- name: RemoveProductFromCarts :execrows
DELETE FROM cart_items WHERE product_id = $1;

-- name: GetCoupon :one
SELECT code, percent_off, max_uses, used_count, expires_at FROM coupons
WHERE code = $1;

-- name: GetCouponForUpdate :one
SELECT code, percent_off, max_uses, used_count, expires_at FROM coupons
WHERE code = $1
FOR UPDATE;

-- name: IncrementCouponUse :exec
UPDATE coupons SET used_count = used_count + 1
WHERE code = $1;
