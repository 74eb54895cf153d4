package render

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render/svg"
)

// appReport is a report of n routes shaped as the analyzer's report of
// its generated benchmark app (analyzer.GenerateLargeApp): per handler set,
// GET one, GET a list that loops over a helper, and POST that loops over
// an audit insert, through handler methods, a helper and a repository, on
// a table of its own and the shared users and audit tables.
func appReport(n int) *graph.Report {
	r := &graph.Report{Module: "example.com/large"}
	tables := map[string]bool{"users": true, "audit": true}
	fn := func(id, kind string) string {
		r.Functions = append(r.Functions, &graph.Function{ID: id, Pos: id + ".go:1:1", Kind: kind})
		return "func:" + id
	}
	edge := func(from, to string, op graph.Op, loop bool) {
		r.Edges = append(r.Edges, &graph.Edge{From: from, To: to, Op: op, Loop: loop})
	}
	for set := 0; 3*set < n; set++ {
		p, f := set/34, set%34
		t := fmt.Sprintf("t%d_%d", p, f)
		tables[t] = true
		h := fmt.Sprintf("p%d.handler%d.", p, f)
		repo := fmt.Sprintf("p%d.repo%d.", p, f)
		get, list, create := fn(h+"get", "handler"), fn(h+"list", "handler"), fn(h+"create", "handler")
		fill, find, owner := fn(h+"fill", ""), fn(repo+"find", ""), fn(repo+"owner", "")
		edge(get, find, "", false)
		edge(get, fill, "", false)
		edge(list, fill, "", true)
		edge(list, "table:"+t, graph.Select, false)
		edge(fill, owner, "", false)
		edge(find, "table:"+t, graph.Select, false)
		edge(owner, "table:users", graph.Select, false)
		edge(create, "table:"+t, graph.Insert, false)
		edge(create, "table:audit", graph.Insert, true)
		routes := []struct {
			method, path, handler string
			tables                []*graph.TableOps
		}{
			{"GET", fmt.Sprintf("/p%d/t%d/{id}", p, f), get, []*graph.TableOps{
				{Table: t, Ops: []graph.Op{graph.Select}}, {Table: "users", Ops: []graph.Op{graph.Select}}}},
			{"GET", fmt.Sprintf("/p%d/t%d", p, f), list, []*graph.TableOps{
				{Table: t, Ops: []graph.Op{graph.Select}},
				{Table: "users", Ops: []graph.Op{graph.Select}, LoopOps: []graph.Op{graph.Select}}}},
			{"POST", fmt.Sprintf("/p%d/t%d", p, f), create, []*graph.TableOps{
				{Table: "audit", Ops: []graph.Op{graph.Insert}, LoopOps: []graph.Op{graph.Insert}},
				{Table: t, Ops: []graph.Op{graph.Insert}}}},
		}
		for _, rt := range routes[:min(3, n-3*set)] {
			route := &graph.Route{Method: rt.method, Path: rt.path, Handler: rt.handler[len("func:"):], Tables: rt.tables}
			r.Routes = append(r.Routes, route)
			edge("route:"+route.Key(), rt.handler, "", false)
		}
	}
	for name := range tables {
		r.Tables = append(r.Tables, &graph.Table{Name: name})
	}
	return r
}

