package analyzer_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/analyzer"
	"github.com/crudmap/crudmap/graph"
)

// runModule writes a standard-library-only module holding main.go and
// analyses it.
func runModule(t *testing.T, mainGo string) *graph.Report {
	t.Helper()
	return runFiles(t, map[string]string{"main.go": mainGo})
}

// runFiles writes a standard-library-only module holding files and
// analyses it.
func runFiles(t *testing.T, files map[string]string) *graph.Report {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/m\n\ngo 1.23\n"
	for name, text := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := analyzer.Run(analyzer.Config{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// routeTables returns "table:OPS ..." for the route "METHOD path".
func routeTables(t *testing.T, r *graph.Report, key string) string {
	t.Helper()
	for _, rt := range r.Routes {
		if rt.Key() == key {
			d := routeDiagnostic(rt)
			return strings.TrimSpace(strings.TrimPrefix(d, "route: "+key))
		}
	}
	t.Fatalf("no route %s in %v", key, r.Routes)
	return ""
}

const header = `package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"sort"
)

var db *sql.DB

var _ = fmt.Sprint
var _ = sort.Ints

func main() {
	mux := http.NewServeMux()
	register(mux)
	http.ListenAndServe(":8080", mux)
}
`

// TestAttribution checks that a query reached only in one of the ways a
// handler can be written is attributed to its route.
func TestAttribution(t *testing.T) {
	tests := []struct {
		name, code, route, want string
	}{
		{"interface method", `
type store interface{ user(id string) string }
type sqlStore struct{ db *sql.DB }
func (s *sqlStore) user(id string) string {
	var name string
	s.db.QueryRow("SELECT name FROM users WHERE id = ?", id).Scan(&name)
	return name
}
type server struct{ st store }
func (s *server) get(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, s.st.user("1")) }
func register(mux *http.ServeMux) {
	s := &server{st: &sqlStore{db: db}}
	mux.HandleFunc("GET /u", s.get)
}`, "GET /u", "users:R"},
		{"interface value of a known type", `
type store interface{ load(id int) }
type userStore struct{}
func (userStore) load(id int) { db.Exec("UPDATE users SET seen = 1 WHERE id = ?", id) }
type teamStore struct{}
func (teamStore) load(id int) { db.Exec("DELETE FROM teams WHERE id = ?", id) }
func get(w http.ResponseWriter, r *http.Request) {
	var s store = userStore{}
	s.load(1)
}
func register(mux *http.ServeMux) {
	var _ store = teamStore{}
	mux.HandleFunc("GET /s", get)
}`, "GET /s", "users:U"},
		{"method value", `
type h struct{ db *sql.DB }
func (h *h) del(w http.ResponseWriter, r *http.Request) { h.db.Exec("DELETE FROM posts WHERE id = ?", 1) }
func register(mux *http.ServeMux) {
	x := &h{db: db}
	mux.HandleFunc("DELETE /p", x.del)
}`, "DELETE /p", "posts:D"},
		{"closure handler", `
func register(mux *http.ServeMux) {
	mux.HandleFunc("POST /c", func(w http.ResponseWriter, r *http.Request) {
		db.Exec("INSERT INTO comments (body) VALUES (?)", "x")
	})
}`, "POST /c", "comments:C"},
		{"handler factory", `
func makeHandler(d *sql.DB, table string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d.Exec("UPDATE " + table + " SET seen = 1")
	}
}
func register(mux *http.ServeMux) {
	mux.HandleFunc("PUT /n", makeHandler(db, "notifications"))
}`, "PUT /n", "notifications:U"},
		{"middleware", `
func auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var id int
		db.QueryRow("SELECT user_id FROM sessions WHERE token = ?", r.Header.Get("X-Token")).Scan(&id)
		next.ServeHTTP(w, r)
	})
}
func list(w http.ResponseWriter, r *http.Request) { db.Query("SELECT id FROM items") }
func register(mux *http.ServeMux) {
	mux.Handle("GET /items", auth(http.HandlerFunc(list)))
}`, "GET /items", "items:R sessions:R"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runModule(t, header+tt.code)
			if got := routeTables(t, r, tt.route); got != tt.want {
				t.Errorf("%s: tables %q, want %q", tt.route, got, tt.want)
			}
		})
	}
}

// TestSQLText checks how the SQL reaching a call is resolved: both
// variants of a per-branch choice, a Sprintf with a constant table name,
// and a text that cannot be resolved (dynamic, not dropped).
func TestSQLText(t *testing.T) {
	r := runModule(t, header+`
const usersTable = "users"
func get(w http.ResponseWriter, r *http.Request) {
	q := "SELECT * FROM posts WHERE id = ?"
	if r.URL.Query().Get("draft") != "" {
		q = "SELECT * FROM drafts WHERE id = ?"
	}
	db.Query(q, 1)
	db.Query(fmt.Sprintf("SELECT * FROM %s WHERE id = ?", usersTable), 1)
	db.Query(r.URL.Query().Get("sql"))
}
func register(mux *http.ServeMux) { mux.HandleFunc("GET /x", get) }`)
	if got, want := routeTables(t, r, "GET /x"), "drafts:R posts:R users:R"; got != want {
		t.Errorf("tables %q, want %q", got, want)
	}
	var dynamic int
	variantPos := map[string]bool{}
	for _, q := range r.Queries {
		if q.Dynamic && q.SQL == "" {
			dynamic++
		}
		if strings.Contains(q.SQL, "posts") || strings.Contains(q.SQL, "drafts") {
			variantPos[q.Pos] = true
		}
	}
	if dynamic != 1 {
		t.Errorf("%d unresolved dynamic queries, want 1: %+v", dynamic, r.Queries)
	}
	if len(variantPos) != 1 {
		t.Errorf("the two variants are at %v, want one position", variantPos)
	}
}

// TestSprintfVariants checks that every variant of a Sprintf argument
// reaches the query: a table name chosen per branch gives both tables.
func TestSprintfVariants(t *testing.T) {
	r := runModule(t, header+`
func get(w http.ResponseWriter, r *http.Request) {
	table := "posts"
	if r.URL.Query().Get("c") != "" {
		table = "comments"
	}
	db.Query(fmt.Sprintf("SELECT * FROM %s WHERE id = %d", table, 3))
}
func register(mux *http.ServeMux) { mux.HandleFunc("GET /x", get) }`)
	if got, want := routeTables(t, r, "GET /x"), "comments:R posts:R"; got != want {
		t.Errorf("tables %q, want %q", got, want)
	}
}

// TestConstantFlags checks that a helper's branch on a constant argument,
// or on a field of an options literal, runs only when the flag allows.
func TestConstantFlags(t *testing.T) {
	r := runModule(t, header+`
type opts struct{ team, lock bool }
func fill(id int, withMembers bool) {
	db.Exec("UPDATE posts SET seen = 1 WHERE id = ?", id)
	if withMembers {
		db.Query("SELECT * FROM members WHERE post_id = ?", id)
	}
}
func check(o *opts) {
	db.Query("SELECT * FROM sessions")
	if o.team {
		db.Query("SELECT * FROM teams")
	}
}
func a(w http.ResponseWriter, r *http.Request) { fill(1, false); check(&opts{}) }
func b(w http.ResponseWriter, r *http.Request) { fill(2, true); check(&opts{team: true}) }
func register(mux *http.ServeMux) {
	mux.HandleFunc("GET /a", a)
	mux.HandleFunc("GET /b", b)
}`)
	if got, want := routeTables(t, r, "GET /a"), "posts:U sessions:R"; got != want {
		t.Errorf("GET /a: tables %q, want %q", got, want)
	}
	if got, want := routeTables(t, r, "GET /b"), "members:R posts:U sessions:R teams:R"; got != want {
		t.Errorf("GET /b: tables %q, want %q", got, want)
	}
}

// TestManyConditions checks that a WHERE built from many optional
// conditions keeps every one, in order.
func TestManyConditions(t *testing.T) {
	var b strings.Builder
	b.WriteString(header + "\nfunc search(w http.ResponseWriter, r *http.Request) {\n\tconds := make([]string, 0)\n")
	for i := 0; i < 14; i++ {
		fmt.Fprintf(&b, "\tif r.FormValue(\"c%d\") != \"\" {\n\t\tconds = append(conds, \"c%d = ?\")\n\t}\n", i, i)
	}
	b.WriteString("\tdb.Query(\"SELECT * FROM items WHERE \" + strings.Join(conds, \" AND \"))\n}\n")
	b.WriteString("func register(mux *http.ServeMux) { mux.HandleFunc(\"GET /s\", search) }\n")
	src := strings.Replace(b.String(), "\"fmt\"\n", "\"fmt\"\n\t\"strings\"\n", 1)
	r := runModule(t, src)
	var want []string
	for i := 0; i < 14; i++ {
		want = append(want, fmt.Sprintf("c%d = ?", i))
	}
	for _, q := range r.Queries {
		if q.SQL != "SELECT * FROM items WHERE "+strings.Join(want, " AND ") || !q.Dynamic {
			t.Errorf("query %q (dynamic %v), want every condition joined, dynamic", q.SQL, q.Dynamic)
		}
	}
}

// TestBuiltText checks SQL built step by step: a bulk INSERT grown in a
// loop, and a strings.Builder or bytes.Buffer written in branches. Each is
// one query with its table, dynamic, and no SQL error.
func TestBuiltText(t *testing.T) {
	src := strings.Replace(header, "\"fmt\"\n", "\"bytes\"\n\t\"fmt\"\n\t\"strings\"\n", 1) + `
func bulk(w http.ResponseWriter, r *http.Request) {
	q := "INSERT INTO items (a, b) VALUES "
	var args []any
	for i, id := range []int{1, 2, 3, 4, 5, 6} {
		if i > 0 {
			q += ", "
		}
		q += "(?, ?)"
		args = append(args, id, id)
	}
	db.Exec(q, args...)
}
func trimmed(w http.ResponseWriter, r *http.Request) {
	var sb strings.Builder
	sb.WriteString("INSERT INTO tags (name) VALUES ")
	for range r.Form["tag"] {
		sb.WriteString("(?),")
	}
	db.Exec(strings.TrimSuffix(sb.String(), ","))
}
func search(w http.ResponseWriter, r *http.Request) {
	var sb strings.Builder
	sb.WriteString("SELECT * FROM posts WHERE user_id = ?")
	if r.FormValue("tag") != "" {
		fmt.Fprintf(&sb, " AND %s = ?", "tag")
	}
	sb.WriteByte(' ')
	switch r.FormValue("sort") {
	case "new":
		sb.WriteString("ORDER BY created_at DESC")
	default:
		sb.WriteString("ORDER BY id")
	}
	db.Query(sb.String(), 1)
}
func fixed(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	buf.WriteString("SELECT * FROM users ")
	buf.WriteString("WHERE id = ?")
	db.Query(buf.String(), 1)
}
func register(mux *http.ServeMux) {
	mux.HandleFunc("POST /bulk", bulk)
	mux.HandleFunc("POST /tags", trimmed)
	mux.HandleFunc("GET /search", search)
	mux.HandleFunc("GET /user", fixed)
}`
	r := runModule(t, src)
	for key, want := range map[string]string{"POST /bulk": "items:C", "POST /tags": "tags:C", "GET /search": "posts:R", "GET /user": "users:R"} {
		if got := routeTables(t, r, key); got != want {
			t.Errorf("%s: tables %q, want %q", key, got, want)
		}
	}
	want := map[string]bool{
		"INSERT INTO items (a, b) VALUES":                                            true,
		"INSERT INTO tags (name) VALUES (?)":                                         true,
		"SELECT * FROM posts WHERE user_id = ? AND tag = ? ORDER BY id":              true,
		"SELECT * FROM posts WHERE user_id = ? AND tag = ? ORDER BY created_at DESC": true,
		"SELECT * FROM posts WHERE user_id = ? AND tag = ?":                          true,
		"SELECT * FROM users WHERE id = ?":                                           false,
	}
	if len(r.Queries) != len(want) {
		t.Errorf("%d queries, want %d: %+v", len(r.Queries), len(want), r.Queries)
	}
	for _, q := range r.Queries {
		dynamic, ok := want[q.SQL]
		if !ok || q.Dynamic != dynamic {
			t.Errorf("query %q (dynamic %v) is none of %v", q.SQL, q.Dynamic, want)
		}
	}
	for _, f := range r.Findings {
		if f.Kind == graph.KindSQLError {
			t.Errorf("unexpected finding %s: %s", f.Pos, f.Message)
		}
	}
}

// TestEmbeddedSQL checks SQL kept in files that //go:embed puts in a
// string or a []byte variable.
func TestEmbeddedSQL(t *testing.T) {
	src := strings.Replace(header, "\"fmt\"\n", "_ \"embed\"\n\t\"fmt\"\n", 1) + `
//go:embed queries/user_posts.sql
var userPostsSQL string

var (
	//go:embed "queries/bump.sql"
	bumpSQL []byte
)

func posts(w http.ResponseWriter, r *http.Request) {
	db.Query(userPostsSQL, 1)
	db.Exec(string(bumpSQL), 1)
}
func register(mux *http.ServeMux) { mux.HandleFunc("GET /posts", posts) }`
	r := runFiles(t, map[string]string{
		"main.go":                src,
		"queries/user_posts.sql": "-- posts of a user\nSELECT p.id FROM posts p JOIN users u ON u.id = p.user_id WHERE u.name = ?\n",
		"queries/bump.sql":       "UPDATE users SET views = views + 1 WHERE id = ?;\n",
	})
	if got, want := routeTables(t, r, "GET /posts"), "posts:R users:RU"; got != want {
		t.Errorf("tables %q, want %q", got, want)
	}
	for _, q := range r.Queries {
		if q.Dynamic {
			t.Errorf("query %s %q is dynamic, want the file's text", q.Pos, q.SQL)
		}
	}
}

// TestOptionalConcat checks a WHERE grown by many optional "q += ..."
// steps: more variants than are kept, so the longest, with every
// condition, must be among them, and no text is cut short.
func TestOptionalConcat(t *testing.T) {
	var b strings.Builder
	b.WriteString(header + "\nfunc search(w http.ResponseWriter, r *http.Request) {\n\tq := \"SELECT * FROM items WHERE 1=1\"\n")
	var all []string
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&b, "\tif r.FormValue(\"c%d\") != \"\" {\n\t\tq += \" AND c%d = ?\"\n\t}\n", i, i)
		all = append(all, fmt.Sprintf(" AND c%d = ?", i))
	}
	b.WriteString("\tdb.Query(q + \" ORDER BY id\")\n}\n")
	b.WriteString("func register(mux *http.ServeMux) { mux.HandleFunc(\"GET /s\", search) }\n")
	r := runModule(t, b.String())
	longest := "SELECT * FROM items WHERE 1=1" + strings.Join(all, "") + " ORDER BY id"
	found := false
	for _, q := range r.Queries {
		found = found || q.SQL == longest
		if strings.Contains(q.SQL, "?AND") || strings.Contains(q.SQL, "??") || q.Error != "" {
			t.Errorf("query %q cut short (error %q)", q.SQL, q.Error)
		}
	}
	if !found {
		t.Errorf("no query with every condition among %d", len(r.Queries))
	}
}

