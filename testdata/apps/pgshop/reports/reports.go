// Package reports runs the back-office reports. Their SQL is kept in .sql
// files beside this one, embedded at build time, so that analysts can edit
// and EXPLAIN them with psql.
package reports

import (
	"context"
	"database/sql"
	_ "embed"
	"time"
)

//go:embed top_products.sql
var topProductsSQL string

// TopProduct is one line of the best-sellers report.
type TopProduct struct {
	ID           int64  `json:"id"`
	SKU          string `json:"sku"`
	Name         string `json:"name"`
	Units        int64  `json:"units"`
	RevenueCents int64  `json:"revenue_cents"`
}

// TopProducts returns the best sellers of orders placed in [from, to).
//
// orders is filtered by a created_at range that no index leads with
// (orders_user_id_created_at_idx starts with user_id), and order_items and
// products are only joined to it: Postgres reads all of orders.
func TopProducts(ctx context.Context, db *sql.DB, from, to time.Time, limit int) ([]TopProduct, error) {
	rows, err := db.QueryContext(ctx, topProductsSQL, from, to, limit) // want "unindexed: orders.created_at"
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TopProduct
	for rows.Next() {
		var t TopProduct
		if err := rows.Scan(&t.ID, &t.SKU, &t.Name, &t.Units, &t.RevenueCents); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
