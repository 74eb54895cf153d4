package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"pgshop/db"
	"pgshop/reports"
)

// adminRouter is the back office, mounted at /admin with r.Mount (so at
// /api/admin). requireUser runs for every route: sessions:R users:R.
func (s *server) adminRouter() http.Handler {
	r := chi.NewRouter()
	r.Use(s.requireUser, requireRole(db.UserRoleStaff, db.UserRoleAdmin))

	r.Get("/reports/top-products", s.topProducts)          // want "route: GET /api/admin/reports/top-products order_items:R orders:R products:R sessions:R users:R"
	r.Get("/orders", s.adminListOrders)                    // want "route: GET /api/admin/orders orders:R sessions:R users:R"
	r.Post("/products/import", s.importProducts)           // want "route: POST /api/admin/products/import categories:R products:CU sessions:R users:R"
	r.Get("/categories/{id}/products", s.categoryProducts) // want "route: GET /api/admin/categories/{id}/products products:R sessions:R users:R"
	r.Get("/users/{id}", s.adminUser)                      // want "route: GET /api/admin/users/{id} orders:R reviews:R sessions:R users:R"
	admin := r.With(requireRole(db.UserRoleAdmin))         // destructive: admins only (no SQL)
	admin.Delete("/products/{id}", s.deleteProduct)        // want "route: DELETE /api/admin/products/{id} cart_items:D order_items:R products:UD sessions:R users:R"
	admin.Delete("/users/{id}/sessions", s.revokeSessions) // want "route: DELETE /api/admin/users/{id}/sessions sessions:RD users:R"
	return r
}

// GET /api/admin/reports/top-products?from=&to= — the SQL is
// reports/top_products.sql, embedded with //go:embed.
func (s *server) topProducts(w http.ResponseWriter, r *http.Request) {
	to := time.Now()
	from := to.AddDate(0, 0, -30)
	for name, dst := range map[string]*time.Time{"from": &from, "to": &to} {
		if v := r.URL.Query().Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				writeError(w, http.StatusBadRequest, "bad "+name)
				return
			}
			*dst = t
		}
	}
	top, err := reports.TopProducts(r.Context(), s.db, from, to, 20)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, top)
}

type adminOrder struct {
	ID         int64          `json:"id"`
	PublicID   string         `json:"public_id"`
	Email      string         `json:"email"`
	Status     db.OrderStatus `json:"status"`
	TotalCents int64          `json:"total_cents"`
	CreatedAt  time.Time      `json:"created_at"`
}