// TestLoopShapes checks loops that are not written as for statements, and
// for statements that are not per-element loops.
func TestLoopShapes(t *testing.T) {
	r := runModule(t, header+`
func sorted(w http.ResponseWriter, r *http.Request) {
	ids := []int{3, 1, 2, 5, 8}
	sort.Slice(ids, func(i, j int) bool {
		var a, b int
		db.QueryRow("SELECT rank FROM users WHERE id = ?", ids[i]).Scan(&a)
		db.QueryRow("SELECT rank FROM users WHERE id = ?", ids[j]).Scan(&b)
		return a < b
	})
}
func batched(w http.ResponseWriter, r *http.Request) {
	ids := make([]any, 5000)
	for i := 0; i < len(ids); i += 1000 {
		end := min(i+1000, len(ids))
		db.Exec("INSERT INTO logs (id) VALUES (?)", ids[i:end]...)
	}
}
func register(mux *http.ServeMux) {
	mux.HandleFunc("GET /sorted", sorted)
	mux.HandleFunc("POST /batched", batched)
}`)
	var sortedN1, batchedN1 int
	for _, f := range r.Findings {
		switch {
		case f.Kind == "n+1" && f.Route == "GET /sorted":
			sortedN1++
		case f.Kind == "n+1" && f.Route == "POST /batched":
			batchedN1++
		}
	}
	if sortedN1 != 2 {
		t.Errorf("%d n+1 findings in the sort.Slice comparator, want 2", sortedN1)
	}
	if batchedN1 != 0 {
		t.Errorf("%d n+1 findings in a loop sending batches, want 0", batchedN1)
	}
}

