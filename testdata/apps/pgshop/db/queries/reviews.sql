-- name: ListProductReviews :many
SELECT id, product_id, user_id, rating, body, created_at FROM reviews
WHERE product_id = $1
ORDER BY created_at DESC
LIMIT $2;

-- name: HasReviewed :one
SELECT EXISTS (
    SELECT 1 FROM reviews WHERE product_id = $1 AND user_id = $2
);

-- name: CreateReview :one
INSERT INTO reviews (product_id, user_id, rating, body)
VALUES ($1, $2, $3, $4)
RETURNING id, product_id, user_id, rating, body, created_at;

-- name: ListUserReviews :many
SELECT id, product_id, user_id, rating, body, created_at FROM reviews
WHERE user_id = $1
ORDER BY created_at DESC;
