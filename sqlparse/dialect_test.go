package sqlparse

import "testing"

// TestMayBePostgres checks that the quick test before postgresQuery
// passes every text the regexp matches, and stops plain MySQL.
func TestMayBePostgres(t *testing.T) {
	for _, q := range []string{
		"SELECT * FROM t WHERE id = $1", "SELECT a::text FROM t", "SELECT j->>'k' FROM t", "SELECT * FROM t WHERE tags @> ?",
		"SELECT * FROM t WHERE name iLike ?", "INSERT INTO t (a) VALUES (?) returning id", "INSERT INTO t VALUES (?) ON  CONFLICT DO NOTHING",
		"SELECT DISTINCT ON (a) a FROM t", "SELECT created_at AT TIME ZONE 'UTC' FROM t", "SELECT * FROM t WHERE a IS NOT DISTINCT FROM b",
		"SELECT * FROM t ORDER BY a NULLS LAST", "SELECT * FROM t LIMIT ALL", "SELECT * FROM t FOR NO KEY UPDATE",
		"SELECT now() - interval '1 day'", "SELECT * FROM t WHERE id = ANY(array[1,2])", "SELECT * FROM t WHERE id = any ($1)",
	} {
		if !postgresQuery.MatchString(q) {
			t.Errorf("postgresQuery does not match %q: the test's sample is wrong", q)
		}
		if !mayBePostgres(q) {
			t.Errorf("mayBePostgres(%q) = false, but postgresQuery matches it", q)
		}
	}
	for _, q := range []string{"SELECT * FROM users WHERE id = ?", "UPDATE t SET a = ? WHERE b = ?", "INSERT INTO t (a, b) VALUES (?, ?)"} {
		if mayBePostgres(q) {
			t.Errorf("mayBePostgres(%q) = true, want false", q)
		}
	}
}