// TestExitBlocks checks that a query in a block that leaves the loop
// (return, break, panic) runs once, not once per element, while a break
// that only leaves a switch, or a block that may continue, still repeats.
func TestExitBlocks(t *testing.T) {
	r := runModule(t, header+`
func exits(w http.ResponseWriter, r *http.Request) {
	ids := r.URL.Query()["id"]
	for _, id := range ids {
		if id == "me" {
			db.Exec("UPDATE t_ret SET n = n + 1 WHERE id = ?", id)
			return
		}
	}
	for _, id := range ids {
		if id == "me" {
			db.Exec("UPDATE t_brk SET n = n + 1 WHERE id = ?", id)
			break
		}
	}
	for _, id := range ids {
		switch id {
		case "me":
			db.Exec("UPDATE t_sw SET n = n + 1 WHERE id = ?", id)
			break
		}
	}
	for _, id := range ids {
		if id == "me" {
			db.Exec("UPDATE t_cont SET n = n + 1 WHERE id = ?", id)
			if len(id) > 1 {
				continue
			}
			return
		}
	}
	for _, id := range ids {
		var n int
		if err := db.QueryRow("SELECT n FROM t_err WHERE id = ?", id).Scan(&n); err != nil {
			return
		}
	}
	for _, a := range ids {
		for _, b := range ids {
			if a == b {
				db.Exec("UPDATE t_nest SET n = n + 1 WHERE id = ?", a)
				return
			}
		}
	}
	for _, id := range ids {
		if id == "" {
			db.Exec("INSERT INTO t_panic (id) VALUES (?)", id)
			panic("empty id")
		}
	}
}
func register(mux *http.ServeMux) { mux.HandleFunc("GET /exits", exits) }`)
	var got []string
	for _, f := range r.Findings {
		if f.Kind == "n+1" {
			got = append(got, strings.Fields(f.Message)[1])
		}
	}
	if want := "t_sw t_cont t_err"; strings.Join(got, " ") != want {
		t.Errorf("n+1 findings on %q, want %q", strings.Join(got, " "), want)
	}
}

