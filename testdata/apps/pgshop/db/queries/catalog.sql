-- name: ListCategories :many
SELECT id, parent_id, slug, name FROM categories
ORDER BY name;

-- name: GetCategoryBySlug :one
SELECT id, parent_id, slug, name FROM categories
WHERE slug = $1;

-- name: GetProduct :one
SELECT id, category_id, sku, name, description, price_cents, stock, attributes, created_at, updated_at, deleted_at FROM products
WHERE id = $1 AND deleted_at IS NULL;

-- name: GetProductForUpdate :one
SELECT id, price_cents, stock, deleted_at FROM products
WHERE id = $1
FOR UPDATE;

-- name: ListCategoryProductsAdmin :many
-- Every product of the category, deleted ones included (back office).
SELECT id, sku, name, price_cents, stock, deleted_at FROM products
WHERE category_id = $1
ORDER BY id;

-- name: ProductHasOrders :one
SELECT EXISTS (
    SELECT 1 FROM order_items WHERE product_id = $1
);

-- name: SoftDeleteProduct :execrows
UPDATE products SET deleted_at = now(), updated_at = now()
WHERE id = $1 AND deleted_at IS NULL;

-- name: DeleteProduct :execrows
DELETE FROM products WHERE id = $1;
