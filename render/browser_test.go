package render

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render/svg"
)

// The browser tests open the HTML report from disk in a real headless
// Chromium, let its script run, and read the DOM that Chromium dumps
// (--dump-dom): no DevTools client library is needed. Chromium is the
// Debian package "chromium"; without it the tests skip, unless
// CRUDMAP_BROWSER_TESTS=1 demands them.

const chromiumPath = "/usr/bin/chromium"

func needChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CRUDMAP_BROWSER_TESTS") == "1" {
			t.Fatalf("CRUDMAP_BROWSER_TESTS=1 but %s is missing: %v", chromiumPath, err)
		}
		t.Skipf("skipping the browser test: %s is missing (apt-get install -y chromium; set CRUDMAP_BROWSER_TESTS=1 to make this a failure)", chromiumPath)
	}
}

// chromium loads page (a file path) with the query string query in
// headless Chromium and returns the DOM after the page's script ran, and
// Chromium's log, which holds the page's console messages.
func chromium(t *testing.T, page, query string) (dom, log string) {
	t.Helper()
	u := (&url.URL{Scheme: "file", Path: page, RawQuery: query}).String()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromiumPath,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+t.TempDir(),
		"--enable-logging=stderr", "--v=0",
		"--dump-dom", "--virtual-time-budget=3000", u)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", u, err, stderr.String())
	}
	dom = stdout.String()
	if !strings.Contains(dom, `data-ready="1"`) {
		t.Fatalf("%s: the page's script did not run to its end\nlog:\n%s", u, consoleLines(stderr.String()))
	}
	return dom, stderr.String()
}

// consoleLines returns the page's console messages in Chromium's log.
func consoleLines(log string) string {
	var lines []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, ":CONSOLE") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// domState is what the tests read from a dumped DOM.
type domState struct {
	svgW, svgH   float64           // size of the call graph's <svg>, in points
	svgClass     map[string]string // SVG element id → class
	findingShown map[string]bool   // finding kind → shown (the fixture has one per kind)
	rowClass     map[string]string // matrix row's route → class
	headClass    map[string]string // matrix column's table → class
	dom          string
}

var (
	svgSizeRE  = regexp.MustCompile(`<svg width="([\d.]+)pt" height="([\d.]+)pt"`)
	svgGroupRE = regexp.MustCompile(`<g id="([nec]\d+)" class="([^"]*)"`)
	findingRE  = regexp.MustCompile(`<tr class="finding [^"]*" data-kind="([^"]*)"[^>]*>`)
	rowRE      = regexp.MustCompile(`<tr data-route="([^"]*)"(?: class="([^"]*)")?>`)
	headRE     = regexp.MustCompile(`<th class="(table-head[^"]*)" data-table="([^"]*)"`)
)

func parseDOM(dom string) *domState {
	s := &domState{svgClass: map[string]string{}, findingShown: map[string]bool{},
		rowClass: map[string]string{}, headClass: map[string]string{}, dom: dom}
	if m := svgSizeRE.FindStringSubmatch(dom); m != nil {
		s.svgW, _ = strconv.ParseFloat(m[1], 64)
		s.svgH, _ = strconv.ParseFloat(m[2], 64)
	}
	for _, m := range svgGroupRE.FindAllStringSubmatch(dom, -1) {
		s.svgClass[m[1]] = m[2]
	}
	for _, m := range findingRE.FindAllStringSubmatch(dom, -1) {
		s.findingShown[unescapeHTML(m[1])] = !strings.Contains(m[0], ` hidden=""`)
	}
	for _, m := range rowRE.FindAllStringSubmatch(dom, -1) {
		s.rowClass[unescapeHTML(m[1])] = m[2]
	}
	for _, m := range headRE.FindAllStringSubmatch(dom, -1) {
		s.headClass[m[2]] = m[1]
	}
	return s
}

func unescapeHTML(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&amp;", "&").Replace(s)
}

func hasClass(class, c string) bool {
	return strings.Contains(" "+class+" ", " "+c+" ")
}