// TestRouterAsHandler checks that a router registered as another's
// handler is mounted, not a route of its own.
func TestRouterAsHandler(t *testing.T) {
	r := runModule(t, header+`
func register(mux *http.ServeMux) {
	api := http.NewServeMux()
	api.HandleFunc("GET /api/users", func(w http.ResponseWriter, r *http.Request) { db.Query("SELECT * FROM users") })
	mux.Handle("/", api)
}`)
	var keys []string
	for _, rt := range r.Routes {
		keys = append(keys, rt.Key())
	}
	if got := strings.Join(keys, ","); got != "GET /api/users" {
		t.Errorf("routes %s, want only GET /api/users", got)
	}
}

// TestStripPrefix checks a router mounted with http.StripPrefix: its
// routes are under the stripped prefix, and a file server under another
// is a route with no tables.
func TestStripPrefix(t *testing.T) {
	r := runModule(t, header+`
func register(mux *http.ServeMux) {
	api := http.NewServeMux()
	api.HandleFunc("GET /users/{id}", func(w http.ResponseWriter, r *http.Request) { db.Query("SELECT * FROM users") })
	mux.Handle("/api/", http.StripPrefix("/api", api))
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.Dir("public"))))
}`)
	var keys []string
	for _, rt := range r.Routes {
		keys = append(keys, rt.Key())
	}
	if got, want := strings.Join(keys, ","), "GET /api/users/{id},ANY /static/"; got != want {
		t.Errorf("routes %s, want %s", got, want)
	}
	if got := routeTables(t, r, "GET /api/users/{id}"); got != "users:R" {
		t.Errorf("GET /api/users/{id}: tables %q, want users:R", got)
	}
}

