package sqlparse

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// preds is a compact form of the predicates of st's blocks: each column
// compared, as written, with = for an equality, < for a range, ^ for a
// containment test, and ! for a predicate no index serves as written.
func preds(st *Statement) string {
	var out []string
	var walk func(n *cond)
	walk = func(n *cond) {
		if n == nil {
			return
		}
		for _, k := range n.kids {
			walk(k)
		}
		if n.col != nil {
			mark := map[use]string{useEq: "=", useRange: "<", useContains: "^"}[n.use]
			out = append(out, mark+qualified(*n.col))
		}
		for _, c := range n.bad {
			out = append(out, "!"+qualified(c))
		}
	}
	for _, blk := range st.blocks {
		walk(blk.where)
		for _, r := range blk.refs {
			if r.on != nil && r.outer {
				walk(r.on)
			}
		}
	}
	return strings.Join(out, " ")
}

func qualified(c colRef) string {
	if c.qual != "" {
		return c.qual + "." + c.name
	}
	return c.name
}

// pgCase is a Postgres or SQLite statement and what Parse must learn.
type pgCase struct {
	name, sql     string
	kind          string
	tables, preds string
	writes        bool
	locking       bool
}

// postgresCases are the forms of PATTERNS D9, each with its exact
// (table, op) set and predicate columns.
var postgresCases = []pgCase{
	{"$N placeholders", "SELECT * FROM users WHERE id = $1 AND org_id = $2", "SELECT", "users:SELECT", "=id =org_id", false, false},
	{"casts", "SELECT id::text, created_at::timestamptz FROM users WHERE id = $1::uuid AND tags = $2::text[] AND name = $3::character varying", "SELECT", "users:SELECT", "=id =tags =name", false, false},
	{"cast on a column", "SELECT * FROM users WHERE created_at::date = $1", "SELECT", "users:SELECT", "=created_at", false, false},
	{"= ANY", "SELECT * FROM users WHERE id = ANY($1)", "SELECT", "users:SELECT", "=id", false, false},
	{"= ANY array cast", "SELECT * FROM users WHERE id = ANY($1::uuid[])", "SELECT", "users:SELECT", "=id", false, false},
	{"<> ALL", "SELECT * FROM users WHERE status <> ALL($1::text[]) AND org_id = $2", "SELECT", "users:SELECT", "!status =org_id", false, false},
	{"= ANY subquery", "SELECT * FROM users WHERE id = ANY (SELECT user_id FROM admins WHERE active)", "SELECT", "users:SELECT admins:SELECT", "!id !active", false, false},
	{"ILIKE", "SELECT * FROM users WHERE email ILIKE $1", "SELECT", "users:SELECT", "<email", false, false},
	{"NOT ILIKE", "SELECT * FROM users WHERE email NOT ILIKE '%@test%'", "SELECT", "users:SELECT", "!email", false, false},
	{"ARRAY literal", "SELECT ARRAY[id, org_id] FROM users WHERE roles && ARRAY['admin', 'owner']", "SELECT", "users:SELECT", "^roles", false, false},
	{"array string and subscript", "SELECT tags[1], '{}'::text[] FROM posts WHERE tags[1] = $1", "SELECT", "posts:SELECT", "=tags", false, false},
	{"ARRAY subquery", "SELECT u.id, ARRAY(SELECT name FROM roles r WHERE r.user_id = u.id) FROM users u", "SELECT", "users:SELECT roles:SELECT", "=r.user_id", false, false},
	{"AT TIME ZONE", "SELECT created_at AT TIME ZONE 'UTC' FROM events WHERE (created_at AT TIME ZONE $1)::date = $2", "SELECT", "events:SELECT", "=created_at", false, false},
	{"INTERVAL", "SELECT * FROM events WHERE created_at > now() - INTERVAL '1 day'", "SELECT", "events:SELECT", "<created_at", false, false},
	{"interval times n", "DELETE FROM sessions WHERE last_seen < (NOW() - $1 * interval '1 day')", "DELETE", "sessions:DELETE", "<last_seen", true, false},
	{"UPDATE FROM", "UPDATE orders o SET status = 'paid' FROM payments p WHERE p.order_id = o.id AND p.id = $1", "UPDATE", "orders:UPDATE payments:SELECT", "=p.order_id =p.id", true, false},
	{"UPDATE FROM unaliased", "UPDATE orders SET total = s.sum FROM (SELECT order_id, sum(price) AS sum FROM lines GROUP BY order_id) s WHERE s.order_id = orders.id", "UPDATE", "orders:UPDATE lines:SELECT", "=s.order_id", true, false},
	{"DELETE USING", "DELETE FROM sessions s USING users u WHERE u.id = s.user_id AND u.banned = true", "DELETE", "sessions:DELETE users:SELECT", "=u.id =u.banned", true, false},
	{"ON CONFLICT DO UPDATE", "INSERT INTO users (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name", "INSERT", "users:INSERT users:UPDATE", "", true, false},
	{"ON CONFLICT DO UPDATE WHERE", "INSERT INTO counters AS c (k, n) VALUES ($1, 1) ON CONFLICT (k) DO UPDATE SET n = c.n + 1 WHERE c.n < (SELECT max_n FROM limits WHERE k = $1)", "INSERT", "counters:INSERT counters:UPDATE limits:SELECT", "=k", true, false},
	{"ON CONFLICT DO NOTHING", "INSERT INTO tags (name) VALUES ($1) ON CONFLICT DO NOTHING", "INSERT", "tags:INSERT", "", true, false},
	{"ON CONFLICT ON CONSTRAINT", "INSERT INTO tags (name) VALUES ($1) ON CONFLICT ON CONSTRAINT tags_name_key DO NOTHING", "INSERT", "tags:INSERT", "", true, false},
	{"RETURNING", "UPDATE users SET name = $2 WHERE id = $1 RETURNING id, name", "UPDATE", "users:UPDATE", "=id", true, false},
	{"DELETE RETURNING", "DELETE FROM jobs WHERE id = $1 RETURNING *", "DELETE", "jobs:DELETE", "=id", true, false},
	{"FOR UPDATE SKIP LOCKED", "SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED", "SELECT", "jobs:SELECT", "=state", false, true},
	{"FOR NO KEY UPDATE", "SELECT * FROM accounts WHERE id = $1 FOR NO KEY UPDATE", "SELECT", "accounts:SELECT", "=id", false, true},
	{"FOR SHARE", "SELECT * FROM accounts WHERE id = $1 FOR SHARE", "SELECT", "accounts:SELECT", "=id", false, true},
	{"FOR KEY SHARE OF", "SELECT * FROM accounts a WHERE a.id = $1 FOR KEY SHARE OF a NOWAIT", "SELECT", "accounts:SELECT", "=a.id", false, true},
	{"DISTINCT ON", "SELECT DISTINCT ON (user_id) user_id, created_at FROM sessions WHERE org_id = $1 ORDER BY user_id, created_at DESC", "SELECT", "sessions:SELECT", "=org_id", false, false},
	{"LIMIT ALL", "SELECT * FROM posts WHERE author_id = $1 LIMIT ALL", "SELECT", "posts:SELECT", "=author_id", false, false},
	{"OFFSET ROWS", "SELECT * FROM posts ORDER BY id OFFSET 10 ROWS FETCH FIRST 20 ROWS ONLY", "SELECT", "posts:SELECT", "", false, false},
	{"OFFSET before LIMIT", "SELECT * FROM posts ORDER BY id OFFSET $1 LIMIT $2", "SELECT", "posts:SELECT", "", false, false},
	{"IS DISTINCT FROM", "SELECT * FROM posts WHERE editor_id IS DISTINCT FROM $1 AND id = $2", "SELECT", "posts:SELECT", "!editor_id =id", false, false},
	{"IS NOT DISTINCT FROM", "SELECT * FROM posts WHERE editor_id IS NOT DISTINCT FROM $1", "SELECT", "posts:SELECT", "=editor_id", false, false},
	{"|| concat", "SELECT first_name || ' ' || last_name FROM users WHERE email = $1 || '@example.com'", "SELECT", "users:SELECT", "=email", false, false},
	{"jsonb operators", "SELECT data->>'name', data->'a'->>'b', data#>>'{a,b}' FROM docs WHERE data->>'kind' = $1", "SELECT", "docs:SELECT", "!data", false, false},
	{"jsonb containment", "SELECT * FROM docs WHERE data @> $1::jsonb AND tags <@ $2 AND data ? 'key' AND data ?| array['a'] AND owner_id = $3", "SELECT", "docs:SELECT", "^data ^tags ^data ^data =owner_id", false, false},
	{"now()", "UPDATE users SET seen_at = now() WHERE id = $1", "UPDATE", "users:UPDATE", "=id", true, false},
	{"generate_series", "SELECT d::date, count(e.id) FROM generate_series($1::date, $2::date, '1 day') AS d LEFT JOIN events e ON e.created_at::date = d GROUP BY d", "SELECT", "events:SELECT", "=e.created_at", false, false},
	{"generate_series unaliased", "SELECT * FROM generate_series(1, 10)", "SELECT", "", "", false, false},
	{"json_each", "SELECT u.id, j.key FROM users u, json_each(u.prefs) AS j WHERE u.id = $1", "SELECT", "users:SELECT", "=u.id", false, false},
	{"jsonb_array_elements lateral", "SELECT e.value FROM docs d CROSS JOIN LATERAL jsonb_array_elements(d.items) AS e(value) WHERE d.id = $1", "SELECT", "docs:SELECT", "=d.id", false, false},
	{"unnest with ordinality", "SELECT * FROM unnest($1::int[]) WITH ORDINALITY AS t(id, n) JOIN items i ON i.id = t.id", "SELECT", "items:SELECT", "=i.id", false, false},
	{"COALESCE", "SELECT COALESCE(nickname, name, '') FROM users WHERE COALESCE(deleted, false) = false", "SELECT", "users:SELECT", "!deleted", false, false},
	{"FILTER", "SELECT count(*) FILTER (WHERE status = 'ok'), count(*) FROM payments WHERE account_id = $1", "SELECT", "payments:SELECT", "=account_id", false, false},
	{"aggregate ORDER BY", "SELECT json_agg(c ORDER BY c.created_at), string_agg(name, ',' ORDER BY name) FROM comments c WHERE c.post_id = $1", "SELECT", "comments:SELECT", "=c.post_id", false, false},
	{"row.*", "SELECT row_to_json(t.*), count(t.*) FROM teams t WHERE t.id = $1 GROUP BY t.id", "SELECT", "teams:SELECT", "=t.id", false, false},
	{"schema-qualified", "SELECT * FROM public.users u JOIN app.posts p ON p.user_id = u.id WHERE u.id = $1", "SELECT", "users:SELECT posts:SELECT", "=p.user_id =u.id", false, false},
	{"quoted names", `SELECT "userId", "Name" FROM "public"."Users" WHERE "userId" = $1`, "SELECT", "users:SELECT", "=userid", false, false},
	{"reserved column names", "UPDATE scales SET values = $1, key = $2 WHERE values <> $1 AND interval = $3", "UPDATE", "scales:UPDATE", "!values =interval", true, false},
	{"regex", "SELECT * FROM users WHERE name ~* $1 AND email !~ '^test'", "SELECT", "users:SELECT", "!name !email", false, false},
	{"EXTRACT EPOCH", "SELECT extract(epoch FROM created_at)::bigint FROM events WHERE id = $1", "SELECT", "events:SELECT", "=id", false, false},
	{"CAST to a Postgres type", "SELECT CAST($1 AS uuid), CAST(n AS integer) FROM t WHERE id = CAST($2 AS uuid)", "SELECT", "t:SELECT", "=id", false, false},
	{"NULLS LAST", "SELECT * FROM tasks WHERE project_id = $1 ORDER BY due_at DESC NULLS LAST", "SELECT", "tasks:SELECT", "=project_id", false, false},
	{"FULL JOIN", "SELECT * FROM a FULL OUTER JOIN b ON b.a_id = a.id", "SELECT", "a:SELECT b:SELECT", "=b.a_id", false, false},
	{"nextval", "INSERT INTO events (id, kind) VALUES (nextval('events_seq'), $1)", "INSERT", "events:INSERT", "", true, false},
	{"INSERT alias", "INSERT INTO receipts AS old (room_id, ts) VALUES ($1, $2) ON CONFLICT (room_id) DO UPDATE SET ts = excluded.ts WHERE old.ts < excluded.ts", "INSERT", "receipts:INSERT receipts:UPDATE", "", true, false},
	{"table function", "SELECT reset_id FROM app.user_reset_create($1)", "SELECT", "", "", false, false},
	{"cursor", "DECLARE c CURSOR FOR SELECT id FROM devices WHERE user_id = $1", "SELECT", "devices:SELECT", "=user_id", false, false},

	{"data-modifying CTE: delete then insert", "WITH deleted AS (DELETE FROM entries WHERE feed_id = $1 RETURNING id) INSERT INTO tombstones (entry_id) SELECT id FROM deleted", "INSERT", "entries:DELETE tombstones:INSERT", "=feed_id", true, false},
	{"data-modifying CTE: update", "WITH updated AS (UPDATE entries SET read = true WHERE feed_id = $1 RETURNING id) SELECT count(*) FROM updated", "SELECT", "entries:UPDATE", "=feed_id", true, false},
	{"data-modifying CTE: insert", "WITH ins AS (INSERT INTO logs (msg) VALUES ($1) RETURNING id) UPDATE stats SET last_log = (SELECT id FROM ins) WHERE id = 1", "UPDATE", "logs:INSERT stats:UPDATE", "=id", true, false},
	{"CTE chain", "WITH a AS (SELECT id FROM users WHERE org_id = $1), b AS (SELECT user_id FROM posts WHERE user_id IN (SELECT id FROM a)) SELECT * FROM b", "SELECT", "users:SELECT posts:SELECT", "=org_id =user_id", false, false},
	{"WITH RECURSIVE", "WITH RECURSIVE d_cats(id, parent_id) AS (SELECT id, parent_id FROM categories WHERE id = $1 UNION ALL SELECT c.id, c.parent_id FROM categories c JOIN d_cats d ON c.parent_id = d.id) SELECT * FROM d_cats", "SELECT", "categories:SELECT", "=id =c.parent_id", false, false},
	{"MATERIALIZED CTE", "WITH x AS MATERIALIZED (SELECT * FROM big WHERE k = $1) SELECT * FROM x", "SELECT", "big:SELECT", "=k", false, false},
	{"CTE names and keywords", "WITH skip AS (SELECT 1 AS n), updated AS (SELECT 2 AS n) SELECT interval FROM schedules, skip, updated WHERE schedules.id = skip.n", "SELECT", "schedules:SELECT", "=schedules.id", false, false},
	{"CTE with locking read", "WITH j AS (SELECT id FROM jobs WHERE state = 'new' LIMIT 1 FOR UPDATE SKIP LOCKED) UPDATE jobs SET state = 'running' FROM j WHERE jobs.id = j.id RETURNING jobs.id", "UPDATE", "jobs:SELECT jobs:UPDATE", "=state =jobs.id", true, true},

	{"sqlite INSERT OR IGNORE", "INSERT OR IGNORE INTO tags (name) VALUES (?)", "INSERT", "tags:INSERT", "", true, false},
	{"sqlite INSERT OR REPLACE", "INSERT OR REPLACE INTO kv (k, v) VALUES (?1, ?2)", "REPLACE", "kv:INSERT kv:DELETE", "", true, false},
	{"sqlite upsert", "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v", "INSERT", "kv:INSERT kv:UPDATE", "", true, false},
	{"sqlite json_each", "SELECT m.id FROM messages m, json_each(m.tags) WHERE json_each.value = ?", "SELECT", "messages:SELECT", "=json_each.value", false, false},
	{"sqlite datetime", "DELETE FROM sessions WHERE expires < datetime('now')", "DELETE", "sessions:DELETE", "<expires", true, false},
	{"sqlite strftime", "SELECT strftime('%Y', created) || '-' || id FROM notes WHERE created > strftime('%s', 'now') - ?", "SELECT", "notes:SELECT", "<created", false, false},
	{"sqlite LIMIT OFFSET", "SELECT * FROM notes WHERE owner = ? ORDER BY created DESC LIMIT ? OFFSET ?", "SELECT", "notes:SELECT", "=owner", false, false},
	{"sqlite GLOB", "SELECT * FROM files WHERE path GLOB ?", "SELECT", "files:SELECT", "<path", false, false},
	{"computed prefix", "DELETE FROM ?_mailbox WHERE ID IN (?, ?)", "DELETE", "mailbox:DELETE", "=id", true, false},
}

