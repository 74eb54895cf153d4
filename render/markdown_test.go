package render

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

func TestMarkdownGolden(t *testing.T) {
	golden(t, "fixture.md", renderFormat(t, Markdown, fixtureReport()))
	golden(t, "fixture-full.md", renderMarkdown(t, fixtureReport(), true))
}

// renderMarkdown renders r as Markdown, full or not.
func renderMarkdown(t *testing.T, r *graph.Report, full bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, Markdown, r, Options{MarkdownFull: full}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// allowedRawHTML is the raw HTML the Markdown report may hold: <details>
// blocks with a text <summary>.
var allowedRawHTML = regexp.MustCompile(`^(<details><summary>[^<>]*</summary>|</details>)\n*$`)

// mdRawHTML parses doc as GitHub-flavoured Markdown with goldmark and
// returns its raw HTML, the blocks and inline tags that a renderer passes
// through as they are, and the HTML goldmark renders.
func mdRawHTML(t *testing.T, doc []byte) (raw []string, html string) {
	t.Helper()
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	root := md.Parser().Parse(text.NewReader(doc))
	err := ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.HTMLBlock:
			raw = append(raw, string(n.Text(doc)))
		case *ast.RawHTML:
			raw = append(raw, string(n.Segments.Value(doc)))
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, doc, root); err != nil {
		t.Fatal(err)
	}
	return raw, buf.String()
}

// checkMDRawHTML fails when doc holds raw HTML other than <details> and
// <summary>, and returns the HTML goldmark renders.
func checkMDRawHTML(t *testing.T, name string, doc []byte) string {
	t.Helper()
	raw, html := mdRawHTML(t, doc)
	for _, r := range disallowedHTML(raw) {
		t.Errorf("%s: raw HTML other than <details>/<summary>: %q", name, r)
	}
	return html
}

// disallowedHTML returns the pieces of raw HTML other than <details> and
// <summary>.
func disallowedHTML(raw []string) []string {
	var bad []string
	for _, r := range raw {
		if !allowedRawHTML.MatchString(r) {
			bad = append(bad, r)
		}
	}
	return bad
}

func TestDisallowedHTML(t *testing.T) {
	doc := "<details><summary>3 routes</summary>\n\n- `a<b>` <code>x</code>\n\n| a |\n| - |\n| x<br>y |\n\n</details>\n\n<div>\nz\n</div>\n"
	raw, _ := mdRawHTML(t, []byte(doc))
	got := disallowedHTML(raw)
	want := []string{"<code>", "</code>", "<br>", "<div>\nz\n</div>\n"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("disallowed HTML = %q, want %q", got, want)
	}
}

// escapingReport is the fixture with a route, a handler and a finding
// whose names hold Markdown and HTML syntax.
func escapingReport() *graph.Report {
	r := fixtureReport()
	r.Routes = append(r.Routes, &graph.Route{
		Method: "GET", Path: "/a|b/`x`/*y*<i>", Handler: "h|<b>", Pos: "main.go:50:2",
		Tables:  []*graph.TableOps{{Table: "items", Ops: []graph.Op{graph.Select}}},
		Queries: []string{"q2"},
	})
	r.Findings = append(r.Findings, &graph.Finding{Kind: graph.KindSchema, Severity: graph.Warning, Pos: "x.go:1:1",
		Func: "f<b>`", Message: "table <img src=x> is not in the schema", Route: "GET /a|b/`x`/*y*<i>", Fix: "add <u>it</u>"})
	return r
}

