package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"github.com/crudmap/crudmap/render/svg"
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
)

func htmlOf(t *testing.T, r *graph.Report, mode string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := writeHTML(&b, r, Options{Graph: mode, Layout: svg.Render}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestHTMLGolden(t *testing.T) {
	got := htmlOf(t, fixtureReport(), "")
	golden(t, "fixture.html", got)
	if again := htmlOf(t, fixtureReport(), ""); !bytes.Equal(again, got) {
		t.Errorf("HTML differs between two runs:\n%s", goldenDiff(got, again))
	}
}

// TestHTMLEscaping checks that text from the analysed code never becomes
// markup: the fixture's route /<script>alert(1)</script> and its SQL
// '<script>' appear only escaped, in the page and in the inline SVG.
func TestHTMLEscaping(t *testing.T) {
	page := string(htmlOf(t, fixtureReport(), "full"))
	for _, raw := range []string{"<script>alert(1)", "'<script>'", "<script>'"} {
		if strings.Contains(page, raw) {
			t.Errorf("the page holds the raw text %s", raw)
		}
	}
	// The only <script elements are the page's own two.
	if n := strings.Count(strings.ToLower(page), "<script"); n != 2 {
		t.Errorf("%d <script elements, want 2 (the JSON data and the script)", n)
	}
	for _, want := range []string{
		"GET /&lt;script&gt;alert(1)&lt;/script&gt;",              // text
		`data-route="GET /&lt;script&gt;alert(1)&lt;/script&gt;"`, // attribute
		"note &lt;&gt; &#39;&lt;script&gt;&#39;",                  // SQL in <pre>
		`/\u003cscript\u003ealert(1)\u003c/script\u003e`,          // JSON data
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks the escaped form %s", want)
		}
	}
}

// TestHTMLSelfContained checks that the page refers to nothing outside
// itself and that its Content-Security-Policy forbids loading anything and
// allows exactly its own inline style sheet and script.
func TestHTMLSelfContained(t *testing.T) {
	page := string(htmlOf(t, fixtureReport(), ""))
	// The only URLs are the SVG and XLink namespace names, which are never
	// fetched.
	for _, m := range regexp.MustCompile(`(?i)(https?:|ftp:|//[a-z0-9.-]+\.[a-z]{2,})[^"'\s<>]*`).FindAllString(page, -1) {
		if m != "http://www.w3.org/2000/svg" && m != "http://www.w3.org/1999/xlink" {
			t.Errorf("the page names an external URL: %s", m)
		}
	}
	for _, bad := range []string{"<link", "<img", "<iframe", "@import", "url(", " src=", "<base"} {
		if strings.Contains(strings.ToLower(page), bad) {
			t.Errorf("the page holds %s", bad)
		}
	}
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("link to %s, want only in-page links", m[1])
		}
	}

	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`).FindStringSubmatch(page)
	if csp == nil {
		t.Fatal("no Content-Security-Policy meta element")
	}
	policy := html.UnescapeString(csp[1])
	if !strings.HasPrefix(policy, "default-src 'none'; ") {
		t.Errorf("policy %q does not start with default-src 'none'", policy)
	}
	if strings.Contains(policy, "unsafe") || strings.Contains(policy, "*") {
		t.Errorf("policy %q allows more than the page's own script and style", policy)
	}
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(page)
	script := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindStringSubmatch(page)
	if style == nil || script == nil {
		t.Fatal("no inline <style> or <script>")
	}
	if !strings.Contains(policy, "style-src "+hash(style[1])+";") {
		t.Errorf("policy %q does not allow the inline style sheet %s", policy, hash(style[1]))
	}
	if !strings.Contains(policy, "script-src "+hash(script[1])+";") {
		t.Errorf("policy %q does not allow the inline script %s", policy, hash(script[1]))
	}
}

// TestHTMLContent checks the parts of the page: the counts, the findings
// with their filters, the CRUD matrix, the call graph with the data its
// script needs, and one section per route with its SQL.
func TestHTMLContent(t *testing.T) {
	r := fixtureReport()
	page := string(htmlOf(t, r, "compact"))
	contains := func(what string, wants ...string) {
		t.Helper()
		for _, w := range wants {
			if !strings.Contains(page, w) {
				t.Errorf("%s: the page lacks %s", what, w)
			}
		}
	}
	contains("counts", "<li><b>3</b> routes</li>", "<li><b>4</b> queries</li>", "<li><b>3</b> tables</li>", "<li><b>3</b> findings</li>")
	contains("kind filter",
		`<input type="checkbox" class="kind-filter" value="n&#43;1" checked>`,
		`<input type="checkbox" class="kind-filter" value="unindexed" checked>`,
		`<input type="checkbox" class="kind-filter" value="readonly-tx" checked>`)
	contains("route filter", `<select id="route-filter">`, `<option value="GET /api/items/:id">GET /api/items/:id</option>`,
		`<option value="POST /api/items">POST /api/items</option>`)
	if n := strings.Count(page, `<tr class="finding `); n != len(r.Findings) {
		t.Errorf("%d finding rows, want %d", n, len(r.Findings))
	}
	contains("finding", `data-kind="n&#43;1" data-routes="GET /api/items/:id"`, "<code>item.go:60:10</code>",
		"ALTER TABLE sessions ADD INDEX idx_sessions_token (token);", "path: getItem → fillItems → fillUser")
	// The DDL is shown once, in its own block: not in the message, nor as
	// a fix line that repeats it.
	if n := strings.Count(page, "ADD INDEX idx_sessions_token"); n != 1 {
		t.Errorf("the suggested index is on the page %d times, want once", n)
	}
	contains("matrix",
		`<th class="table-head" data-table="items"`,
		`<th class="table-head cache" data-table="users"`,
		`<tr data-route="POST /api/items">`,
		`<td data-table="items"><span class="op op-C">C</span><span class="op op-U">U</span></td>`,
		`<td data-table="users"><span class="op op-R loop" title="once per loop iteration">R</span></td>`)
	contains("graph", `<div class="scroll graph" id="graph-box">`+"\n<svg ", `class="node route"`)
	contains("routes",
		`<details class="route" id="route-0" data-route="GET /api/items/:id">`,
		`<pre class="sql">SELECT * FROM users WHERE id = ?</pre>`,
		`<code class="pos">item.go:60:10</code> in <code>fillUser</code> via <code>sqlx.DB.Get</code>`,
		"N+1: once per iteration of the loop at item.go:30:2",
		"in transaction begun at item.go:75:12",
		"<code>authMiddleware.func1</code>")
	contains("notes", "skipped a statement the parser rejects")

	// The JSON data names the SVG element of every node and edge.
	m := regexp.MustCompile(`(?s)<script type="application/json" id="crudmap-data">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no JSON data block")
	}
	var data htmlData
	if err := json.Unmarshal([]byte(m[1]), &data); err != nil {
		t.Fatalf("JSON data: %v", err)
	}
	g := newCallGraph(r, "compact")
	if len(data.Nodes) != len(g.nodes) || len(data.Edges) != len(g.edges) || len(data.Clusters) != len(g.clusters) {
		t.Errorf("data has %d nodes, %d edges, %d clusters; the graph %d, %d, %d",
			len(data.Nodes), len(data.Edges), len(data.Clusters), len(g.nodes), len(g.edges), len(g.clusters))
	}
	for _, n := range data.Nodes {
		if !strings.Contains(page, `<g id="`+n.SVG+`" class="node `+n.Kind) {
			t.Errorf("node %s: no SVG element %s", n.ID, n.SVG)
		}
		if n.ID != n.Kind+":"+n.Name {
			t.Errorf("node %q: kind %q, name %q", n.ID, n.Kind, n.Name)
		}
	}
	for _, e := range data.Edges {
		if !strings.Contains(page, `<g id="`+e.SVG+`" class="edge`) {
			t.Errorf("edge %s -> %s: no SVG element %s", e.From, e.To, e.SVG)
		}
	}
	for _, c := range data.Clusters {
		if !strings.Contains(page, `<g id="`+c.SVG+`" class="cluster`) {
			t.Errorf("cluster of %s: no SVG element %s", c.Route, c.SVG)
		}
	}
	if !strings.Contains(page, `"id":"route:GET /\u003cscript\u003ealert(1)\u003c/script\u003e"`) {
		t.Error("the JSON data does not name the nodes by their graph.Edge ids")
	}
}