func TestParsePostgres(t *testing.T) {
	for _, tc := range postgresCases {
		st, err := ParseDialect(tc.sql, Postgres)
		if err != nil {
			t.Errorf("%s: ParseDialect(%q): %v\nrewritten: %s", tc.name, tc.sql, err, rewritePostgres(tc.sql))
			continue
		}
		if st.Kind != tc.kind || ops(st) != tc.tables || preds(st) != tc.preds || st.Writes != tc.writes || st.Locking != tc.locking {
			t.Errorf("%s: ParseDialect(%q) =\n %s [%s] {%s} writes=%v locking=%v, want\n %s [%s] {%s} writes=%v locking=%v",
				tc.name, tc.sql, st.Kind, ops(st), preds(st), st.Writes, st.Locking, tc.kind, tc.tables, tc.preds, tc.writes, tc.locking)
		}
		if u, err := Parse(tc.sql); err != nil || ops(u) != ops(st) {
			t.Errorf("%s: Parse (dialect unknown) = %v, %v; want [%s]", tc.name, u, err, ops(st))
		}
	}
}

// corpus returns the statements of a testdata file: one a paragraph,
// leading comment paragraphs left out.
func corpus(t testing.TB, name string) []string {
	t.Helper()
	src, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range strings.Split(string(src), "\n\n") {
		if p = strings.TrimSpace(p); p != "" && !strings.HasPrefix(p, "--") {
			out = append(out, p)
		}
	}
	return out
}