func TestMarkdownEscaping(t *testing.T) {
	for _, full := range []bool{false, true} {
		out := renderMarkdown(t, escapingReport(), full)
		html := checkMDRawHTML(t, fmt.Sprintf("full=%v", full), out)
		for _, want := range []string{
			"&lt;script&gt;alert(1)&lt;/script&gt;",                 // the route path, as text
			"table &lt;img src=x&gt; is not in the schema",          // a message
			"<code>GET /a|b/`x`/*y*&lt;i&gt;</code>",                // a route as inline code
			"<code>f&lt;b&gt;`</code>",                              // a function as inline code
			"<td>GET /a|b/`x`/*y*&lt;i&gt;</td>",                    // a matrix row's route, as text
			"fix: add &lt;u&gt;it&lt;/u&gt;",                        // a fix
			"<pre><code class=\"language-sql\">SELECT * FROM items", // SQL in a code block
		} {
			if full || !strings.Contains(want, "language-sql") {
				if !strings.Contains(html, want) {
					t.Errorf("full=%v: the rendered report lacks %s", full, want)
				}
			}
		}
		// Every matrix row has one cell per column.
		for _, row := range regexp.MustCompile(`(?s)<tr>.*?</tr>`).FindAllString(html, -1) {
			if n := strings.Count(row, "<td") + strings.Count(row, "<th"); n != 4 {
				t.Errorf("full=%v: matrix row with %d cells, want 4: %s", full, n, row)
			}
		}
	}
}

func TestMarkdownFindingsBySite(t *testing.T) {
	r := fixtureReport()
	// A second finding at the n+1 site, and the n+1 fix again at another site.
	r.Findings = append(r.Findings,
		&graph.Finding{Kind: graph.KindUnindexed, Severity: graph.Warning, Pos: "item.go:60:10", Func: "fillUser",
			Route: "GET /api/items/:id", Message: "users.email has no index (WHERE email = ?); add: ALTER TABLE users ADD INDEX idx_users_email (email);",
			Fix: "add: ALTER TABLE users ADD INDEX idx_users_email (email);", Suggestion: "ALTER TABLE users ADD INDEX idx_users_email (email);"},
		&graph.Finding{Kind: graph.KindNPlusOne, Severity: graph.Warning, Pos: "z.go:9:9", Func: "z",
			Routes:  []string{"GET /1", "GET /2", "GET /3", "GET /4", "GET /5"},
			Message: "SELECT users runs once per iteration of the loop at z.go:8:2",
			Fix:     "collect the ids and fetch users once with WHERE id IN (?) (sqlx.In)"},
		&graph.Finding{Kind: graph.KindNPlusOne, Severity: graph.Info, Pos: "worker.go:5:5", Func: "work",
			Message: "SELECT jobs runs once per job", Fix: "batch the jobs"})
	out := string(renderMarkdown(t, r, false))
	want := "- `item.go:60:10` `fillUser`\n" +
		"  - **n+1** SELECT users runs once per iteration of the loop at item.go:30:2 (via fillItems → fillUser) — `GET /api/items/:id`\n" +
		"  - **unindexed** users.email has no index (WHERE email = ?) — `GET /api/items/:id`\n" +
		"  - fix: collect the ids and fetch users once with WHERE id IN (?) (sqlx.In)\n" +
		"  - fix: `ALTER TABLE users ADD INDEX idx_users_email (email);`\n"
	if !strings.Contains(out, want) {
		t.Errorf("the site of two findings is not one item with each fix:\n%s\ngot\n%s", want, out)
	}
	for _, want := range []string{
		"- `z.go:9:9` `z`\n  - **n+1** SELECT users runs once per iteration of the loop at z.go:8:2 — `GET /1`, `GET /2`, `GET /3`, and 2 more\n" +
			"  - fix: as for `item.go:60:10`\n",
		"  - **n+1** SELECT jobs runs once per job — no route runs it",
		"```sql\nALTER TABLE sessions ADD INDEX idx_sessions_token (token);\nALTER TABLE users ADD INDEX idx_users_email (email);\n```\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown report lacks\n%s\ngot\n%s", want, out)
		}
	}
	// Sites with a warning come before the info-only ones.
	if strings.Index(out, "`worker.go:5:5`") < strings.Index(out, "`z.go:9:9`") {
		t.Error("an info-only site is listed before a site with a warning")
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
	out := renderMarkdown(t, r, true)
	if !strings.Contains(string(out), "````sql\nSELECT 1 -- ```\n```\n</details>\n````\n") {
		t.Errorf("SQL holding ``` is not in a longer fence:\n%s", out)
	}
	html := checkMDRawHTML(t, "fence", out)
	if !strings.Contains(html, "SELECT 1 -- ```\n```\n&lt;/details&gt;\n</code></pre>") {
		t.Errorf("the SQL's </details> left its code block:\n%s", html)
	}
}

