package render

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
)

func TestMarkdownGolden(t *testing.T) {
	golden(t, "fixture.md", renderFormat(t, Markdown, fixtureReport()))
}

// mdOutsideCode returns the lines of a Markdown document that are not in a
// fenced code block, and the lines that are.
func mdOutsideCode(doc string) (outside, inside []string) {
	open := "" // the fence of the open code block
	for _, line := range strings.Split(doc, "\n") {
		switch {
		case open == "" && strings.HasPrefix(line, "```"):
			open = line[:len(line)-len(strings.TrimLeft(line, "`"))]
		case open != "" && strings.Trim(line, "`") == "" && len(line) >= len(open):
			open = ""
		case open != "":
			inside = append(inside, line)
		default:
			outside = append(outside, line)
		}
	}
	return outside, inside
}

func TestMarkdownEscaping(t *testing.T) {
	r := fixtureReport()
	r.Routes = append(r.Routes, &graph.Route{
		Method: "GET", Path: "/a|b/`x`/*y*", Handler: "h|<b>", Pos: "main.go:50:2",
		Tables: []*graph.TableOps{{Table: "items", Ops: []graph.Op{graph.Select}}},
	})
	out := string(renderFormat(t, Markdown, r))
	outside, inside := mdOutsideCode(out)
	for _, line := range outside {
		if strings.Contains(strings.ToLower(line), "<script") || strings.Contains(line, "<b>") {
			t.Errorf("raw HTML from the analysed code outside a code block: %q", line)
		}
	}
	if !strings.Contains(strings.Join(inside, "\n"), "note <> '<script>'") {
		t.Errorf("the SQL in a code block was escaped or is missing")
	}
	if !strings.Contains(out, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the <script> route path is missing, escaped as text")
	}

	// The matrix row of the route with '|' has one cell per column.
	unescapedPipe := regexp.MustCompile(`(^|[^\\])\|`)
	var row, header string
	for _, line := range outside {
		if strings.HasPrefix(line, "| Route | items |") {
			header = line
		}
		if strings.Contains(line, "/a&#124;b/") && strings.HasPrefix(line, "| <code>") && row == "" {
			row = line
		}
	}
	if header == "" || row == "" {
		t.Fatalf("matrix header or row not found:\n%s", out)
	}
	if got, want := len(unescapedPipe.FindAllString(row, -1)), len(unescapedPipe.FindAllString(header, -1)); got != want {
		t.Errorf("row %q has %d cell separators, the header %d", row, got, want)
	}
	for _, bad := range []string{"`x`", "*y*"} {
		if strings.Contains(strings.Join(outside, "\n"), bad) {
			t.Errorf("%q from the analysed code is not escaped", bad)
		}
	}
}

func TestMarkdownLoopMarksAndLegend(t *testing.T) {
	out := string(renderFormat(t, Markdown, fixtureReport()))
	for _, want := range []string{
		"| Route | items | sessions | users |\n| --- | :-: | :-: | :-: |\n",
		"| <code>GET /api/items/:id</code> | R | R | R\\* |\n",
		"| <code>POST /api/items</code> | CU |  |  |\n",
		"`*` after a letter: the operation runs once per loop iteration (N+1)",
		"r1 -->|R*| t_users\n",
		"linkStyle 2 stroke:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown report lacks %q", want)
		}
	}
}

func TestMarkdownSectionOrder(t *testing.T) {
	out := string(renderFormat(t, Markdown, fixtureReport()))
	last := -1
	for _, h := range []string{
		"# crudmap: example.com/shop\n", "## Findings\n", "### N+1 queries\n", "### Unindexed predicates\n",
		"### Read-only transactions\n", "## CRUD matrix\n", "## Routes\n", "## Indexes\n",
		"## Cache candidates\n", "## Graph\n", "## Notes\n",
	} {
		i := strings.Index(out, h)
		if i < 0 || i < last {
			t.Errorf("heading %q missing or out of order", h)
		}
		last = i
	}
	for _, absent := range []string{"### Schema drift", "### SQL the parser rejected", "### Suppressions", "<details open>"} {
		if strings.Contains(out, absent) {
			t.Errorf("Markdown report has %q, which has nothing to show", absent)
		}
	}
}