// TestPostgresCorpus requires every statement of a realistic Postgres
// corpus to be understood, in the Postgres dialect and when the dialect
// is unknown, with at least one table for each that names one.
func TestPostgresCorpus(t *testing.T) {
	stmts := corpus(t, "postgres_corpus.sql")
	if len(stmts) < 60 {
		t.Fatalf("corpus has %d statements, want at least 60", len(stmts))
	}
	notUnderstood := 0
	for _, sql := range stmts {
		for _, d := range []Dialect{Postgres, Unknown} {
			st, err := ParseDialect(sql, d)
			if err != nil {
				notUnderstood++
				t.Errorf("%s: not understood: %v\n%s\nrewritten: %s", d, err, sql, rewritePostgres(sql))
				continue
			}
			for _, to := range st.Tables {
				if cteOrKeyword[to.Table] {
					t.Errorf("%s: %q taken for a table in\n%s", d, to.Table, sql)
				}
			}
		}
	}
	if notUnderstood > 0 {
		t.Errorf("%d of %d statements not understood", notUnderstood, 2*len(stmts))
	}
}

// cteOrKeyword are names in the corpus that are never tables: common
// table expressions, keywords and functions.
var cteOrKeyword = map[string]bool{"deleted": true, "updated": true, "d_cats": true, "new_sub": true,
	"touched": true, "ranked": true, "next": true, "interval": true, "skip": true, "json_each": true,
	"generate_series": true, "unnest": true, "jsonb_each_text": true, "jsonb_array_elements": true,
	"user_reset_create": true, "locked": true, "excluded": true, "old": true, "d": true, "t": true, "e": true, "c": true}