func TestMarkdownMatrixShapes(t *testing.T) {
	r := fixtureReport()
	for range mdCollapseRoutes {
		r.Routes = append(r.Routes, r.Routes[0])
	}
	out := string(renderFormat(t, Markdown, r))
	if !strings.Contains(out, "<details><summary>27 routes × 3 tables</summary>\n\n| Route | items | sessions | users |\n") {
		t.Errorf("the matrix of %d routes is not in a closed <details>:\n%s", len(r.Routes), out)
	}
	if !strings.Contains(out, "Routes without SQL: `GET /<script>alert(1)</script>`.") {
		t.Error("the route without SQL is not listed apart")
	}

	wide := &graph.Report{Module: "m"}
	rt := &graph.Route{Method: "GET", Path: "/wide"}
	for i := range mdGridTables + 1 {
		rt.Tables = append(rt.Tables, &graph.TableOps{Table: fmt.Sprintf("t%02d", i), Ops: []graph.Op{graph.Select}})
	}
	rt.Tables[0].LoopOps = []graph.Op{graph.Select}
	wide.Routes = []*graph.Route{rt}
	out = string(renderFormat(t, Markdown, wide))
	if !strings.Contains(out, "- `GET /wide`: t00 R\\*, t01 R, t02 R,") || strings.Contains(out, "| Route |") {
		t.Errorf("a matrix of %d tables is not one line per route:\n%s", mdGridTables+1, out)
	}
}

func TestMarkdownLoopMarksAndLegend(t *testing.T) {
	out := string(renderFormat(t, Markdown, fixtureReport()))
	for _, want := range []string{
		"| Route | items | sessions | users |\n| --- | :-: | :-: | :-: |\n",
		"| GET /api/items/:id | R | R | R\\* |\n",
		"| POST /api/items | CU |  |  |\n",
		"`*` after a letter: once per loop iteration (N+1)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown report lacks %q", want)
		}
	}
}

func TestMarkdownSectionOrder(t *testing.T) {
	for _, c := range []struct {
		full             bool
		headings, absent []string
	}{
		{false,
			[]string{"# crudmap: example.com/shop\n", "## Findings\n", "### Suggested indexes\n", "## CRUD matrix\n", "## Cache candidates\n", "## Notes\n", "-md-full"},
			[]string{"## Routes", "## Indexes", "<details", "mermaid"}},
		{true,
			[]string{"# crudmap: example.com/shop\n", "## Findings\n", "### Suggested indexes\n", "## CRUD matrix\n", "## Cache candidates\n", "## Notes\n", "## Routes\n", "## Indexes\n"},
			[]string{"-md-full", "mermaid"}},
	} {
		out := string(renderMarkdown(t, fixtureReport(), c.full))
		last := -1
		for _, h := range c.headings {
			i := strings.Index(out, h)
			if i < 0 || i < last {
				t.Errorf("full=%v: %q missing or out of order", c.full, h)
			}
			last = i
		}
		for _, a := range c.absent {
			if strings.Contains(out, a) {
				t.Errorf("full=%v: the report has %q", c.full, a)
			}
		}
	}
}

func TestMarkdownHeadline(t *testing.T) {
	r := fixtureReport()
	r.Warnings = []string{"most packages did not type-check"}
	out := string(renderFormat(t, Markdown, r))
	want := "# crudmap: example.com/shop\n\n**3 routes · 3 tables · 4 queries** · findings: **1** n+1, **1** unindexed, **1** readonly-tx\n\n" +
		"> **Warning:** most packages did not type-check\n\n## Findings\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("got\n%s\nwant it to start with\n%s", out, want)
	}
}

func TestMarkdownNoRoutes(t *testing.T) {
	out := string(renderFormat(t, Markdown, &graph.Report{Module: "m"}))
	want := "# crudmap: m\n\nNo HTTP routes found. **0 routes · 0 tables · 0 queries** · findings: no findings\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
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
