package sqlparse

import (
	"reflect"
	"strings"
	"testing"
)

// ops is a compact form of Statement.Tables: "table:OP table:OP".
func ops(st *Statement) string {
	var s []string
	for _, t := range st.Tables {
		s = append(s, t.Table+":"+string(t.Op))
	}
	return strings.Join(s, " ")
}

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, sql string
		kind      string
		tables    string
		locking   bool
		writes    bool
	}{
		{"select", "SELECT * FROM users WHERE id = ?", "SELECT", "users:SELECT", false, false},
		{"join aliases", "SELECT u.name, p.title FROM users u JOIN posts p ON p.user_id = u.id WHERE u.id = ?", "SELECT", "users:SELECT posts:SELECT", false, false},
		{"left join", "SELECT * FROM a LEFT JOIN b ON b.a_id = a.id RIGHT JOIN c ON c.id = a.c_id", "SELECT", "a:SELECT b:SELECT c:SELECT", false, false},
		{"comma join", "SELECT * FROM a, b WHERE a.id = b.a_id", "SELECT", "a:SELECT b:SELECT", false, false},
		{"subquery in where", "SELECT * FROM posts WHERE user_id IN (SELECT id FROM users WHERE name = ?)", "SELECT", "posts:SELECT users:SELECT", false, false},
		{"subquery in select list", "SELECT id, (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id) FROM posts p", "SELECT", "posts:SELECT comments:SELECT", false, false},
		{"exists", "SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id)", "SELECT", "a:SELECT b:SELECT", false, false},
		{"derived table", "SELECT t.n FROM (SELECT COUNT(*) AS n FROM reactions GROUP BY emoji) AS t", "SELECT", "reactions:SELECT", false, false},
		{"union", "SELECT id FROM a UNION ALL SELECT id FROM b", "SELECT", "a:SELECT b:SELECT", false, false},
		{"with", "WITH recent AS (SELECT * FROM posts ORDER BY id DESC LIMIT 10) SELECT * FROM recent JOIN users ON users.id = recent.user_id", "SELECT", "posts:SELECT users:SELECT", false, false},
		{"count and window", "SELECT COUNT(*), ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY id) FROM scores", "SELECT", "scores:SELECT", false, false},
		{"for update", "SELECT * FROM seats WHERE id = ? FOR UPDATE", "SELECT", "seats:SELECT", true, false},
		{"for share", "SELECT * FROM seats WHERE id = ? FOR SHARE", "SELECT", "seats:SELECT", true, false},
		{"lock in share mode", "SELECT * FROM seats WHERE id = ? LOCK IN SHARE MODE", "SELECT", "seats:SELECT", true, false},
		{"locking in subquery", "SELECT * FROM a WHERE id IN (SELECT a_id FROM b FOR UPDATE)", "SELECT", "a:SELECT b:SELECT", true, false},
		{"backquoted qualified", "SELECT * FROM `isuports`.`tenant` WHERE `id` = ?", "SELECT", "tenant:SELECT", false, false},
		{"upper case names", "SELECT * FROM Users", "SELECT", "users:SELECT", false, false},
		{"spatial", "SELECT * FROM estate WHERE ST_Contains(ST_PolygonFromText(?), POINT(latitude, longitude))", "SELECT", "estate:SELECT", false, false},
		{"in list", "SELECT * FROM users WHERE id IN (?)", "SELECT", "users:SELECT", false, false},
		{"insert", "INSERT INTO users (name) VALUES (?)", "INSERT", "users:INSERT", false, true},
		{"insert multi row", "INSERT INTO users (id, name) VALUES (?, ?), (?, ?)", "INSERT", "users:INSERT", false, true},
		{"insert select", "INSERT INTO archive (id) SELECT id FROM posts WHERE created_at < ?", "INSERT", "archive:INSERT posts:SELECT", false, true},
		{"on duplicate key", "INSERT INTO stats (id, n) VALUES (?, 1) ON DUPLICATE KEY UPDATE n = n + VALUES(n)", "INSERT", "stats:INSERT stats:UPDATE", false, true},
		{"replace", "REPLACE INTO sessions (id, user_id) VALUES (?, ?)", "REPLACE", "sessions:INSERT sessions:DELETE", false, true},
		{"sqlite insert or replace", "INSERT OR REPLACE INTO sessions (id) VALUES (?)", "REPLACE", "sessions:INSERT sessions:DELETE", false, true},
		{"sqlite insert or ignore", "insert or ignore into tags (name) values (?)", "INSERT", "tags:INSERT", false, true},
		{"update", "UPDATE users SET name = ? WHERE id = ?", "UPDATE", "users:UPDATE", false, true},
		{"update join", "UPDATE posts p JOIN users u ON u.id = p.user_id SET p.hidden = 1 WHERE u.banned = 1", "UPDATE", "posts:UPDATE users:SELECT", false, true},
		{"update subquery", "UPDATE chairs SET stock = stock - 1 WHERE id IN (SELECT chair_id FROM orders WHERE id = ?)", "UPDATE", "chairs:UPDATE orders:SELECT", false, true},
		{"delete", "DELETE FROM sessions WHERE expires_at < ?", "DELETE", "sessions:DELETE", false, true},
		{"multi-table delete", "DELETE c FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.user_id = ?", "DELETE", "comments:DELETE posts:SELECT", false, true},
		{"multi-table delete two", "DELETE t1, t2 FROM t1 JOIN t2 ON t2.id = t1.id JOIN t3 ON t3.id = t1.id", "DELETE", "t1:DELETE t2:DELETE t3:SELECT", false, true},
		{"truncate", "TRUNCATE TABLE livecomments", "TRUNCATE", "livecomments:OTHER", false, true},
		{"create table", "CREATE TABLE x (id INT PRIMARY KEY)", "CREATE", "x:OTHER", false, true},
		{"drop table", "DROP TABLE IF EXISTS x, y", "DROP", "x:OTHER y:OTHER", false, true},
		{"alter table", "ALTER TABLE x ADD INDEX idx_a (a)", "ALTER", "x:OTHER", false, true},
		{"set", "SET SESSION sql_mode = 'TRADITIONAL'", "SET", "", false, false},
		{"begin", "BEGIN", "BEGIN", "", false, false},
		{"commit", "COMMIT", "COMMIT", "", false, false},
		{"rollback", "ROLLBACK", "ROLLBACK", "", false, false},
		{"show", "SHOW TABLES", "SHOW", "", false, false},
		{"several statements", "DELETE FROM a WHERE id > 10; SELECT * FROM b; TRUNCATE c", "DELETE", "a:DELETE b:SELECT c:OTHER", false, true},
		{"postgres placeholders", "SELECT * FROM users WHERE id = $1 AND name = $2", "SELECT", "users:SELECT", false, false},
		{"sqlite placeholders", "SELECT * FROM users WHERE id = ?1 AND name = ?2", "SELECT", "users:SELECT", false, false},
		{"sqlx named", "INSERT INTO users (id, name) VALUES (:id, :name)", "INSERT", "users:INSERT", false, true},
		{"ansi quotes", `SELECT "id" FROM "users" WHERE "name" = ?`, "SELECT", "users:SELECT", false, false},
		{"returning", "INSERT INTO users (name) VALUES ($1) RETURNING id", "INSERT", "users:INSERT", false, true},
		{"on conflict do update", "INSERT INTO users (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name", "INSERT", "users:INSERT users:UPDATE", false, true},
		{"on conflict do nothing", "INSERT INTO users (id) VALUES (?) ON CONFLICT DO NOTHING", "INSERT", "users:INSERT", false, true},
		{"on conflict do update where", "INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 1 WHERE t.a > (SELECT max(a) FROM u)", "INSERT", "t:INSERT t:UPDATE u:SELECT", false, true},
	} {
		st, err := Parse(tc.sql)
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", tc.name, tc.sql, err)
			continue
		}
		if st.Kind != tc.kind || ops(st) != tc.tables || st.Locking != tc.locking || st.Writes != tc.writes {
			t.Errorf("%s: Parse(%q) = %s [%s] locking=%v writes=%v, want %s [%s] locking=%v writes=%v",
				tc.name, tc.sql, st.Kind, ops(st), st.Locking, st.Writes, tc.kind, tc.tables, tc.locking, tc.writes)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, sql := range []string{
		"SELECT * FROM",
		"SELEC 1",
		"SELECT * FROM t WHERE %s",
	} {
		if st, err := Parse(sql); err == nil {
			t.Errorf("Parse(%q) = %s [%s], want an error", sql, st.Kind, ops(st))
		}
	}
	if _, err := Parse("  -- nothing\n"); err != ErrEmpty {
		t.Errorf("Parse(comment only): %v, want ErrEmpty", err)
	}
	_, err := Parse("SELECT * FROM t WHERE")
	if err == nil || !strings.Contains(err.Error(), "line 1 column") {
		t.Errorf("Parse error %v, want the parser's message", err)
	}
}

