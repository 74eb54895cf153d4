package analyzer_test

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/crudmap/crudmap/analyzer"
	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render"
)

// runLimit is how long one analysis of a generated app may take before
// FuzzApp calls it a hang; a healthy run takes well under a second.
const runLimit = 20 * time.Second

// FuzzApp runs crudmap on whole generated modules. The input bytes drive a
// generator (see genApp) that writes a one-package net/http + database/sql
// app: routes registered in several shapes, handlers and helpers whose SQL
// comes from a grammar (or is garbage) and is built in several ways, loops,
// closures, goroutines, transactions, recursion and an interface. Some
// inputs make the package not compile. The invariants: the analysis ends
// within runLimit and never panics; it fails only on a broken package;
// every registered route is in the report; every format renders; a second
// run gives byte-identical JSON; and a soft type error (an unused import or
// variable) changes no route's tables.
//
// The normal test run replays the seeds below and testdata/fuzz/FuzzApp;
// fuzz with
//
//	go test ./analyzer -run '^$' -fuzz FuzzApp -fuzztime 10m -parallel 1
func FuzzApp(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("crudmap maps every route to its tables: loops, calls, transactions"))
	for i, size := range []int{200, 400, 800} {
		f.Add(randomInput(int64(i), size, ""))
	}
	for _, broken := range []string{"type error", "unused import", "unused variable", "syntax error"} {
		f.Add(randomInput(3, 300, broken))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		app := genApp(in)
		dir := t.TempDir()
		app.write(t, dir)
		r := analyse(t, dir, app)
		if r == nil {
			return
		}
		if app.broken == "" || app.soft() {
			checkRoutesPresent(t, r, app)
		}
		if app.soft() {
			checkSoftCostsNothing(t, r, in, app)
		}
		first := renderAll(t, r, app)
		if again := analyse(t, dir, app); again == nil || !bytes.Equal(first, renderJSON(t, again, app)) {
			t.Fatalf("a second run on the same app gives a different JSON report\n%s", app.main)
		}
	})
}