// TestWidenSuggestions checks that the index suggested for one query is
// widened to another's on the same table when it is a leftmost prefix of
// it: one index serves both, so the report suggests one.
func TestWidenSuggestions(t *testing.T) {
	r := runFiles(t, map[string]string{
		"schema.sql": "CREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT, created_at DATETIME, title TEXT);\n",
		"main.go": header + `
func list(w http.ResponseWriter, r *http.Request) {
	db.Query("SELECT id FROM posts WHERE user_id = ?", 1)
	db.Query("SELECT id FROM posts WHERE user_id = ? ORDER BY created_at DESC LIMIT 10", 1)
	db.Query("SELECT id FROM posts WHERE title = ?", "x")
}
func register(mux *http.ServeMux) { mux.HandleFunc("GET /posts", list) }`,
	})
	want := map[string]string{
		"user_id": "ALTER TABLE posts ADD INDEX idx_posts_user_id_created_at (user_id, created_at);",
		"title":   "ALTER TABLE posts ADD INDEX idx_posts_title (title);",
	}
	n := 0
	for _, f := range r.Findings {
		if f.Kind != "unindexed" {
			continue
		}
		n++
		if got := f.Suggestion; got != want[strings.Join(f.Columns, ",")] {
			t.Errorf("%s on %v: suggestion %q, want %q", f.Pos, f.Columns, got, want[strings.Join(f.Columns, ",")])
		}
		if !strings.Contains(f.Message, f.Suggestion) || f.Fix != "add: "+f.Suggestion {
			t.Errorf("%s: message %q and fix %q do not give the suggestion", f.Pos, f.Message, f.Fix)
		}
	}
	if n != 3 {
		t.Errorf("%d unindexed findings, want 3", n)
	}
}