// pgRows returns a Postgres INSERT of n rows, each with a function call
// after a comma (which starts a FROM item's check), an upsert and a
// RETURNING, followed by a SELECT with an n-element ANY array.
func pgRows(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO events (id, kind, at) VALUES `)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "($%d::uuid, lower($%d), now())", 2*i+1, 2*i+2)
	}
	b.WriteString(" ON CONFLICT (id) DO UPDATE SET kind = excluded.kind RETURNING id;\nSELECT * FROM events WHERE id = ANY(ARRAY[")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "'%d'::uuid", i)
	}
	b.WriteString("])")
	return b.String()
}

// TestPostgresLinear checks that rewriting and parsing a Postgres text
// eight times as long takes about eight times as long, not sixty-four
// (the bound leaves room for a busy machine).
func TestPostgresLinear(t *testing.T) {
	elapsed := func(sql string) time.Duration {
		best := time.Duration(1 << 62)
		for range 3 {
			start := time.Now()
			if _, err := ParseDialect(sql, Postgres); err != nil {
				t.Fatal(err)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	small, large := elapsed(pgRows(500)), elapsed(pgRows(4000))
	if ratio := float64(large) / float64(small); ratio > 24 {
		t.Errorf("500 rows take %v, 4,000 take %v: %.1f times as long", small, large, ratio)
	}
}

// TestKeyColumnsPostgres checks the N+1 fix hint's input on Postgres
// forms: the equality columns of the first block reading one table.
func TestKeyColumnsPostgres(t *testing.T) {
	for sql, want := range map[string]string{
		"SELECT * FROM users WHERE id = $1::uuid":                                        "id",
		"SELECT * FROM users WHERE org_id = ANY($1) AND deleted_at IS NULL":              "org_id",
		"WITH p AS (SELECT * FROM posts WHERE user_id = $1) SELECT count(*) FROM p":      "user_id",
		"SELECT * FROM public.users u WHERE u.email ILIKE $1":                            "",
		"SELECT * FROM jobs WHERE queue = $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED": "queue",
	} {
		st, err := ParseDialect(sql, Postgres)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(st.KeyColumns(), " "); got != want {
			t.Errorf("KeyColumns(%q) = %q, want %q", sql, got, want)
		}
	}
}