func TestMarkdownSuggestionsDeduplicated(t *testing.T) {
	r := fixtureReport()
	r.Findings = append(r.Findings,
		&graph.Finding{Kind: graph.KindUnindexed, Pos: "b.go:1:1", Table: "sessions",
			Suggestion: "ALTER TABLE sessions ADD INDEX idx_sessions_token (token);"},
		&graph.Finding{Kind: graph.KindUnindexed, Pos: "c.go:1:1", Table: "items",
			Suggestion: "ALTER TABLE items ADD INDEX idx_items_name (name);"})
	out := string(renderFormat(t, Markdown, r))
	want := "```sql\nALTER TABLE items ADD INDEX idx_items_name (name);\n" +
		"ALTER TABLE sessions ADD INDEX idx_sessions_token (token);\n```\n"
	if !strings.Contains(out, want) {
		t.Errorf("Markdown report lacks the suggestions block\n%s", want)
	}
}

func TestMarkdownFenceSafety(t *testing.T) {
	r := fixtureReport()
	r.Queries[0].SQL = "SELECT 1 -- ```\n```\n</details>"
	out := string(renderFormat(t, Markdown, r))
	if !strings.Contains(out, "````sql\nSELECT 1 -- ```\n```\n</details>\n````\n") {
		t.Errorf("SQL holding ``` is not in a longer fence:\n%s", out)
	}
	_, inside := mdOutsideCode(out)
	if !strings.Contains(strings.Join(inside, "\n"), "</details>") {
		t.Errorf("the SQL's </details> left its code block")
	}
}

func TestMarkdownManyRoutesCollapse(t *testing.T) {
	r := fixtureReport()
	for range mdCollapseRoutes {
		r.Routes = append(r.Routes, r.Routes[0])
	}
	out := string(renderFormat(t, Markdown, r))
	if !strings.Contains(out, "<details open><summary>28 routes × 3 tables</summary>\n\n| Route |") {
		t.Errorf("matrix of %d routes is not collapsible", len(r.Routes))
	}
}

func TestMarkdownNoRoutes(t *testing.T) {
	out := string(renderFormat(t, Markdown, &graph.Report{Module: "m"}))
	want := "# crudmap: m\n\nNo HTTP routes found.\n\n## Findings\n\nNo findings.\n\n## Indexes\n\nNo schema file was read, so no index is known.\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestMermaid(t *testing.T) {
	r := &graph.Report{Module: "m", Routes: []*graph.Route{
		{Method: "GET", Path: `/a"b#c<d>`, Tables: []*graph.TableOps{
			{Table: "db.t", Ops: []graph.Op{graph.Select}},
			{Table: "db_t", Ops: []graph.Op{graph.Delete, graph.Insert}, LoopOps: []graph.Op{graph.Insert}},
			{Table: "end", Ops: []graph.Op{graph.Update}},
		}},
	}}
	out := string(renderFormat(t, Markdown, r))
	want := "```mermaid\ngraph LR\n" +
		"  t_db_t[(\"db.t\")]\n" +
		"  t_db_t_2[(\"db_t\")]\n" +
		"  t_end[(\"end\")]\n" +
		"  r1[\"GET /a#quot;b#35;c#lt;d#gt;\"]\n" +
		"  r1 -->|R| t_db_t\n" +
		"  r1 -->|C*D| t_db_t_2\n" +
		"  r1 -->|U| t_end\n" +
		"  linkStyle 1 stroke:#d73a49,stroke-width:2px\n```\n"
	if !strings.Contains(out, want) {
		t.Errorf("Markdown report lacks the graph\n%s\ngot\n%s", want, out)
	}
}

func TestDeterminism(t *testing.T) {
	for _, f := range []Format{Text, Markdown, JSON} {
		first := renderFormat(t, f, fixtureReport())
		for range 5 {
			if got := renderFormat(t, f, fixtureReport()); string(got) != string(first) {
				t.Errorf("%s: two renderings of the same report differ", f)
			}
		}
	}
}

func TestMermaidTooLarge(t *testing.T) {
	r := &graph.Report{Module: "m"}
	for i := range mermaidMaxEdges + 1 {
		r.Routes = append(r.Routes, &graph.Route{Method: "GET", Path: fmt.Sprint("/", i),
			Tables: []*graph.TableOps{{Table: "t", Ops: []graph.Op{graph.Select}}}})
	}
	out := string(renderFormat(t, Markdown, r))
	if strings.Contains(out, "```mermaid") || !strings.Contains(out, "The graph (501 edges) is larger than Mermaid draws") {
		t.Errorf("a graph of %d edges is drawn, or its absence unexplained", mermaidMaxEdges+1)
	}
}