// analyse runs crudmap on dir, failing the test on a hang, an internal error
// (a recovered panic) or any error on a package that should load. It
// returns nil when the broken package made the run fail, as it may.
func analyse(t *testing.T, dir string, app *fuzzApp) *graph.Report {
	t.Helper()
	type result struct {
		r   *graph.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := analyzer.Run(analyzer.Config{Dir: dir, Schema: []string{filepath.Join(dir, "schema.sql")}})
		done <- result{r, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-time.After(runLimit):
		t.Fatalf("analysis still running after %v (a hang)\n%s", runLimit, app.main)
	}
	switch {
	case res.err != nil && (app.broken == "" || app.soft() || strings.Contains(res.err.Error(), "internal error")):
		t.Fatalf("%v\n%s", res.err, app.main)
	case res.err == nil && res.r == nil:
		t.Fatalf("no report and no error\n%s", app.main)
	}
	return res.r
}

// checkRoutesPresent fails when a route the app registers is missing.
func checkRoutesPresent(t *testing.T, r *graph.Report, app *fuzzApp) {
	t.Helper()
	have := map[string]bool{}
	for _, rt := range r.Routes {
		have[rt.Key()] = true
	}
	for _, want := range app.routes {
		if !have[want] {
			t.Errorf("route %s is missing from the report", want)
		}
	}
	if t.Failed() {
		t.Fatalf("routes found: %v\n%s", keys(r), app.main)
	}
}

// checkSoftCostsNothing fails when the routes of an app with a soft type
// error touch other tables than those of the same app without it.
func checkSoftCostsNothing(t *testing.T, r *graph.Report, in []byte, app *fuzzApp) {
	t.Helper()
	sound := generate(in, false)
	dir := t.TempDir()
	sound.write(t, dir)
	if got, want := tablesByRoute(r), tablesByRoute(analyse(t, dir, sound)); got != want {
		t.Fatalf("with a soft type error (%s) the routes touch\n%s\nwithout it\n%s\n%s", app.broken, got, want, app.main)
	}
}

// tablesByRoute lists each route with its tables and operations, one a line.
func tablesByRoute(r *graph.Report) string {
	var b strings.Builder
	for _, rt := range r.Routes {
		b.WriteString(rt.Key())
		for _, t := range rt.Tables {
			fmt.Fprintf(&b, " %s:%v/%v", t.Table, t.Ops, t.LoopOps)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func keys(r *graph.Report) []string {
	var out []string
	for _, rt := range r.Routes {
		out = append(out, rt.Key())
	}
	return out
}

// renderAll writes r in every format that needs no Graphviz and returns
// the JSON.
func renderAll(t *testing.T, r *graph.Report, app *fuzzApp) []byte {
	t.Helper()
	for _, f := range []render.Format{render.Text, render.Markdown, render.SARIF, render.DOT, render.GitHub} {
		var buf bytes.Buffer
		if err := render.Write(&buf, f, r, render.Options{Version: "fuzz"}); err != nil {
			t.Fatalf("rendering %s: %v\n%s", f, err, app.main)
		}
	}
	return renderJSON(t, r, app)
}

func renderJSON(t *testing.T, r *graph.Report, app *fuzzApp) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := render.Write(&buf, render.JSON, r, render.Options{Version: "fuzz"}); err != nil {
		t.Fatalf("rendering json: %v\n%s", err, app.main)
	}
	return buf.Bytes()
}

// randomInput returns size pseudo-random bytes from seed, starting with
// the choices that make genApp break the package as broken says ("" for a
// package that compiles).
func randomInput(seed int64, size int, broken string) []byte {
	in := make([]byte, size)
	rand.New(rand.NewSource(seed)).Read(in)
	in[0] &^= 7 // not broken
	if i := slices.Index(brokenKinds, broken); i >= 0 {
		in[0], in[1] = 7, byte(i)
	}
	return in
}

// fuzzApp is a generated module.
type fuzzApp struct {
	main, schema string
	// routes are the registered routes as "METHOD /path" (ANY without a method).
	routes []string
	// broken names how the package was made not to compile, or is "".
	broken string
}

// soft reports whether the package is broken only by errors that leave its
// type information complete.
func (a *fuzzApp) soft() bool { return a.broken == "unused import" || a.broken == "unused variable" }

func (a *fuzzApp) write(t *testing.T, dir string) {
	t.Helper()
	files := map[string]string{
		"go.mod":     "module fuzzapp\n\ngo 1.22\n",
		"main.go":    a.main,
		"schema.sql": a.schema,
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The generator's limits keep an app small whatever the input, but for a
// few constructs that grow on purpose, to catch work that grows faster than
// the code: chains of ORs and JOINs, and a switch choosing the SQL text.
const (
	maxStmtDepth = 4 // nesting of loops, closures, branches and transactions
	maxSQLDepth  = 3 // nesting of subqueries and boolean operators
	tableCount   = 4 // tables t0..t3 in the schema

	maxORsLog2     = 12 // up to 4,096 ORs in a row
	maxJoinsLog2   = 8  // up to 256 JOINs
	maxSwitchCases = 41 // cases of a switch that picks a SQL text
)

// brokenKinds are the ways the generator breaks a package.
var brokenKinds = []string{"type error", "unused import", "unused variable", "undefined helper", "syntax error"}

// gen turns input bytes into choices: each pick takes the next byte, and
// 0 once the input is used up, so that every input gives a finite app.
type gen struct {
	in      []byte
	pos     int
	out     strings.Builder
	nvar    int // names declared so far, for fresh names
	helpers int // helper functions helper0..helperN-1
	broken  string
}

func (g *gen) pick(n int) int {
	if g.pos >= len(g.in) {
		return 0
	}
	b := g.in[g.pos]
	g.pos++
	return int(b) % n
}

func (g *gen) fresh(prefix string) string {
	g.nvar++
	return prefix + strconv.Itoa(g.nvar)
}

func (g *gen) printf(format string, args ...any) { fmt.Fprintf(&g.out, format, args...) }

// genApp generates the app for one fuzz input.
func genApp(in []byte) *fuzzApp { return generate(in, true) }

// generate generates the app for in; unless mayBreak, the app compiles
// even when in asks for it to be broken, and is otherwise the same.
func generate(in []byte, mayBreak bool) *fuzzApp {
	g := &gen{in: in}
	if g.pick(8) == 7 {
		g.broken = brokenKinds[g.pick(len(brokenKinds))]
	}
	if !mayBreak {
		g.broken = ""
	}
	app := &fuzzApp{broken: g.broken, schema: g.schema()}
	handlers := 1 + g.pick(6)
	g.helpers = g.pick(4)
	g.header()
	methods := make([]bool, handlers)
	g.printf("func register(mux *http.ServeMux, s *server) {\n")
	for i := range handlers {
		methods[i] = g.pick(3) == 0
		app.routes = append(app.routes, g.register(i, methods[i]))
	}
	g.printf("}\n\n")
	for i, method := range methods {
		g.handler(i, method)
	}
	for i := range g.helpers {
		g.printf("func helper%d(n int) int {\n", i)
		g.stmts("db", 0, true)
		g.printf("return n\n}\n\n")
	}
	g.printf("func (sqlStore) find(n int) int {\n")
	g.stmts("db", maxStmtDepth-1, true)
	g.printf("return n\n}\n\n")
	g.printf("func wrap(next http.Handler) http.Handler {\nreturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\nn := len(r.URL.Path)\n_ = n\n")
	g.stmts("db", maxStmtDepth-1, false)
	g.printf("next.ServeHTTP(w, r)\n})\n}\n")
	g.printf("\nvar _ = fmt.Sprintf\nvar _ = strconv.Itoa\nvar _ = strings.Join\nvar _ = context.Background\n")
	app.main = g.out.String()
	return app
}

// schema returns schema.sql: the tables, some indexes, and sometimes a
// statement the schema parser must skip.
func (g *gen) schema() string {
	var b strings.Builder
	for i := range tableCount {
		fmt.Fprintf(&b, "CREATE TABLE t%d (id BIGINT PRIMARY KEY, a BIGINT, b VARCHAR(64), owner_id BIGINT);\n", i)
		if g.pick(2) == 1 {
			fmt.Fprintf(&b, "CREATE INDEX idx_t%d_a ON t%d (a);\n", i, i)
		}
	}
	if g.pick(4) == 3 {
		b.WriteString(g.garbage() + ";\n")
	}
	return b.String()
}

// header writes the package clause, imports and the types and functions
// every app has.
func (g *gen) header() {
	imports := []string{"context", "database/sql", "fmt", "log", "net/http", "strconv", "strings"}
	if g.broken == "unused import" {
		imports = append(imports, "os")
	}
	g.printf("package main\n\nimport (\n")
	for _, p := range imports {
		g.printf("%q\n", p)
	}
	g.printf(")\n\n" + `var db *sql.DB

type server struct{ db *sql.DB }

type store interface{ find(n int) int }

type sqlStore struct{}

type memStore struct{}

func (memStore) find(n int) int { return n }

func each(n int, f func(int)) {
	for i := 0; i < n; i++ {
		f(i)
	}
}

func main() {
	var err error
	db, err = sql.Open("sqlite", "app.db")
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	register(mux, &server{db: db})
	log.Fatal(http.ListenAndServe(":8080", mux))
}

`)
}

// register writes the registration of handler i and returns its route.
func (g *gen) register(i int, method bool) string {
	path := fmt.Sprintf("/r%d", i)
	if g.pick(2) == 1 {
		path += "/{id}"
	}
	verb := []string{"", "GET", "POST", "PUT", "DELETE"}[g.pick(5)]
	pattern, key := path, "ANY "+path
	if verb != "" {
		pattern, key = verb+" "+path, verb+" "+path
	}
	h := fmt.Sprintf("h%d", i)
	if method {
		h = "s." + h
	}
	switch g.pick(6) {
	case 0:
		g.printf("mux.HandleFunc(%q, %s)\n", pattern, h)
	case 1:
		g.printf("http.HandleFunc(%q, %s)\n", pattern, h)
	case 2:
		g.printf("mux.HandleFunc(%q, func(w http.ResponseWriter, r *http.Request) { %s(w, r) })\n", pattern, h)
	case 3:
		g.printf("mux.Handle(%q, http.HandlerFunc(%s))\n", pattern, h)
	case 4:
		g.printf("mux.Handle(%q, wrap(http.HandlerFunc(%s)))\n", pattern, h)
	case 5:
		v := g.fresh("hf")
		g.printf("%s := %s\nmux.HandleFunc(%q, %s)\n", v, h, pattern, v)
	}
	return key
}

// handler writes handler i, a function or a method of *server.
func (g *gen) handler(i int, method bool) {
	db := "db"
	if method {
		db = "s.db"
		g.printf("func (s *server) h%d(w http.ResponseWriter, r *http.Request) {\n", i)
	} else {
		g.printf("func h%d(w http.ResponseWriter, r *http.Request) {\n", i)
	}
	g.printf("n := len(r.URL.Path)\n_ = n\n")
	if i == 0 {
		g.breakHandler()
	}
	g.stmts(db, 0, false)
	if !(i == 0 && g.broken == "syntax error") {
		g.printf("}\n\n")
	}
}

// breakHandler writes what makes the package broken, if it is to be.
func (g *gen) breakHandler() {
	switch g.broken {
	case "type error":
		g.printf("var bad int = %q\n_ = bad\n", "not a number")
	case "unused variable":
		g.printf("unused := n + 1\n")
	case "undefined helper":
		g.printf("_ = undefinedHelper(n)\n")
	}
}

// stmts writes a few statements using the database handle db (a *sql.DB
// or *sql.Tx expression); n is an int in scope. inHelper guards
// recursive helper calls.
func (g *gen) stmts(db string, depth int, inHelper bool) {
	for range g.pick(4) {
		g.stmt(db, depth, inHelper)
	}
}

func (g *gen) stmt(db string, depth int, inHelper bool) {
	kinds := 6
	if depth < maxStmtDepth {
		kinds = 15
	}
	switch g.pick(kinds) {
	case 0:
		g.query(db, depth, inHelper)
	case 1:
		g.printf("if _, err := %s.%s; err != nil {\nlog.Print(err)\n}\n", db, g.call("Exec", "ExecContext"))
	case 2:
		v := g.fresh("v")
		g.printf("var %s int\n_ = %s.%s.Scan(&%s)\n", v, db, g.call("QueryRow", "QueryRowContext"), v)
	case 3:
		st := g.fresh("st")
		g.printf("if %s, err := %s.Prepare(%s); err == nil {\n_, _ = %s.Exec(n)\n_ = %s.Close()\n}\n", st, db, g.sqlExpr(), st, st)
	case 4:
		g.helperCall(db, inHelper)
	case 5:
		s := g.fresh("store")
		g.printf("var %s store = sqlStore{}\nif n > 3 {\n%s = memStore{}\n}\n_ = %s.find(n)\n", s, s, s)
	case 6:
		g.printf("for _, id := range []int{1, 2, 3} {\n_ = id\n")
		g.stmts(db, depth+1, inHelper)
		g.printf("}\n")
	case 7:
		g.printf("for i := 0; i < n; i++ {\n")
		g.stmts(db, depth+1, inHelper)
		g.printf("}\n")
	case 8:
		g.printf("func() {\n")
		g.stmts(db, depth+1, inHelper)
		g.printf("}()\n")
	case 9:
		g.printf("go func() {\n")
		g.stmts(db, depth+1, inHelper)
		g.printf("}()\n")
	case 10:
		tx := g.fresh("tx")
		g.printf("if %s, err := db.Begin(); err == nil {\n", tx)
		g.stmts(tx, depth+1, inHelper)
		g.printf("_ = %s.Commit()\n}\n", tx)
	case 11:
		g.printf("if n%%2 == 0 {\n")
		g.stmts(db, depth+1, inHelper)
		g.printf("} else {\n")
		g.stmts(db, depth+1, inHelper)
		g.printf("}\n")
	case 12:
		g.printf("each(n, func(n int) {\n")
		g.stmts(db, depth+1, inHelper)
		g.printf("})\n")
	case 13:
		f := g.fresh("find")
		g.printf("%s := sqlStore{}.find\n_ = %s(n)\n", f, f)
	case 14:
		g.printf("defer func() {\n")
		g.stmts(db, depth+1, inHelper)
		g.printf("}()\n")
	}
}

// query writes a query whose rows are read in a loop.
func (g *gen) query(db string, depth int, inHelper bool) {
	rows := g.fresh("rows")
	g.printf("if %s, err := %s.%s; err == nil {\ndefer %s.Close()\nfor %s.Next() {\nvar id int\n_ = %s.Scan(&id)\n",
		rows, db, g.call("Query", "QueryContext"), rows, rows, rows)
	if depth < maxStmtDepth {
		g.stmts(db, depth+1, inHelper)
	}
	g.printf("}\n}\n")
}

// call returns a call of the plain method or its context variant on a
// SQL text, with arguments.
func (g *gen) call(plain, withContext string) string {
	args := []string{g.sqlExpr()}
	if g.pick(2) == 1 {
		args = append(args, "n")
	}
	if g.pick(2) == 1 {
		return withContext + "(context.Background(), " + strings.Join(args, ", ") + ")"
	}
	return plain + "(" + strings.Join(args, ", ") + ")"
}

// helperCall writes a call of a helper; inside helpers the call is
// guarded, as recursion would be.
func (g *gen) helperCall(db string, inHelper bool) {
	if g.helpers == 0 {
		g.printf("_, _ = %s.Exec(%s)\n", db, g.sqlExpr())
		return
	}
	k := g.pick(g.helpers)
	if inHelper {
		g.printf("if n > 0 {\n_ = helper%d(n - 1)\n}\n", k)
		return
	}
	g.printf("_ = helper%d(n)\n", k)
}

// sqlExpr returns a Go expression of type string holding SQL, built in
// one of the ways apps build it: a literal, a concatenation, a
// fmt.Sprintf, strings.Join, or a per-branch variable (declared by
// statements it writes first).
func (g *gen) sqlExpr() string {
	s := g.sql(0)
	k := 0
	if len(s) > 0 {
		k = g.pick(len(s) + 1)
	}
	switch g.pick(9) {
	case 1:
		return strconv.Quote(s[:k]) + " + " + strconv.Quote(s[k:])
	case 2:
		return fmt.Sprintf("fmt.Sprintf(%s, %s)", strconv.Quote(escapePercent(s[:k])+"%s"), strconv.Quote(s[k:]))
	case 3:
		return fmt.Sprintf("fmt.Sprintf(%s, n)", strconv.Quote(escapePercent(s)+" LIMIT %d"))
	case 4:
		v := g.fresh("q")
		g.printf("%s := %s\nif n%%2 == 0 {\n%s = %s\n}\n", v, strconv.Quote(s), v, strconv.Quote(g.sql(0)))
		return v
	case 5:
		v := g.fresh("q")
		cases := 2 + g.pick(maxSwitchCases-1)
		g.printf("%s := %s\nswitch n %% %d {\n", v, strconv.Quote(s), cases+1)
		for i := range cases {
			g.printf("case %d:\n%s = %s\n", i, v, strconv.Quote(g.sql(0)))
		}
		g.printf("}\n")
		return v
	case 6:
		v := g.fresh("q")
		g.printf("%s := %s\nif n > 1 {\n%s += %s\n}\n", v, strconv.Quote(s[:k]), v, strconv.Quote(s[k:]))
		return v
	case 7:
		return fmt.Sprintf("strings.Join([]string{%s, %s}, \"\")", strconv.Quote(s[:k]), strconv.Quote(s[k:]))
	case 8:
		// A raw string holds neither its quote, carriage returns, NUL, a BOM
		// nor invalid UTF-8.
		if utf8.ValidString(s) && !strings.ContainsAny(s, "`\r\x00\ufeff") {
			return "`" + strings.ReplaceAll(s, " WHERE ", "\n\tWHERE ") + "`"
		}
	}
	return strconv.Quote(s)
}

func escapePercent(s string) string { return strings.ReplaceAll(s, "%", "%%") }

// sql returns a statement from a small SQL grammar, or garbage.
func (g *gen) sql(depth int) string {
	switch g.pick(7) {
	case 1:
		return fmt.Sprintf("INSERT INTO %s (a, b, owner_id) VALUES (?, ?, ?)", g.table())
	case 2:
		return fmt.Sprintf("INSERT INTO %s (a, b) %s", g.table(), g.selectStmt(depth+1))
	case 3:
		return fmt.Sprintf("UPDATE %s SET a = ?, b = ?%s", g.table(), g.where(depth))
	case 4:
		return fmt.Sprintf("DELETE FROM %s%s", g.table(), g.where(depth))
	case 5:
		return g.garbage()
	case 6:
		return g.selectStmt(depth) + "; " + g.sql(maxSQLDepth)
	}
	return g.selectStmt(depth)
}

func (g *gen) selectStmt(depth int) string {
	var b strings.Builder
	b.WriteString("SELECT " + []string{"id", "*", "a, b", "COUNT(*)", "t0.id, t1.a"}[g.pick(5)])
	b.WriteString(" FROM " + g.table())
	joins := g.pick(3)
	if joins == 2 {
		joins = 1 << g.pick(maxJoinsLog2+1)
	}
	for range joins {
		t := g.table()
		fmt.Fprintf(&b, " %s %s ON %s.owner_id = %s.id", []string{"JOIN", "LEFT JOIN", "INNER JOIN"}[g.pick(3)], t, t, g.table())
	}
	b.WriteString(g.where(depth))
	if g.pick(3) == 2 {
		b.WriteString(" ORDER BY " + g.column() + " DESC")
	}
	if g.pick(3) == 2 {
		b.WriteString(" LIMIT 10")
	}
	return b.String()
}

func (g *gen) where(depth int) string {
	if g.pick(4) == 0 {
		return ""
	}
	return " WHERE " + g.pred(depth)
}

func (g *gen) pred(depth int) string {
	kinds := 4
	if depth < maxSQLDepth {
		kinds = 9
	}
	switch g.pick(kinds) {
	case 1:
		return g.column() + " IN (?, ?, ?)"
	case 2:
		return g.column() + " > ? AND " + g.column() + " LIKE ?"
	case 3:
		return g.column() + " IS NULL"
	case 4:
		return g.column() + " IN (SELECT id FROM " + g.table() + g.where(depth+1) + ")"
	case 5:
		return g.pred(depth+1) + " OR " + g.pred(depth+1)
	case 6:
		return "(" + g.pred(depth+1) + " AND " + g.pred(depth+1) + ")"
	case 7:
		return "EXISTS (" + g.selectStmt(depth+1) + ")"
	case 8:
		c := g.column()
		return "(" + strings.Repeat(c+" = ? OR ", 1<<g.pick(maxORsLog2+1)) + c + " = ?)"
	}
	return g.column() + " = ?"
}

func (g *gen) column() string {
	return []string{"id", "a", "b", "owner_id", "t0.a", "missing_col"}[g.pick(6)]
}

// table is a schema table, mostly, or one the schema lacks.
func (g *gen) table() string {
	if i := g.pick(tableCount + 1); i < tableCount {
		return "t" + strconv.Itoa(i)
	}
	return "ghost"
}

// garbage returns up to 24 raw input bytes.
func (g *gen) garbage() string {
	n := g.pick(25)
	end := min(g.pos+n, len(g.in))
	s := string(g.in[g.pos:end])
	g.pos = end
	return s
}