func TestRewritePlaceholders(t *testing.T) {
	for in, want := range map[string]string{
		"a = $1 AND b = $12":             "a = ? AND b = ?",
		"a = ?1 AND b = ?":               "a = ? AND b = ?",
		"VALUES (:id, :user_name)":       "VALUES (?, ?)",
		"a = :p.name":                    "a = ?",
		"x::text = '$1' AND y = ':name'": "x::text = '$1' AND y = ':name'",
		"c$1 = 1 -- $2 :x":               "c$1 = 1 -- $2 :x",
		"@a := 1":                        "@a := 1",
		"`col:name` = \"$1\"":            "`col:name` = \"$1\"",
	} {
		if got := rewritePlaceholders(in); got != want {
			t.Errorf("rewritePlaceholders(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRewrite(t *testing.T) {
	for in, want := range map[string]string{
		"INSERT OR REPLACE INTO t VALUES (1)":                                     "REPLACE INTO t VALUES (1)",
		"INSERT INTO t (a) VALUES (?) RETURNING id, a":                            "INSERT INTO t (a) VALUES (?) ",
		"INSERT INTO t (a) VALUES (?) ON CONFLICT(a) DO NOTHING":                  "INSERT IGNORE INTO t (a) VALUES (?) ",
		"INSERT INTO t (a) VALUES (?) ON CONFLICT (a) DO UPDATE SET b=excluded.b": "INSERT INTO t (a) VALUES (?) ON DUPLICATE KEY UPDATE b=VALUES(b)",
	} {
		if got := rewrite(in); got != want {
			t.Errorf("rewrite(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseConcurrent(t *testing.T) {
	want, err := Parse("SELECT * FROM a JOIN b ON b.id = a.b_id WHERE a.x = ?")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan *Statement)
	for range 8 {
		go func() {
			var st *Statement
			for range 50 {
				st, _ = Parse("SELECT * FROM a JOIN b ON b.id = a.b_id WHERE a.x = ?")
			}
			done <- st
		}()
	}
	for range 8 {
		if got := <-done; got == nil || !reflect.DeepEqual(got.Tables, want.Tables) {
			t.Errorf("concurrent Parse = %v, want %v", got, want.Tables)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	const q = `SELECT l.id, l.user_id, l.livestream_id, l.comment, l.tip, l.created_at
FROM livecomments l JOIN users u ON u.id = l.user_id
WHERE l.livestream_id = ? AND l.tip > ? ORDER BY l.created_at DESC LIMIT ?`
	for b.Loop() {
		if _, err := Parse(q); err != nil {
			b.Fatal(err)
		}
	}
}

func TestKeyColumns(t *testing.T) {
	for sql, want := range map[string]string{
		"SELECT * FROM classes WHERE course_id = ? ORDER BY part":                          "course_id",
		"SELECT COUNT(*) FROM submissions WHERE class_id = ? AND user_id = ?":              "class_id user_id",
		"SELECT * FROM sessions WHERE token = ? AND deleted_at IS NULL AND expires_at > ?": "token",
		"SELECT * FROM posts p JOIN users u ON u.id = p.user_id WHERE p.id = ?":            "",
		"SELECT * FROM users WHERE id IN (?)":                                              "id",
		"SELECT * FROM t WHERE a = b":                                                      "",
		"INSERT INTO logs (a) VALUES (?)":                                                  "",
	} {
		st, err := Parse(sql)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(st.KeyColumns(), " "); got != want {
			t.Errorf("KeyColumns(%q) = %q, want %q", sql, got, want)
		}
	}
}

func TestUnknownDollarPlaceholder(t *testing.T) {
	st, err := Parse("SELECT * FROM orders WHERE status = $? AND created_at > $? ORDER BY id LIMIT $?")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Tables) != 1 || st.Tables[0].Table != "orders" {
		t.Errorf("tables %v, want orders", st.Tables)
	}
}
