package render

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/crudmap/crudmap/graph"
)

// The HTML report is one self-contained page: the template, its CSS and JS
// and the call graph's SVG are inlined, and a Content-Security-Policy with
// default-src 'none' forbids the page to load anything.

//go:embed html/page.html html/style.css html/script.js
var htmlFiles embed.FS

var (
	htmlTemplate = sync.OnceValue(func() *template.Template {
		return template.Must(template.ParseFS(htmlFiles, "html/page.html"))
	})
	htmlCSS = htmlAsset("html/style.css")
	htmlJS  = htmlAsset("html/script.js")
)

// htmlAsset returns an embedded file of the page.
func htmlAsset(name string) string {
	b, err := htmlFiles.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// htmlCSP is the page's Content-Security-Policy: nothing may load, and only
// the page's own style sheet and script, named by their hashes, may run.
func htmlCSP(js string) string {
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	return "default-src 'none'; script-src " + hash(js) + "; style-src " + hash(htmlCSS) +
		"; base-uri 'none'; form-action 'none'"
}

// htmlPage is the data of the page template.
type htmlPage struct {
	CSP, Module, Summary, GraphMode string
	CSS                             template.CSS
	JS                              template.JS
	Counts                          []htmlCount
	Notes                           []string
	Traffic                         template.HTML
	Kinds                           []htmlCount
	Findings                        []htmlFinding
	FindingRoutes                   []string
	Matrix                          htmlMatrix
	SVG                             template.HTML
	// ByTable is true when the graph is drawn routes straight to tables;
	// FocusSVG then holds each route's and table's own call graph, one
	// cluster each (see focusAtlas), or is empty.
	ByTable    bool
	FocusSVG   template.HTML
	GraphError string // why the graph is missing
	GraphNote  string // how the graph was bounded
	Routes     []htmlRoute
	Data       htmlData
}

type htmlCount struct {
	Label, Kind string
	N           int
}

type htmlFinding struct {
	*graph.Finding
	Path string
	// Routes run the finding's code; RouteList holds them one per line,
	// for the route filter.
	Routes    []string
	RouteList string
	// Message leaves out the DDL the page shows in a block of its own,
	// and ShowFix is false when the fix only repeats that DDL.
	Message string
	ShowFix bool
}

// newHTMLFinding is the row of f in the findings table.
func newHTMLFinding(f *graph.Finding) htmlFinding {
	routes := routesOf(f)
	msg, showFix := f.Message, f.Fix != ""
	if f.Suggestion != "" {
		msg = strings.Replace(msg, "; add: "+f.Suggestion, "", 1)
		showFix = f.Fix != "add: "+f.Suggestion
	}
	return htmlFinding{Finding: f, Path: strings.Join(f.Path, " → "), Routes: routes,
		RouteList: strings.Join(routes, "\n"), Message: msg, ShowFix: showFix}
}

type htmlMatrix struct {
	Tables []htmlMatrixTable
	Rows   []htmlMatrixRow
	// List is true when the matrix would have more than maxMatrixCells
	// cells: each row then holds only the tables its route touches.
	List bool
}

type htmlMatrixTable struct {
	Name  string
	Cache bool
}

type htmlMatrixRow struct {
	Key   string
	Cells []htmlMatrixCell
}

type htmlMatrixCell struct {
	Table   string
	Letters []htmlLetter
}

type htmlLetter struct {
	Letter string
	Loop   bool
}

type htmlRoute struct {
	*graph.Route
	Key, Anchor string
	Queries     []htmlQuery
}

type htmlQuery struct {
	*graph.Query
	Ops  []htmlOp
	Loop string // the loops running it per iteration (N+1): "the loop at x.go:3:2"
}

type htmlOp struct {
	Op, Table, Letter string
}

// htmlData is the call graph for the page's script, embedded as JSON: which
// SVG element draws which node and edge, and which functions each route
// group holds.
type htmlData struct {
	Nodes    []htmlNode    `json:"nodes"`
	Edges    []htmlEdge    `json:"edges"`
	Clusters []htmlCluster `json:"clusters"`
	// Focus maps a route's or table's node id to the SVG id of its
	// cluster in the focus atlas, and FocusNodes are the atlas's route and
	// table nodes, which a click focuses on.
	Focus      map[string]string `json:"focus"`
	FocusNodes []htmlNode        `json:"focus_nodes"`
}

type htmlNode struct {
	ID   string `json:"id"` // graph.Edge node id
	SVG  string `json:"svg"`
	Kind string `json:"kind"`
	Name string `json:"name"`
}

type htmlEdge struct {
	From string `json:"from"`
	To   string `json:"to"`
	SVG  string `json:"svg"`
}

type htmlCluster struct {
	SVG   string   `json:"svg"`
	Route string   `json:"route"` // node id
	Nodes []string `json:"nodes"` // SVG ids
}

// writeHTML writes the self-contained HTML report.
func writeHTML(w io.Writer, r *graph.Report, opt Options) error {
	// The page is useful without its graph: say why it is missing.
	g := newCallGraph(r, opt.Graph)
	js := htmlJS + trafficScript(r) // with logs: traffic.go
	svg, graphErr := graphSVG(g, opt)
	page := &htmlPage{
		CSP:       htmlCSP(js),
		Module:    r.Module,
		Summary:   summary(r),
		GraphMode: cmp.Or(opt.Graph, "compact"),
		CSS:       template.CSS(htmlCSS),
		JS:        template.JS(js),
		Notes:     r.Notes,
		SVG:       template.HTML(inlineSVG(svg)), // Graphviz escapes every label
		Data:      newHTMLData(g),
	}
	traffic, err := htmlTraffic(r) // with logs: traffic.go
	if err != nil {
		return err
	}
	page.Traffic = traffic
	if graphErr != nil {
		page.GraphError = "The call graph is missing: " + graphErr.Error()
	}
	page.ByTable = g.byTable
	if opt.Graph == GraphTables && graphErr == nil {
		page.FocusSVG = template.HTML(inlineSVG(focusSVG(r, opt, &page.Data))) // Graphviz escapes every label
	}
	if g.note != "" {
		page.GraphNote = g.note
		page.Notes = append(slices.Clone(r.Notes), g.note)
	}
	page.Counts = []htmlCount{
		{Label: "routes", N: len(r.Routes)},
		{Label: "queries", N: len(r.Queries)},
		{Label: "tables", N: len(r.Tables)},
		{Label: "findings", N: len(r.Findings)},
	}

	// Findings, and the values of their filters.
	routes := make(map[string]bool)
	for _, rt := range r.Routes {
		routes[rt.Key()] = true
	}
	for _, g := range groupFindings(r.Findings) {
		page.Kinds = append(page.Kinds, htmlCount{Kind: g.kind, N: len(g.findings)})
	}
	for _, f := range sortedFindings(r.Findings) {
		hf := newHTMLFinding(f)
		page.Findings = append(page.Findings, hf)
		for _, rt := range hf.Routes {
			routes[rt] = true
		}
	}
	for k := range routes {
		page.FindingRoutes = append(page.FindingRoutes, k)
	}
	slices.Sort(page.FindingRoutes)

	// The CRUD matrix.
	cache := make(map[string]bool)
	for _, t := range r.Tables {
		cache[t.Name] = t.CacheCandidate
	}
	tables := matrixTables(r.Routes)
	for _, t := range tables {
		page.Matrix.Tables = append(page.Matrix.Tables, htmlMatrixTable{Name: t, Cache: cache[t]})
	}
	page.Matrix.List = len(r.Routes)*len(tables) > maxMatrixCells
	for _, rt := range r.Routes {
		row := htmlMatrixRow{Key: rt.Key()}
		if page.Matrix.List {
			for _, t := range rt.Tables {
				row.Cells = append(row.Cells, htmlMatrixCell{Table: t.Table, Letters: htmlLetters(t)})
			}
			page.Matrix.Rows = append(page.Matrix.Rows, row)
			continue
		}
		ops := make(map[string]*graph.TableOps)
		for _, t := range rt.Tables {
			ops[t.Table] = t
		}
		for _, t := range tables {
			row.Cells = append(row.Cells, htmlMatrixCell{Table: t, Letters: htmlLetters(ops[t])})
		}
		page.Matrix.Rows = append(page.Matrix.Rows, row)
	}

	// One section per route with its queries.
	queries := r.QueriesByID()
	loops := r.NPlusOneLoops()
	for i, rt := range r.Routes {
		hr := htmlRoute{Route: rt, Key: rt.Key(), Anchor: fmt.Sprintf("route-%d", i)}
		for _, id := range rt.Queries {
			q := queries[id]
			if q == nil {
				q = &graph.Query{ID: id, Error: "query missing from the report"}
			}
			hq := htmlQuery{Query: q}
			if ls := loops[graph.RouteQuery{Route: hr.Key, QueryID: id}]; len(ls) > 0 {
				hq.Loop = loopPhrase(ls)
			}
			for _, op := range q.Ops {
				hq.Ops = append(hq.Ops, htmlOp{Op: string(op.Op), Table: op.Table, Letter: op.Op.Letter()})
			}
			hr.Queries = append(hr.Queries, hq)
		}
		page.Routes = append(page.Routes, hr)
	}

	var buf bytes.Buffer
	if err := htmlTemplate().Execute(&buf, page); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// htmlLetters returns the CRUD letters of t in C R U D O order, each marked
// when it runs once per loop iteration; nil when t is nil.
func htmlLetters(t *graph.TableOps) []htmlLetter {
	if t == nil {
		return nil
	}
	ops := slices.Clone(t.Ops)
	slices.SortFunc(ops, func(a, b graph.Op) int { return cmp.Compare(a.Rank(), b.Rank()) })
	var letters []htmlLetter
	for _, op := range ops {
		l := op.Letter()
		if len(letters) > 0 && letters[len(letters)-1].Letter == l {
			continue
		}
		loop := slices.ContainsFunc(t.LoopOps, func(o graph.Op) bool { return o.Letter() == l })
		letters = append(letters, htmlLetter{Letter: l, Loop: loop})
	}
	return letters
}

// newHTMLData returns the call graph g as the page's script needs it.
func newHTMLData(g *callGraph) htmlData {
	d := htmlData{Nodes: []htmlNode{}, Edges: []htmlEdge{}, Clusters: []htmlCluster{}, Focus: map[string]string{}, FocusNodes: []htmlNode{}}
	for _, n := range g.nodes {
		d.Nodes = append(d.Nodes, htmlNode{ID: n.id, SVG: n.svgID, Kind: n.kind, Name: n.name})
	}
	for _, e := range g.edges {
		d.Edges = append(d.Edges, htmlEdge{From: e.from, To: e.to, SVG: e.svgID})
	}
	for _, c := range g.clusters {
		hc := htmlCluster{SVG: c.svgID, Route: c.route.id}
		for _, n := range c.funcs {
			hc.Nodes = append(hc.Nodes, n.svgID)
		}
		d.Clusters = append(d.Clusters, hc)
	}
	return d
}

// focusSVG lays out the focus atlas of r and records its clusters and
// nodes in d. It returns nil, and the page focuses by cropping the graph,
// when the atlas is beyond its bounds or cannot be laid out.
func focusSVG(r *graph.Report, opt Options, d *htmlData) []byte {
	parts := focusAtlas(r)
	if len(parts) == 0 {
		return nil
	}
	var dot bytes.Buffer
	if err := writeAtlasDOT(&dot, parts); err != nil {
		return nil
	}
	svg, err := opt.Layout(dot.Bytes())
	if err != nil {
		return nil
	}
	for _, p := range parts {
		d.Focus[p.key] = p.svgID
		for _, n := range p.g.nodes {
			if n.kind == nodeRoute || n.kind == nodeTable {
				d.FocusNodes = append(d.FocusNodes, htmlNode{ID: n.kind + ":" + n.name, SVG: n.svgID, Kind: n.kind, Name: n.name})
			}
		}
	}
	return svg
}

// inlineSVG returns Graphviz's SVG document without the XML declaration,
// doctype and comments that precede the <svg> element, ready to inline.
func inlineSVG(svg []byte) string {
	s := string(svg)
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	return strings.TrimSpace(s)
}
