package traffic

import (
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	for _, tc := range []struct {
		sql  string
		pg   bool
		want string
	}{
		{"SELECT * FROM `users` WHERE `id` IN (1, 2, -3)", false, "select * from users where id in ( ... )"},
		{"select * from users where id in (?)", false, "select * from users where id in ( ... )"},
		{"INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'it''s')", false, "insert into t ( a , b ) values ( ... )"},
		{"INSERT INTO t (a) VALUES (_binary'\xff\\'\x00')", false, "insert into t ( a ) values ( ... )"},
		{"SELECT a - 1, b FROM t /* c */ WHERE x >= -2.5e-3 -- tail", false, "select a - ? , b from t where x >= ?"},
		{"SELECT \"Name\" FROM t WHERE a = $1 AND b = 'x' # not a comment", true, "select name from t where a = ? and b = ? # not a comment"},
		{"SELECT * FROM t WHERE id = ANY($1::int[]) LIMIT $2", true, "select * from t where id = any ( ? :: int [ ] ) limit ?"},
	} {
		s := scanner{pg: tc.pg}
		s.run(tc.sql)
		if got := string(s.buf); got != tc.want {
			t.Errorf("scanned %q: %q, want %q", tc.sql, got, tc.want)
		}
	}
}

// TestDynamicSites matches statements to sites whose SQL is partly built at
// run time: unknown parts, optional conditions, a text completed in a loop.
func TestDynamicSites(t *testing.T) {
	n := newNormalizer(Postgres)
	sites := []string{
		"SELECT id FROM products WHERE category_id = $1 AND deleted_at IS NULL AND price_cents >= $? AND name ILIKE $? ORDER BY created_at DESC, id LIMIT $?",
		"INSERT INTO order_items (order_id, product_id) VALUES",
		"SELECT * FROM ? WHERE id = $1",
		"SELECT id FROM products WHERE name = $? LIMIT $?",
	}
	for _, tc := range []struct {
		logged string
		site   int // -1: none
	}{
		{"SELECT id FROM products WHERE category_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id LIMIT $2", 0},
		{"SELECT id FROM products WHERE category_id = $1 AND deleted_at IS NULL AND name ILIKE $2 ORDER BY created_at DESC, id LIMIT $3", 0},
		{"SELECT id FROM products WHERE category_id = $1 ORDER BY price_cents, id LIMIT $2", -1},
		{"SELECT id FROM products WHERE deleted_at IS NULL ORDER BY created_at DESC, id LIMIT $2", -1},
		{"INSERT INTO order_items (order_id, product_id) VALUES ($1, $2), ($3, $4)", 1},
		{"INSERT INTO order_items (order_id, product_id)", -1},
		{"SELECT * FROM users WHERE id = $1", 2},
		{"SELECT * FROM users WHERE name = $1", -1},
		{"SELECT id FROM products WHERE name = $1 LIMIT $2", 3},
		{"SELECT id FROM products WHERE name = $1 ORDER BY id LIMIT $2", -1},
	} {
		got := -1
		for i, s := range sites {
			budget := maxSteps
			if fitsTokens(strings.Fields(n.normalize(s)), strings.Fields(n.normalize(tc.logged)), unknownText, &budget) {
				got = i
			}
		}
		if got != tc.site {
			t.Errorf("%s: site %d, want %d", tc.logged, got, tc.site)
		}
	}
}