// TestBrowser checks the page's behaviour in a real browser: everything is
// there, focusing a route or a table through ?focus= hides the rest of the
// call graph and dims the rest of the matrix, the filters hide findings,
// and the page loads nothing from the network.
func TestBrowser(t *testing.T) {
	needChromium(t)
	r := fixtureReport()
	var buf bytes.Buffer
	if err := writeHTML(&buf, r, Options{Layout: svg.Render}); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	g := newCallGraph(r, "compact")
	svgOf := func(id string) string {
		t.Helper()
		n := g.byID[id]
		if n == nil {
			t.Fatalf("no node %s", id)
		}
		return n.svgID
	}
	shown := func(s *domState, id string) bool {
		t.Helper()
		class, ok := s.svgClass[svgOf(id)]
		if !ok {
			t.Fatalf("node %s (%s) is not in the DOM", id, svgOf(id))
		}
		return !hasClass(class, "off")
	}
	const (
		getRoute  = "GET /api/items/:id"
		postRoute = "POST /api/items"
		xssRoute  = "GET /<script>alert(1)</script>"
	)

	var unfocused *domState
	t.Run("unfocused", func(t *testing.T) {
		dom, log := chromium(t, page, "")
		s := parseDOM(dom)
		unfocused = s
		if s.svgW == 0 || s.svgH == 0 {
			t.Error("the call graph's <svg> has no size")
		}
		if !strings.Contains(dom, `<table class="matrix" id="matrix-table">`) || len(s.rowClass) != 3 || len(s.headClass) != 3 {
			t.Errorf("matrix: %d rows, %d tables; want 3 and 3", len(s.rowClass), len(s.headClass))
		}
		if len(s.findingShown) != 3 {
			t.Errorf("%d findings in the DOM, want 3", len(s.findingShown))
		}
		for kind, ok := range s.findingShown {
			if !ok {
				t.Errorf("finding %s hidden without a filter", kind)
			}
		}
		if !strings.Contains(dom, "<svg ") || len(s.svgClass) != len(g.nodes)+len(g.edges)+len(g.clusters) {
			t.Errorf("SVG: %d node, edge and cluster groups, want %d", len(s.svgClass), len(g.nodes)+len(g.edges)+len(g.clusters))
		}
		for id, class := range s.svgClass {
			if hasClass(class, "off") {
				t.Errorf("%s hidden without a focus", id)
			}
		}
		if !strings.Contains(dom, `<div id="focus-bar" class="focus-bar" hidden="">`) {
			t.Error("the focus bar shows without a focus")
		}
		// The XSS route is text in the DOM, not an element.
		if strings.Contains(dom, "<script>alert(1)") {
			t.Error("the DOM holds the <script> of the route path as an element")
		}
		if c := consoleLines(log); c != "" {
			t.Errorf("console messages (script errors or blocked loads):\n%s", c)
		}
	})

	t.Run("focus route", func(t *testing.T) {
		s := parseDOM(must(chromium(t, page, "focus="+url.QueryEscape("route:"+getRoute))))
		for _, id := range []string{"route:" + getRoute, "func:getItem", "func:authMiddleware.func1", "func:fillUser",
			"table:items", "table:sessions", "table:users"} {
			if !shown(s, id) {
				t.Errorf("%s hidden while focusing on the route that reaches it", id)
			}
		}
		for _, id := range []string{"route:" + postRoute, "func:Handler.postItem", "route:" + xssRoute, "func:xss.func1"} {
			if shown(s, id) {
				t.Errorf("%s shown while focusing on %s", id, getRoute)
			}
		}
		if !hasClass(s.rowClass[getRoute], "focused") || !hasClass(s.rowClass[postRoute], "dim") || !hasClass(s.rowClass[xssRoute], "dim") {
			t.Errorf("matrix rows: %q", s.rowClass)
		}
		if !strings.Contains(s.dom, `<details class="route focused" id="route-0" data-route="GET /api/items/:id" open="">`) {
			t.Error("the focused route's section is not open and marked")
		}
		if !strings.Contains(s.dom, `<div id="focus-bar" class="focus-bar">Focus: <b id="focus-label">route GET /api/items/:id</b>`) {
			t.Error("the focus bar does not name the route")
		}
	})

	t.Run("focus route filters findings", func(t *testing.T) {
		// POST /api/items has no finding: focusing on it sets the route filter.
		s := parseDOM(must(chromium(t, page, "focus="+url.QueryEscape("route:"+postRoute))))
		for kind, ok := range s.findingShown {
			if ok {
				t.Errorf("finding %s of another route shown while focusing on %s", kind, postRoute)
			}
		}
		if !strings.Contains(s.dom, "0 of 3 shown") {
			t.Error("the finding count does not say 0 of 3")
		}
		if !shown(s, "table:items") || shown(s, "table:users") {
			t.Error("focusing on POST /api/items: want items shown, users hidden")
		}
	})

	t.Run("focus table", func(t *testing.T) {
		s := parseDOM(must(chromium(t, page, "focus=table:users")))
		for _, id := range []string{"table:users", "func:fillUser", "func:getItem", "route:" + getRoute} {
			if !shown(s, id) {
				t.Errorf("%s hidden while focusing on users, which it reaches", id)
			}
		}
		for _, id := range []string{"table:items", "table:sessions", "func:authMiddleware.func1", "func:Handler.postItem", "route:" + postRoute} {
			if shown(s, id) {
				t.Errorf("%s shown while focusing on users", id)
			}
		}
		for _, e := range g.edges {
			want := (e.from == "func:fillUser" && e.to == "table:users") || (e.from == "func:getItem" && e.to == "func:fillUser") ||
				(e.from == "route:"+getRoute && e.to == "func:getItem")
			if got := !hasClass(s.svgClass[e.svgID], "off"); got != want {
				t.Errorf("edge %s -> %s shown = %v, want %v", e.from, e.to, got, want)
			}
		}
		if !hasClass(s.headClass["users"], "focused") || !hasClass(s.headClass["items"], "dim") || !hasClass(s.headClass["sessions"], "dim") {
			t.Errorf("matrix columns: %q", s.headClass)
		}
		if hasClass(s.rowClass[getRoute], "dim") || !hasClass(s.rowClass[postRoute], "dim") {
			t.Errorf("matrix rows: %q (want the routes that do not touch users dimmed)", s.rowClass)
		}
		// The graph is cropped to what the focus shows.
		if unfocused == nil || s.svgW == 0 || s.svgH == 0 || s.svgW >= unfocused.svgW || s.svgH >= unfocused.svgH {
			t.Errorf("focused graph is %gx%gpt; want it cropped, smaller than the whole graph", s.svgW, s.svgH)
		}
	})

	t.Run("kind filter", func(t *testing.T) {
		// n%2B1 and n+1 (a space once decoded) both mean the kind n+1.
		for _, q := range []string{"kind=n%2B1", "kind=n+1"} {
			s := parseDOM(must(chromium(t, page, q)))
			want := map[string]bool{"n+1": true, "unindexed": false, "readonly-tx": false}
			for kind, w := range want {
				if s.findingShown[kind] != w {
					t.Errorf("?%s: finding %s shown = %v, want %v", q, kind, s.findingShown[kind], w)
				}
			}
			if !strings.Contains(s.dom, "1 of 3 shown") {
				t.Errorf("?%s: the finding count does not say 1 of 3", q)
			}
		}
	})

	t.Run("no network", func(t *testing.T) {
		testNoNetwork(t, buf.Bytes())
	})
}