// GET /api/admin/orders?status=&since=&email= — the query grows by
// `q += ...` optional steps. Its status filter is always there and no
// index leads with status (nor with created_at); only the email filter
// (users_email_key, then orders through user_id) gives Postgres a way in.
// Without it, orders is read in full: unindexed orders.status.
func (s *server) adminListOrders(w http.ResponseWriter, r *http.Request) {
	f := r.URL.Query()
	status := db.OrderStatus(f.Get("status"))
	if status == "" {
		status = db.OrderStatusPaid
	}
	q := `SELECT o.id, o.public_id, u.email, o.status, o.total_cents, o.created_at
FROM orders o
JOIN users u ON u.id = o.user_id
WHERE o.status = $1`
	args := []any{status}
	if v := f.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad since")
			return
		}
		args = append(args, t)
		q += fmt.Sprintf(" AND o.created_at >= $%d", len(args))
	}
	if v := f.Get("email"); v != "" {
		args = append(args, strings.ToLower(v))
		q += fmt.Sprintf(" AND u.email = $%d", len(args))
	}
	q += " ORDER BY o.created_at DESC LIMIT 100"

	rows, err := s.db.QueryContext(r.Context(), q, args...) // want "unindexed: orders.status"
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer rows.Close()
	out := []adminOrder{}
	for rows.Next() {
		var o adminOrder
		if err := rows.Scan(&o.ID, &o.PublicID, &o.Email, &o.Status, &o.TotalCents, &o.CreatedAt); err != nil {
			s.serverError(w, r, err)
			return
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

type importRow struct {
	SKU        string          `json:"sku"`
	Name       string          `json:"name"`
	Category   string          `json:"category"` // slug
	PriceCents int64           `json:"price_cents"`
	Stock      int32           `json:"stock"`
	Attributes json.RawMessage `json:"attributes"`
}

const importBatchSize = 500

// POST /api/admin/products/import — upserts a catalogue feed by SKU. The
// categories are read once before any loop (not N+1); the rows go in
// batches of 500, one multi-row INSERT ... ON CONFLICT DO UPDATE per batch:
// a batch loop, not N+1.
func (s *server) importProducts(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var rows []importRow
	if !decodeJSON(w, r, &rows) {
		return
	}
	cats, err := s.q.ListCategories(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	bySlug := make(map[string]int64, len(cats))
	for _, c := range cats {
		bySlug[c.Slug] = c.ID
	}
	for i, row := range rows {
		if _, ok := bySlug[row.Category]; !ok || row.SKU == "" {
			writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("row %d: unknown category or empty sku", i))
			return
		}
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer tx.Rollback()
	for start := 0; start < len(rows); start += importBatchSize {
		end := min(start+importBatchSize, len(rows))
		if err := upsertProducts(ctx, tx, bySlug, rows[start:end]); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"imported": len(rows)})
}

// upsertProducts writes a batch with one statement: the VALUES list is
// built in the loop with numbered placeholders, the last comma trimmed.
// ON CONFLICT (sku) uses products_sku_key.
func upsertProducts(ctx context.Context, tx *sql.Tx, categories map[string]int64, batch []importRow) error {
	var b strings.Builder
	b.WriteString("INSERT INTO products (sku, name, category_id, price_cents, stock, attributes) VALUES ")
	args := make([]any, 0, 6*len(batch))
	for _, row := range batch {
		n := len(args)
		fmt.Fprintf(&b, "($%d, $%d, $%d, $%d, $%d, $%d),", n+1, n+2, n+3, n+4, n+5, n+6)
		attrs := row.Attributes
		if len(attrs) == 0 {
			attrs = json.RawMessage("{}")
		}
		args = append(args, row.SKU, row.Name, categories[row.Category], row.PriceCents, row.Stock, attrs)
	}
	q := strings.TrimSuffix(b.String(), ",") + `
ON CONFLICT (sku) DO UPDATE SET
    name = EXCLUDED.name,
    category_id = EXCLUDED.category_id,
    price_cents = EXCLUDED.price_cents,
    stock = EXCLUDED.stock,
    attributes = EXCLUDED.attributes,
    deleted_at = NULL,
    updated_at = now()`
	_, err := tx.ExecContext(ctx, q, args...)
	return err
}

// GET /api/admin/categories/{id}/products — every product of a category,
// deleted ones included. The only index on category_id is partial (WHERE
// deleted_at IS NULL) and this query does not say deleted_at IS NULL, so
// Postgres cannot use it: unindexed products.category_id (in
// db/catalog.sql.go).
func (s *server) categoryProducts(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(w, r, "id")
	if !ok {
		return
	}
	items, err := s.q.ListCategoryProductsAdmin(r.Context(), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, items)
}

// GET /api/admin/users/{id} — a customer's record. CountUserOrders is
// served by the leftmost column of orders_user_id_created_at_idx;
// ListUserReviews filters reviews.user_id, which has no index.
func (s *server) adminUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(w, r, "id")
	if !ok {
		return
	}
	u, err := s.q.GetUser(ctx, id)
	if notFound(w, err) {
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	orders, err := s.q.CountUserOrders(ctx, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	reviews, err := s.q.ListUserReviews(ctx, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": u.ID, "email": u.Email, "name": u.Name, "role": u.Role, "created_at": u.CreatedAt,
		"orders": orders, "reviews": reviews,
	})
}

// DELETE /api/admin/products/{id} — a transaction through q.WithTx that
// writes: the product leaves every cart, then is deleted outright when no
// order refers to it, or soft-deleted when one does.
func (s *server) deleteProduct(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(w, r, "id")
	if !ok {
		return
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer tx.Rollback()
	qtx := s.q.WithTx(tx)
	if _, err := qtx.RemoveProductFromCarts(ctx, id); err != nil {
		s.serverError(w, r, err)
		return
	}
	ordered, err := qtx.ProductHasOrders(ctx, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var n int64
	if ordered {
		n, err = qtx.SoftDeleteProduct(ctx, id) // orders keep pointing at it
	} else {
		n, err = qtx.DeleteProduct(ctx, id)
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if n == 0 {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	if err := tx.Commit(); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// DELETE /api/admin/users/{id}/sessions — signs a customer out everywhere.
func (s *server) revokeSessions(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(w, r, "id")
	if !ok {
		return
	}
	n, err := s.q.DeleteUserSessions(r.Context(), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"revoked": n})
}