// TestInvariantQueryFix checks the fix hint of a query that gets the same
// arguments in every iteration: run it once before the loop. A query on
// the element, or on a variable the loop moves on, gets the usual hint.
func TestInvariantQueryFix(t *testing.T) {
	r := runModule(t, header+`
func loops(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	owner := r.URL.Query().Get("owner")
	for _, id := range r.URL.Query()["id"] {
		var n, m int
		db.QueryRowContext(ctx, "SELECT COUNT(*) FROM t_same WHERE owner = ?", owner).Scan(&n)
		db.QueryRowContext(ctx, "SELECT n FROM t_elem WHERE id = ?", id).Scan(&m)
	}
	id := 10
	for id != 0 {
		db.QueryRow("SELECT parent FROM t_walk WHERE id = ?", id).Scan(&id)
	}
	for _, c := range r.URL.Query()["c"] {
		go func() { db.Exec("SELECT * FROM t_captured WHERE c = ?", c) }()
	}
	n := 0
	for range r.URL.Query()["n"] {
		n++
		go func() { db.Exec("SELECT * FROM t_counter WHERE n = ?", n) }()
	}
	for range r.URL.Query()["o"] {
		go func() { db.Exec("SELECT * FROM t_owner WHERE owner = ?", owner) }()
	}
	for _, id := range r.URL.Query()["p"] {
		p := post{id: id}
		byPost(&p)
	}
}
type post struct{ id string }
func byPost(p *post) {
	var n int
	db.QueryRow("SELECT COUNT(*) FROM t_post WHERE id = ?", p.id).Scan(&n)
}
func register(mux *http.ServeMux) { mux.HandleFunc("GET /loops", loops) }`)
	const once = "nothing the query uses changes in the loop: run it once before the loop and reuse the result"
	want := map[string]bool{"t_same": true, "t_elem": false, "t_walk": false, "t_captured": false, "t_counter": false, "t_owner": true, "t_post": false}
	for _, f := range r.Findings {
		if f.Kind != "n+1" {
			continue
		}
		if got := f.Fix == once; got != want[f.Table] {
			t.Errorf("n+1 on %s: fix %q", f.Table, f.Fix)
		}
		delete(want, f.Table)
	}
	if len(want) > 0 {
		t.Errorf("no n+1 finding on %v", want)
	}
}

