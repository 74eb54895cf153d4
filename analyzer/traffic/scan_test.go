package traffic

import "testing"

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
		if got := string(scan(nil, tc.sql, tc.pg)); got != tc.want {
			t.Errorf("scan(%q) = %q, want %q", tc.sql, got, tc.want)
		}
	}
}
