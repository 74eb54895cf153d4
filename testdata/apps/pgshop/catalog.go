package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"pgshop/db"
)

const pageSize = 60

// GET /api/categories — the whole (small) table, no predicate: a
// deliberate scan, no index finding.
func (s *server) listCategories(w http.ResponseWriter, r *http.Request) {
	cats, err := s.q.ListCategories(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, cats)
}

type productCard struct {
	ID         int64           `json:"id"`
	SKU        string          `json:"sku"`
	Name       string          `json:"name"`
	PriceCents int64           `json:"price_cents"`
	Stock      int32           `json:"stock"`
	Attributes json.RawMessage `json:"attributes"`
}

// GET /api/categories/{slug}/products?min_price=&max_price=&in_stock=1&q=&brand=&sort=
//
// The WHERE is built with a strings.Builder, each filter an optional
// WriteString. Whatever filters are given, the query keeps
// "category_id = $1 AND deleted_at IS NULL": the partial index
// products_category_id_created_at_idx serves it by its leftmost column (its
// WHERE deleted_at IS NULL is implied by the query). No index finding.
func (s *server) searchCategory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cat, err := s.q.GetCategoryBySlug(ctx, chi.URLParam(r, "slug"))
	if notFound(w, err) {
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}

	f := r.URL.Query()
	args := []any{cat.ID}
	var sb strings.Builder
	sb.WriteString(`SELECT id, sku, name, price_cents, stock, attributes
FROM products
WHERE category_id = $1 AND deleted_at IS NULL`)
	if v := f.Get("min_price"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad min_price")
			return
		}
		args = append(args, n)
		sb.WriteString(" AND price_cents >= $" + strconv.Itoa(len(args)))
	}
	if v := f.Get("max_price"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "bad max_price")
			return
		}
		args = append(args, n)
		sb.WriteString(" AND price_cents <= $" + strconv.Itoa(len(args)))
	}
	if f.Get("in_stock") == "1" {
		sb.WriteString(" AND stock > 0")
	}
	if v := strings.TrimSpace(f.Get("q")); v != "" {
		args = append(args, "%"+v+"%")
		sb.WriteString(" AND name ILIKE $" + strconv.Itoa(len(args)))
	}
	if v := f.Get("brand"); v != "" {
		args = append(args, v)
		sb.WriteString(" AND attributes->>'brand' = $" + strconv.Itoa(len(args)))
	}
	switch f.Get("sort") {
	case "price":
		sb.WriteString(" ORDER BY price_cents, id")
	case "price_desc":
		sb.WriteString(" ORDER BY price_cents DESC, id")
	default:
		sb.WriteString(" ORDER BY created_at DESC, id")
	}
	args = append(args, pageSize)
	sb.WriteString(" LIMIT $" + strconv.Itoa(len(args)))

	rows, err := s.db.QueryContext(ctx, sb.String(), args...)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer rows.Close()
	cards := []productCard{}
	for rows.Next() {
		var c productCard
		if err := rows.Scan(&c.ID, &c.SKU, &c.Name, &c.PriceCents, &c.Stock, &c.Attributes); err != nil {
			s.serverError(w, r, err)
			return
		}
		cards = append(cards, c)
	}
	if err := rows.Err(); err != nil {
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"category": cat, "products": cards})
}

type reviewView struct {
	db.Review
	Author string `json:"author"`
}

// GET /api/products/{id} — behind optionalUser (r.With). The stock comes
// through the inventory.Inventory interface; main wires StockColumn, so
// this reads products, never stock_movements.
func (s *server) getProduct(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, ok := idParam(w, r, "id")
	if !ok {
		return
	}
	p, err := s.q.GetProduct(ctx, id)
	if notFound(w, err) {
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	available, err := s.inv.Available(ctx, p.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// reviews_product_id_created_at_idx serves WHERE product_id ORDER BY
	// created_at DESC LIMIT.
	reviews, err := s.q.ListProductReviews(ctx, db.ListProductReviewsParams{ProductID: p.ID, Limit: 20})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// L2: the author of each review is looked up two calls down
	// (decorateReview → authorName): one SELECT users per review.
	views := make([]reviewView, 0, len(reviews))
	for _, rv := range reviews {
		v, err := s.decorateReview(ctx, rv)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		views = append(views, v)
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"product":    p,
		"available":  available,
		"reviews":    views,
		"can_review": currentUser(ctx) != nil,
	})
}

// decorateReview adds what the product page shows next to a review.
func (s *server) decorateReview(ctx context.Context, rv db.Review) (reviewView, error) {
	name, err := s.authorName(ctx, rv.UserID)
	if err != nil {
		return reviewView{}, err
	}
	return reviewView{Review: rv, Author: name}, nil
}

// authorName is how a reviewer is shown: their first name.
func (s *server) authorName(ctx context.Context, userID int64) (string, error) {
	var name string
	err := s.db.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, userID).Scan(&name) // want "n+1: SELECT users"
	if err != nil {
		return "", err
	}
	first, _, _ := strings.Cut(name, " ")
	return first, nil
}