// TestStructCopy checks a variable that gets a whole struct (a copy of a
// global, of a slice element): its fields hold what the copied struct's
// do, never their zero values, so no branch on them is taken for dead.
func TestStructCopy(t *testing.T) {
	r := runModule(t, header+`
type opts struct{ team bool }
var teamOpts = opts{team: true}
func check(o *opts) {
	db.Query("SELECT * FROM sessions")
	if o.team {
		db.Query("SELECT * FROM teams")
	}
}
func copied(w http.ResponseWriter, r *http.Request) {
	o := teamOpts
	check(&o)
}
func register(mux *http.ServeMux) { mux.HandleFunc("GET /copied", copied) }`)
	if got, want := routeTables(t, r, "GET /copied"), "sessions:R teams:R"; got != want {
		t.Errorf("tables %q, want %q", got, want)
	}
}

// TestFlagChoosesText checks that a constant flag also prunes the SQL
// text a helper builds: a caller passing lock=false runs no locking read,
// so its transaction only reads; one passing true locks.
func TestFlagChoosesText(t *testing.T) {
	r := runModule(t, header+`
func team(tx *sql.Tx, id int, lock bool) {
	q := "SELECT * FROM teams WHERE id = ?"
	if lock {
		q += " FOR UPDATE"
	}
	tx.QueryRow(q, id)
}
func show(w http.ResponseWriter, r *http.Request) {
	tx, _ := db.Begin()
	defer tx.Rollback()
	team(tx, 1, false)
	tx.Commit()
}
func reserve(w http.ResponseWriter, r *http.Request) {
	tx, _ := db.Begin()
	defer tx.Rollback()
	team(tx, 1, true)
	tx.Commit()
}
func register(mux *http.ServeMux) {
	mux.HandleFunc("GET /show", show)
	mux.HandleFunc("POST /reserve", reserve)
}`)
	var readOnly []string
	for _, f := range r.Findings {
		if f.Kind == "readonly-tx" {
			readOnly = append(readOnly, f.Route)
		}
	}
	if got := strings.Join(readOnly, ","); got != "GET /show" {
		t.Errorf("read-only transactions in %q, want GET /show only", got)
	}
}

// TestRangeOverInt checks that a loop over a small constant integer
// (Go 1.22 range over int) is bounded, and one over a large one is not.
func TestRangeOverInt(t *testing.T) {
	r := runModule(t, header+`
func ranges(w http.ResponseWriter, r *http.Request) {
	for i := range 3 {
		db.Exec("UPDATE t_small SET n = n + 1 WHERE id = ?", i)
	}
	for i := range 100 {
		db.Exec("UPDATE t_large SET n = n + 1 WHERE id = ?", i)
	}
}
func register(mux *http.ServeMux) { mux.HandleFunc("POST /ranges", ranges) }`)
	severity := map[string]graph.Severity{}
	for _, f := range r.Findings {
		if f.Kind == "n+1" {
			severity[f.Table] = f.Severity
		}
	}
	if severity["t_small"] != graph.Info || severity["t_large"] != graph.Warning {
		t.Errorf("n+1 severities %v, want t_small info (bounded), t_large warning", severity)
	}
}

