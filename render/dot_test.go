package render

import (
	"bytes"
	"github.com/crudmap/crudmap/render/svg"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
)

func dotOf(t *testing.T, r *graph.Report, mode string) string {
	t.Helper()
	var b bytes.Buffer
	if err := writeDOT(&b, r, Options{Graph: mode}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestDOTGolden(t *testing.T) {
	golden(t, "fixture-compact.dot", []byte(dotOf(t, fixtureReport(), "compact")))
	golden(t, "fixture-full.dot", []byte(dotOf(t, fixtureReport(), "full")))
	if dotOf(t, fixtureReport(), "") != dotOf(t, fixtureReport(), "compact") {
		t.Error(`Graph "" does not default to compact`)
	}
}

// TestDOTDeterministic checks that the order of the report's lists does not
// change the DOT.
func TestDOTDeterministic(t *testing.T) {
	for _, mode := range []string{"compact", "full"} {
		want := dotOf(t, fixtureReport(), mode)
		r := fixtureReport()
		slices.Reverse(r.Routes)
		slices.Reverse(r.Functions)
		slices.Reverse(r.Edges)
		slices.Reverse(r.Tables)
		if got := dotOf(t, r, mode); got != want {
			t.Errorf("%s: DOT depends on the order of the report's lists:\n%s", mode, goldenDiff([]byte(want), []byte(got)))
		}
	}
}

// TestCallGraphCompact checks which functions compact mode drops and how it
// joins their edges.
func TestCallGraphCompact(t *testing.T) {
	ids := func(g *callGraph) []string {
		var s []string
		for _, n := range g.nodes {
			s = append(s, n.id)
		}
		return s
	}
	full := newCallGraph(fixtureReport(), "full")
	compact := newCallGraph(fixtureReport(), "compact")
	if !slices.Contains(ids(full), "func:fillItems") {
		t.Errorf("full graph lacks fillItems: %q", ids(full))
	}
	// fillItems has one call in (getItem), one call out (fillUser) and no
	// table: a pass-through. Every other function stays.
	if got, want := len(ids(compact)), len(ids(full))-1; got != want || slices.Contains(ids(compact), "func:fillItems") {
		t.Errorf("compact nodes = %q, want the full graph's without fillItems", ids(compact))
	}
	var joined *cgEdge
	for _, e := range compact.edges {
		if e.from == "func:getItem" && e.to == "func:fillUser" {
			joined = e
		}
		if e.from == "func:fillItems" || e.to == "func:fillItems" {
			t.Errorf("compact graph keeps edge %s -> %s", e.from, e.to)
		}
	}
	if joined == nil || !joined.loop || joined.op != "" {
		t.Errorf("compact graph: getItem -> fillUser = %+v, want a call per iteration", joined)
	}
	if len(compact.edges) != len(full.edges)-1 {
		t.Errorf("compact has %d edges, full %d; want one fewer", len(compact.edges), len(full.edges))
	}

	// A chain of pass-throughs collapses to one edge; a handler and a
	// function with a table edge stay.
	r := &graph.Report{
		Routes:    []*graph.Route{{Method: "GET", Path: "/x", Handler: "h"}},
		Functions: []*graph.Function{{ID: "h", Kind: "handler"}, {ID: "a"}, {ID: "b"}, {ID: "c"}},
		Edges: []*graph.Edge{
			{From: "route:GET /x", To: "func:h"},
			{From: "func:h", To: "func:a"},
			{From: "func:a", To: "func:b", Loop: true},
			{From: "func:b", To: "func:c"},
			{From: "func:c", To: "table:t", Op: graph.Delete},
		},
	}
	g := newCallGraph(r, "compact")
	if got := ids(g); !slices.Equal(got, []string{"route:GET /x", "func:c", "func:h", "table:t"}) {
		t.Errorf("chain: nodes = %q", got)
	}
	if len(g.edges) != 3 || g.edges[1].from != "func:h" || g.edges[1].to != "func:c" || !g.edges[1].loop {
		t.Errorf("chain: edges = %v", g.edges)
	}
}

// TestDOTStyles checks the drawing conventions on the fixture.
func TestDOTStyles(t *testing.T) {
	dot := dotOf(t, fixtureReport(), "full")
	line := func(prefix string) string {
		t.Helper()
		for _, l := range strings.Split(dot, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), prefix) {
				return l
			}
		}
		t.Fatalf("no line starts with %s in\n%s", prefix, dot)
		return ""
	}
	for _, c := range []struct{ prefix, want string }{
		{`"route:GET /api/items/:id" [`, "shape=box"},
		{`"func:getItem" [`, "shape=ellipse"},
		{`"table:items" [`, "shape=cylinder"},
		{`"table:items" [`, `label="items"`},
		{`"table:users" [`, `label="users\n(read-only)"`},
		{`"table:users" [`, "peripheries=2"},
		{`"table:users" [`, "dashed"},
		{`"func:fillItems" -> "func:fillUser"`, `label="per iteration"`},
		{`"func:fillItems" -> "func:fillUser"`, "style=bold"},
		{`"func:getItem" -> "table:items"`, `color="` + dotOpColor[graph.Select] + `"`},
		{`"func:Handler.postItem" -> "table:items" [id="e0"`, `color="` + dotOpColor[graph.Insert] + `"`},
		{`"func:Handler.postItem" -> "table:items" [id="e1"`, `color="` + dotOpColor[graph.Update] + `"`},
		{"graph [", "rankdir=LR"},
	} {
		if l := line(c.prefix); !strings.Contains(l, c.want) {
			t.Errorf("%s: want %s in\n%s", c.prefix, c.want, l)
		}
	}
	if strings.Contains(line(`"table:items" [`), "read-only") {
		t.Error("items is written and yet marked read-only")
	}
	colours := map[string]bool{dotCallColor: true}
	for _, op := range graph.Ops {
		colours[opColor(op)] = true
	}
	if len(colours) != len(graph.Ops)+1 {
		t.Errorf("operations and calls do not have one colour each: %v", colours)
	}
	for _, want := range []string{"rank=source;", "rank=sink;", "subgraph cluster_"} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %s", want)
		}
	}
	// Routes in the source rank, tables in the sink rank.
	src := dot[strings.Index(dot, "rank=source;"):]
	src = src[:strings.Index(src, "}")]
	sink := dot[strings.Index(dot, "rank=sink;"):]
	sink = sink[:strings.Index(sink, "}")]
	if strings.Count(src, `"route:`) != 3 || strings.Contains(src, `"func:`) {
		t.Errorf("source rank:\n%s", src)
	}
	if strings.Count(sink, `"table:`) != 3 || strings.Contains(sink, `"func:`) {
		t.Errorf("sink rank:\n%s", sink)
	}
}

