package analyzer

import (
	"fmt"
	"testing"
)

func TestGuessTables(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"UPDATE users SET name = ? WHERE id = ? LIMIT", "[{users UPDATE}]"},
		{"INSERT INTO `isu`.`logs` (a) SELECT a FROM events RETURNING id", "[{logs INSERT} {events SELECT}]"},
		{"DELETE FROM sessions WHERE expires < NOW() ?!", "[{sessions DELETE}]"},
		{"SELECT * FROM posts p JOIN users u ON u.id = p.user_id WHERE ~~", "[{posts SELECT} {users SELECT}]"},
		{"SELECT * FROM ? WHERE id = ?", "[]"},
		{"INSERT INTO products (sku, name) VALUES ($?, $?), ON CONFLICT (sku) DO UPDATE SET name = excluded.name", "[{products INSERT} {products UPDATE}]"},
		{"INSERT INTO stock (id, n) VALUES ? ON DUPLICATE KEY UPDATE n = VALUES(n)", "[{stock INSERT} {stock UPDATE}]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(guessTables(tt.sql)); got != tt.want {
			t.Errorf("guessTables(%q) = %s, want %s", tt.sql, got, tt.want)
		}
	}
}