// testNoNetwork checks that the page's Content-Security-Policy stops it
// from loading anything: a copy of the page with an image from a local
// server gets the load blocked (and the server sees no request), while the
// same copy without the policy does reach the server, which shows that the
// probe works. The real page logs no blocked load at all (TestBrowser's
// unfocused case), so it never tries one.
func testNoNetwork(t *testing.T, page []byte) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	probe := `<main><img src="` + srv.URL + `/probe.png" alt="">`
	withProbe := bytes.Replace(page, []byte("<main>"), []byte(probe), 1)
	cspRE := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="[^"]*">\n`)
	withoutCSP := cspRE.ReplaceAll(withProbe, nil)
	if bytes.Equal(withProbe, page) || bytes.Equal(withoutCSP, withProbe) {
		t.Fatal("could not make the probe pages")
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}

	_, log := chromium(t, write("probe.html", withProbe), "")
	if n := hits.Load(); n != 0 {
		t.Errorf("the page with its policy reached the probe server %d times", n)
	}
	if !strings.Contains(log, "violates the following Content Security Policy directive") {
		t.Errorf("no blocked load logged for the probe image; console:\n%s", consoleLines(log))
	}

	chromium(t, write("control.html", withoutCSP), "")
	if hits.Load() == 0 {
		t.Error("control: without the policy the probe image did not reach the server; the probe proves nothing")
	}
}

func must(dom, _ string) string { return dom }

// writePage writes the HTML report of r, drawn in graph mode, to a file
// and returns its path.
func writePage(t *testing.T, r *graph.Report, mode string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := writeHTML(&buf, r, Options{Graph: mode, Layout: svg.Render}); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return page
}

var (
	atlasGroupRE = regexp.MustCompile(`<g id="(f\d+)(_[a-z]\d+)?" class="([^"]*)"`)
	atlasSizeRE  = regexp.MustCompile(`(?s)id="focus-box"[^>]*>\s*<svg width="([\d.]+)pt" height="([\d.]+)pt"`)
)