// TestHTMLEmpty checks the page of a module without routes or findings.
func TestHTMLEmpty(t *testing.T) {
	page := string(htmlOf(t, &graph.Report{SchemaVersion: graph.SchemaVersion}, ""))
	for _, want := range []string{"No findings.", "No route touches a table.", "No HTTP routes found.", "<svg ",
		`{"nodes":[],"edges":[],"clusters":[],"focus":{},"focus_nodes":[]}`} {
		if !strings.Contains(page, want) {
			t.Errorf("the empty page lacks %s", want)
		}
	}
}

// TestHTMLWithoutLayout checks that the page still renders, saying why,
// when no layout engine is there to draw the graph.
func TestHTMLWithoutLayout(t *testing.T) {
	var b bytes.Buffer
	if err := writeHTML(&b, fixtureReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if !strings.Contains(page, "The call graph is missing: no Graphviz layout engine") {
		t.Error("the page does not say why the graph is missing")
	}
	if strings.Contains(page, "<svg") || !strings.Contains(page, `id="matrix"`) {
		t.Error("the page without a graph should still hold the matrix and no SVG")
	}
}

// TestHTMLFocusAtlas checks the page drawn by table: every route that
// touches a table and every table has its own call graph in the focus
// atlas, a cluster whose nodes and edges carry its id as prefix, and the
// atlas names the functions the graph drawn by table folds.
func TestHTMLFocusAtlas(t *testing.T) {
	page := string(htmlOf(t, fixtureReport(), GraphTables))
	m := regexp.MustCompile(`(?s)<script type="application/json" id="crudmap-data">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no JSON data block")
	}
	var data htmlData
	if err := json.Unmarshal([]byte(m[1]), &data); err != nil {
		t.Fatalf("JSON data: %v", err)
	}
	want := []string{"route:GET /<script>alert(1)</script>", "route:GET /api/items/:id", "route:POST /api/items",
		"table:items", "table:sessions", "table:users"}
	if len(data.Focus) != len(want) {
		t.Errorf("focus atlas of %d parts, want %d: %v", len(data.Focus), len(want), data.Focus)
	}
	for _, key := range want {
		part := data.Focus[key]
		if part == "" || !strings.Contains(page, `<g id="`+part+`" class="cluster part">`) {
			t.Errorf("%s: no cluster %q in the atlas", key, part)
		}
	}
	box := page[strings.Index(page, `<div class="scroll graph" id="focus-box" hidden>`):]
	box = box[:strings.Index(box, "</div>")]
	for _, fn := range []string{"getItem", "fillUser", "authMiddleware.func1"} {
		if !strings.Contains(box, "<text text-anchor=\"middle\" x=") || !strings.Contains(box, ">"+fn+"</text>") {
			t.Errorf("the atlas does not draw %s", fn)
		}
	}
	// users is reached through getItem and fillUser alone.
	users := data.Focus["table:users"]
	for _, id := range regexp.MustCompile(`<g id="(`+users+`_[^"]+)" class="node`).FindAllStringSubmatch(box, -1) {
		title := box[strings.Index(box, `<g id="`+id[1]+`"`):]
		title = title[strings.Index(title, "<title>")+7 : strings.Index(title, "</title>")]
		if !slices.Contains([]string{"route:GET /api/items/:id", "func:getItem", "func:fillUser", "table:users"}, strings.TrimPrefix(title, users+"|")) {
			t.Errorf("users' call graph holds %s", title)
		}
	}
	for _, n := range data.FocusNodes {
		if !strings.Contains(box, `<g id="`+n.SVG+`" class="node `+n.Kind) {
			t.Errorf("focus node %s: no SVG element %s", n.ID, n.SVG)
		}
	}
	if page := string(htmlOf(t, fixtureReport(), "compact")); strings.Contains(page, `id="focus-box"`) {
		t.Error("a page drawn through functions has a focus atlas")
	}
}