// TestRecordLoop checks that a for { ... } reading a CSV upload record
// by record repeats its queries per record, while a polling for { ... }
// does not.
func TestRecordLoop(t *testing.T) {
	src := strings.Replace(header, "\"fmt\"\n", "\"encoding/csv\"\n\t\"fmt\"\n\t\"io\"\n\t\"time\"\n", 1) + `
func upload(w http.ResponseWriter, r *http.Request) {
	cr := csv.NewReader(r.Body)
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return
		}
		db.Exec("INSERT INTO scores (player, score) VALUES (?, ?)", row[0], row[1])
	}
}
func wait(w http.ResponseWriter, r *http.Request) {
	for {
		var done bool
		db.QueryRow("SELECT done FROM jobs WHERE id = ?", 1).Scan(&done)
		if done {
			break
		}
		time.Sleep(time.Second)
	}
}
func register(mux *http.ServeMux) {
	mux.HandleFunc("POST /upload", upload)
	mux.HandleFunc("GET /wait", wait)
}`
	r := runModule(t, src)
	var got []string
	for _, f := range r.Findings {
		if f.Kind == "n+1" {
			got = append(got, f.Route+" "+f.Table)
		}
	}
	if strings.Join(got, ",") != "POST /upload scores" {
		t.Errorf("n+1 findings %q, want the CSV loop's INSERT only", got)
	}
}

// TestUnusedCode checks that a function nothing can run reports nothing,
// while a worker started from main does.
func TestUnusedCode(t *testing.T) {
	src := strings.Replace(header, "register(mux)\n", "register(mux)\n\tgo worker()\n", 1) + `
func oldList(ids []int) {
	for _, id := range ids {
		db.Query("SELECT * FROM t_dead WHERE id = ?", id)
	}
}
func worker() {
	for _, id := range []int{1, 2, 3, 4, 5, 6} {
		db.Exec("UPDATE t_worker SET n = n + 1 WHERE id = ?", id)
	}
}
func register(mux *http.ServeMux) {}`
	r := runModule(t, src)
	var got []string
	for _, f := range r.Findings {
		if f.Kind == "n+1" {
			got = append(got, f.Table)
		}
	}
	if strings.Join(got, ",") != "t_worker" {
		t.Errorf("n+1 findings on %q, want t_worker only", got)
	}
	for _, q := range r.Queries {
		if strings.Contains(q.SQL, "t_dead") {
			t.Errorf("query %s of unused code is reported", q.Pos)
		}
	}
}

// TestMapValues checks SQL texts and prepared statements kept in a map
// that a global holds: a lookup holds any value put in the map.
func TestMapValues(t *testing.T) {
	r := runModule(t, header+`
var queries = map[string]string{
	"user": "SELECT * FROM users WHERE id = ?",
	"post": "SELECT * FROM posts WHERE id = ?",
}
var stmts = map[string]*sql.Stmt{}
func prepare() {
	s, _ := db.Prepare("SELECT * FROM tags WHERE post_id = ?")
	stmts["tags"] = s
}
func get(w http.ResponseWriter, r *http.Request) {
	db.Query(queries[r.FormValue("kind")], 1)
	if s, ok := stmts["tags"]; ok {
		s.Query(1)
	}
}
func register(mux *http.ServeMux) {
	prepare()
	mux.HandleFunc("GET /get", get)
}`)
	if got, want := routeTables(t, r, "GET /get"), "posts:R tags:R users:R"; got != want {
		t.Errorf("tables %q, want %q", got, want)
	}
}