// TestBrowserTables checks the page drawn by table in a real browser:
// focusing a route or a table shows its own call graph from the focus
// atlas, alone and cropped, in place of the graph drawn by table; the
// matrix's header row and route column stay in view when it scrolls.
func TestBrowserTables(t *testing.T) {
	needChromium(t)
	page := writePage(t, fixtureReport(), GraphTables)
	var natural float64
	t.Run("unfocused", func(t *testing.T) {
		dom, log := chromium(t, page, "")
		if !strings.Contains(dom, `<div class="scroll graph" id="graph-box">`) || !strings.Contains(dom, `<div class="scroll graph" id="focus-box" hidden="">`) {
			t.Error("without a focus, the graph drawn by table is not the one shown")
		}
		m := atlasSizeRE.FindStringSubmatch(dom)
		if m == nil {
			t.Fatal("no focus atlas")
		}
		natural, _ = strconv.ParseFloat(m[2], 64)
		if c := consoleLines(log); c != "" {
			t.Errorf("console messages:\n%s", c)
		}
	})
	for _, focus := range []string{"route:GET /api/items/:id", "table:users"} {
		t.Run(focus, func(t *testing.T) {
			dom := must(chromium(t, page, "focus="+url.QueryEscape(focus)))
			if !strings.Contains(dom, `<div class="scroll graph" id="graph-box" hidden="">`) || !strings.Contains(dom, `<div class="scroll graph" id="focus-box">`) {
				t.Fatal("the focus does not show the atlas in place of the graph drawn by table")
			}
			part := regexp.MustCompile(`"` + regexp.QuoteMeta(focus) + `":"(f\d+)"`).FindStringSubmatch(dom)
			if part == nil {
				t.Fatalf("no atlas part for %s", focus)
			}
			shown := 0
			for _, m := range atlasGroupRE.FindAllStringSubmatch(dom, -1) {
				if on := !hasClass(m[3], "off"); on != (m[1] == part[1]) {
					t.Errorf("%s%s shown = %v while focusing on %s (%s)", m[1], m[2], on, focus, part[1])
				} else if on {
					shown++
				}
			}
			if shown < 3 {
				t.Errorf("%d elements of %s's call graph shown", shown, focus)
			}
			m := atlasSizeRE.FindStringSubmatch(dom)
			if h, _ := strconv.ParseFloat(m[2], 64); m == nil || h == 0 || h >= natural/2 {
				t.Errorf("the atlas is %v pt tall while focusing; want it cropped to one part of %g pt", m, natural)
			}
		})
	}
	t.Run("sticky matrix", func(t *testing.T) {
		// A copy of the page, without its policy, with a probe that writes
		// the computed position of the matrix's header and route cells.
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		probe := `<script>document.documentElement.dataset.sticky = ["#matrix-table thead th", "#matrix-table tbody th"]` +
			`.map(function (s) { return getComputedStyle(document.querySelector(s)).position; }).join(",");</script></body>`
		b = regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="[^"]*">\n`).ReplaceAll(b, nil)
		b = bytes.Replace(b, []byte("</body>"), []byte(probe), 1)
		probePage := filepath.Join(t.TempDir(), "probe.html")
		if err := os.WriteFile(probePage, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if dom := must(chromium(t, probePage, "")); !strings.Contains(dom, `data-sticky="sticky,sticky"`) {
			t.Errorf("the matrix's header row and route column are not sticky: %s", regexp.MustCompile(`data-sticky="[^"]*"`).FindString(dom))
		}
	})
}

// TestBrowserTablesLarge checks the page of 200 routes drawn by table,
// whose focus atlas is beyond its bounds: a focus hides the rest of the
// graph drawn by table and crops it.
func TestBrowserTablesLarge(t *testing.T) {
	needChromium(t)
	r := appReport(200)
	page := writePage(t, r, GraphTables)
	unfocused := parseDOM(must(chromium(t, page, "")))
	if strings.Contains(unfocused.dom, `id="focus-box"`) {
		t.Fatal("200 routes have a focus atlas, beyond its bounds")
	}
	s := parseDOM(must(chromium(t, page, "focus=table:t0_5")))
	g := newCallGraph(r, GraphTables)
	for _, n := range g.nodes {
		want := slices.Contains([]string{"table:t0_5", "route:GET /p0/t5", "route:GET /p0/t5/{id}", "route:POST /p0/t5"}, n.id)
		if got := !hasClass(s.svgClass[n.svgID], "off"); got != want {
			t.Errorf("%s shown = %v while focusing on t0_5", n.id, got)
		}
	}
	if s.svgH == 0 || s.svgH >= unfocused.svgH/4 {
		t.Errorf("focused graph is %gpt tall, the whole %gpt; want it cropped", s.svgH, unfocused.svgH)
	}
}