// BenchmarkGraphLayout5000 draws the call graph of 5,000 routes: DOT, then
// the Graphviz layout as crudmap-svg runs it.
func BenchmarkGraphLayout5000(b *testing.B) {
	r := appReport(5000)
	for i := 0; i < b.N; i++ {
		var dot bytes.Buffer
		if err := writeDOT(&dot, r, Options{}); err != nil {
			b.Fatal(err)
		}
		if _, err := svg.Render(dot.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCallGraphBound checks the bounds of the drawn call graph: a report
// whose functions make the graph too large is drawn routes straight to
// tables, and one with too many routes for that draws those with a
// per-iteration query first; the DOT says so in a comment and in its
// legend, and the HTML page among its notes.
func TestCallGraphBound(t *testing.T) {
	nodeLine := regexp.MustCompile(`(?m)^\t+".*" \[id="n\d+"`)
	for _, c := range []struct {
		routes, drawn int
	}{
		{300, 300}, // 900 functions: drawn without them
		// Drawn without functions, and only the routes that fit: a handler
		// set's two routes with a per-iteration query and their table are 3
		// nodes, and users and audit 2 more: 199 sets in 600 nodes.
		{5000, 398},
	} {
		r := appReport(c.routes)
		dot := dotOf(t, r, "compact")
		nodes, edges := len(nodeLine.FindAllString(dot, -1)), strings.Count(dot, " -> ")
		if nodes > maxGraphNodes || edges > maxGraphEdges {
			t.Errorf("%d routes: DOT has %d nodes and %d edges, above the bound of %d and %d", c.routes, nodes, edges, maxGraphNodes, maxGraphEdges)
		}
		g := newCallGraph(r, "compact")
		if !strings.Contains(dot, "// note: "+g.note+"\n") || !strings.Contains(dot, "the call graph draws routes straight to their tables") {
			t.Errorf("%d routes: the DOT does not say how it was bounded:\n%s", c.routes, dot[:min(len(dot), 2000)])
		}
		if shows := fmt.Sprintf("shows %d of the %d routes", c.drawn, c.routes); (c.drawn < c.routes) != strings.Contains(g.note, shows) {
			t.Errorf("%d routes: note %q, want %q in it only when routes are left out", c.routes, g.note, shows)
		}
		checkRouteTableEdges(t, r, g, c.drawn)
	}
	r := appReport(300)
	note := newCallGraph(r, "compact").note
	if page := renderFormat(t, HTML, r); !bytes.Contains(page, []byte("<li>"+html.EscapeString(note)+"</li>")) ||
		!bytes.Contains(page, []byte(`<p class="hint">Note: `+html.EscapeString(note)+".</p>")) {
		t.Errorf("the HTML page does not say how the graph was bounded: %q", note)
	}
	if g := newCallGraph(fixtureReport(), "compact"); g.note != "" {
		t.Errorf("a small graph has a note: %s", g.note)
	}
}

// checkRouteTableEdges checks that g draws drawn routes of r, those with a
// per-iteration operation first, each with one edge per table of
// Route.Tables, labelled with its operation letters, and no function.
func checkRouteTableEdges(t *testing.T, r *graph.Report, g *callGraph, drawn int) {
	t.Helper()
	want := make(map[string]bool)
	routes := 0
	for _, rt := range r.Routes {
		if g.byID["route:"+rt.Key()] == nil {
			continue
		}
		routes++
		if !hasLoopOp(rt) && drawn < len(r.Routes) {
			t.Errorf("route %s drawn before routes with a per-iteration query", rt.Key())
		}
		for _, tb := range rt.Tables {
			want[fmt.Sprintf("route:%s -> table:%s %s %v", rt.Key(), tb.Table, opLetters(tb, "*"), len(tb.LoopOps) > 0)] = true
		}
	}
	if routes != drawn {
		t.Errorf("%d routes drawn, want %d", routes, drawn)
	}
	got := make(map[string]bool)
	for _, e := range g.edges {
		got[fmt.Sprintf("%s -> %s %s %v", e.from, e.to, e.letters, e.loop)] = true
	}
	if !maps.Equal(got, want) {
		t.Errorf("%d edges, want %d, one per route and table", len(got), len(want))
	}
	for _, n := range g.nodes {
		if n.kind == nodeFunc {
			t.Errorf("function %s drawn", n.name)
		}
	}
}

// TestLayoutOnce checks that LayoutOnce lays out each of the last two DOT
// graphs once, lays out a new one, and does not remember a failure.
func TestLayoutOnce(t *testing.T) {
	calls := 0
	fail := true
	layout := LayoutOnce(func(dot []byte) ([]byte, error) {
		calls++
		if fail {
			return nil, errors.New("no engine")
		}
		return append([]byte("svg of "), dot...), nil
	})
	if _, err := layout([]byte("a")); err == nil {
		t.Fatal("the failure is lost")
	}
	fail = false
	for _, dot := range []string{"a", "a", "b", "b", "a", "c", "a", "b"} {
		if svg, err := layout([]byte(dot)); err != nil || string(svg) != "svg of "+dot {
			t.Errorf("layout(%s) = %q, %v", dot, svg, err)
		}
	}
	if calls != 5 {
		t.Errorf("%d layouts, want 5 (a failed, a, b, c, then b again, the oldest of three)", calls)
	}
}

// TestMatrixBound checks that a CRUD matrix of more than maxMatrixCells
// cells becomes, in the HTML and Markdown reports, one row per route
// holding only the tables it touches.
func TestMatrixBound(t *testing.T) {
	r := appReport(5000)
	pairs := 0
	for _, rt := range r.Routes {
		pairs += len(rt.Tables)
	}
	tables := len(matrixTables(r.Routes))
	if len(r.Routes)*tables <= maxMatrixCells {
		t.Fatalf("the matrix has %d cells, not above the bound", len(r.Routes)*tables)
	}
	page := string(renderFormat(t, HTML, r))
	if !strings.Contains(page, fmt.Sprintf("The matrix would have 5000 routes × %d tables: each route lists the tables it touches.", tables)) {
		t.Error("the HTML page does not say why the matrix is a list")
	}
	if n := strings.Count(page, "<td data-table="); n != pairs {
		t.Errorf("the HTML matrix has %d cells, want one per route and table it touches, %d", n, pairs)
	}
	if !strings.Contains(page, `<td data-table="users">users <span class="op op-R loop"`) {
		t.Error("the HTML matrix's list does not name each table before its letters")
	}
	md := string(renderFormat(t, Markdown, r))
	if strings.Contains(md, "| Route |") || !strings.Contains(md, "- `GET /p0/t0`: t0_0 R, users R\\*\n") {
		t.Errorf("the Markdown matrix is not one row per route:\n%s", md[:min(len(md), 3000)])
	}
}
