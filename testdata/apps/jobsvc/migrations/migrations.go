// Package migrations holds the data migrations the server applies at
// start-up: a loop over rows there runs once, never an N+1.
package migrations

import (
	"context"
	"database/sql"
	"strings"
)

// TrimCategoryNames strips the spaces around every category name, one row
// at a time.
func TrimCategoryNames(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, name FROM categories")
	if err != nil {
		return err
	}
	type category struct {
		id   int64
		name string
	}
	var cats []category
	for rows.Next() {
		var c category
		if err := rows.Scan(&c.id, &c.name); err != nil {
			return err
		}
		cats = append(cats, c)
	}
	rows.Close()
	for _, c := range cats {
		if _, err := tx.ExecContext(ctx, "UPDATE categories SET name = ? WHERE id = ?", strings.TrimSpace(c.name), c.id); err != nil {
			return err
		}
	}
	return nil
}