// TestDOTEscaping checks that names from the analysed code are quoted so
// that Graphviz reads them back exactly, and that labels show them as they
// are.
func TestDOTEscaping(t *testing.T) {
	dot := dotOf(t, fixtureReport(), "compact")
	if !strings.Contains(dot, `"route:GET /<script>alert(1)</script>" [`) ||
		!strings.Contains(dot, `label="GET /<script>alert(1)</script>"`) {
		t.Errorf("the <script> route is not a quoted node name and label:\n%s", dot)
	}

	// Each path, and the node name Graphviz reads back: a lone backslash
	// before a quote or the end cannot be quoted in DOT and is doubled;
	// control characters and hidden runes are Go escapes (XML forbids most,
	// and a NUL would end the string); everything else is exact.
	paths := []struct{ path, name string }{
		{`/q"uote`, `/q"uote`},
		{`/back\slash/{id:\d+}`, `/back\slash/{id:\d+}`},
		{`/trailing\`, `/trailing\\`},
		{`/two\\`, `/two\\`},
		{`/quote-after-backslash\"x`, `/quote-after-backslash\\"x`},
		{`/escapes\N\G\l\n`, `/escapes\N\G\l\n`},
		{"/new\nline", `/new\nline`},
		{"/tab\there", `/tab\there`},
		{"/esc\x1b[31m/nul\x00/del\x7f/csi\u009b", `/esc\x1b[31m/nul\x00/del\x7f/csi\u009b`},
		{"/bidi\u202e\u2066\u200f/bad\xff/nonchar\uffff", `/bidi\u202e\u2066\u200f/bad\xff/nonchar\uffff`},
		{`/unicode/日本語`, `/unicode/日本語`},
	}
	r := &graph.Report{}
	for _, p := range paths {
		rt := &graph.Route{Method: "GET", Path: p.path, Handler: "h"}
		r.Routes = append(r.Routes, rt)
		r.Edges = append(r.Edges, &graph.Edge{From: "route:" + rt.Key(), To: `func:f"\`})
		r.Edges = append(r.Edges, &graph.Edge{From: `func:f"\`, To: `table:t\`, Op: graph.Select})
	}
	dot = dotOf(t, r, "full")
	svg, err := svg.Render([]byte(dot))
	if err != nil {
		t.Fatalf("Graphviz rejects the DOT: %v\n%s", err, dot)
	}
	if err := checkXML(svg); err != nil {
		t.Errorf("SVG is not well-formed XML: %v", err)
	}
	titles := make(map[string]bool)
	for _, m := range regexp.MustCompile(`(?s)class="node[^"]*">\n<title>(.*?)</title>`).FindAllStringSubmatch(string(svg), -1) {
		titles[html.UnescapeString(m[1])] = true
	}
	texts := make(map[string]bool)
	for _, m := range regexp.MustCompile(`<text[^>]*>(.*?)</text>`).FindAllStringSubmatch(string(svg), -1) {
		texts[strings.ReplaceAll(html.UnescapeString(m[1]), "\u00a0", " ")] = true
	}
	if len(titles) != len(paths)+2 {
		t.Errorf("%d nodes, want %d: %v", len(titles), len(paths)+2, titles)
	}
	for _, p := range paths {
		if !titles["route:GET "+p.name] {
			t.Errorf("no node named %q; names: %v", "route:GET "+p.name, titles)
		}
		if label := "GET " + oneLine(p.path); !texts[label] {
			t.Errorf("no label %q; labels: %v", label, texts)
		}
	}
	for _, name := range []string{`func:f"\\`, `table:t\\`} {
		if !titles[name] {
			t.Errorf("no node named %q; names: %v", name, titles)
		}
	}
	if !texts[`f"\`] || !texts[`t\`] {
		t.Errorf(`labels f"\ and t\ missing: %v`, texts)
	}
}

func TestDOTQuote(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`plain`, `"plain"`},
		{`a"b`, `"a\"b"`},
		{`a\b`, `"a\b"`},
		{`a\`, `"a\\"`},
		{`a\"`, `"a\\\""`},
		{`a\\"`, `"a\\\""`},
		{"a\\\nb", `"a\\nb"`},
		{"bad\xffutf8", `"bad\xffutf8"`},
		{"nul\x00", `"nul\x00"`},
	} {
		if got := dotQuote(c.in); got != c.want {
			t.Errorf("dotQuote(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{`a\n`, `"a\\n"`},
		{"two\nlines", `"two\nlines"`},
		{"tab\t", `"tab\\t"`},
	} {
		if got := dotLabel(c.in); got != c.want {
			t.Errorf("dotLabel(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestDOTTables checks the graph drawn by table: no function, the routes
// that only read in the source rank, those that write in the sink rank and
// the head of their edges (drawn back to the table), one edge per route
// and table in the colour of its most destructive operation, bold when it
// runs per iteration.
func TestDOTTables(t *testing.T) {
	dot := dotOf(t, fixtureReport(), GraphTables)
	golden(t, "fixture-tables.dot", []byte(dot))
	if strings.Contains(dot, `"func:`) || strings.Contains(dot, "cluster_") {
		t.Errorf("the graph drawn by table has functions or route groups:\n%s", dot)
	}
	rank := func(name string) string {
		t.Helper()
		i := strings.Index(dot, "subgraph "+name+" {")
		if i < 0 {
			t.Fatalf("no subgraph %s in\n%s", name, dot)
		}
		return dot[i : i+strings.Index(dot[i:], "}")]
	}
	if r := rank("readers"); !strings.Contains(r, "rank=source;") || !strings.Contains(r, `"route:GET /api/items/:id"`) || strings.Count(r, `"route:`) != 1 {
		t.Errorf("readers:\n%s", r)
	}
	if r := rank("writers"); !strings.Contains(r, "rank=sink;") || !strings.Contains(r, `"route:POST /api/items"`) || strings.Count(r, `"route:`) != 1 {
		t.Errorf("writers:\n%s", r)
	}
	if r := rank("tables"); strings.Contains(r, "rank=") || strings.Count(r, `"table:`) != 3 {
		t.Errorf("tables:\n%s", r)
	}
	for _, want := range []string{
		`"route:GET /api/items/:id" -> "table:users" [id="e2", class="op-select loop", color="` + dotOpColor[graph.Select] + `", style=bold, penwidth=2.5, tooltip="GET /api/items/:id → users: R*"];`,
		`"table:items" -> "route:POST /api/items" [id="e3", class="op-update", color="` + dotOpColor[graph.Update] + `", dir=back, tooltip="POST /api/items → items: CU"];`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks\n%s\nin\n%s", want, dot)
		}
	}
	if n := strings.Count(dot, " -> "); n != 4 {
		t.Errorf("%d edges, want 4: one per route and table", n)
	}
	if _, err := svg.Render([]byte(dot)); err != nil {
		t.Errorf("Graphviz rejects the DOT: %v", err)
	}
}
