package render

import (
	"bufio"
	"cmp"
	"fmt"
	"html"
	"io"
	"slices"
	"strings"

	"github.com/crudmap/crudmap/graph"
)

// This file draws the call graph (Report.Edges) as Graphviz DOT: routes on
// the left, tables on the right, the functions between them grouped under
// the route that reaches them. The SVG and HTML reports lay out this DOT.

// Colours of the call graph, shared with the HTML page's legend.
const (
	dotCallColor   = "#9ca3af"
	dotRouteFill   = "#dbeafe"
	dotRouteLine   = "#1e40af"
	dotTableFill   = "#fef3c7"
	dotTableLine   = "#92400e"
	dotCacheFill   = "#ecfccb"
	dotHandlerFill = "#f1f5f9"
	dotNoteColor   = "#b45309"
)

// dotOpColor is the colour of a table edge for each operation.
var dotOpColor = map[graph.Op]string{
	graph.Select: "#2563eb",
	graph.Insert: "#16a34a",
	graph.Update: "#ea580c",
	graph.Delete: "#dc2626",
	graph.Other:  "#7c3aed",
}

// opColor returns the colour of an edge with operation op ("" for a call).
func opColor(op graph.Op) string {
	if op == "" {
		return dotCallColor
	}
	if c, ok := dotOpColor[op]; ok {
		return c
	}
	return dotOpColor[graph.Other]
}

// Graph modes, the values of Options.Graph.
const (
	// GraphTables draws routes straight to the tables they touch, the
	// functions between them folded: the routes that only read on the left
	// of the tables, the routes that write on their right.
	GraphTables = "tables"
	// GraphCompact draws routes, functions and tables, less the
	// pass-through functions; the default of Options.Graph.
	GraphCompact = "compact"
	// GraphFull draws every function.
	GraphFull = "full"
)

// Node kinds of the call graph, the prefixes of graph.Edge node ids.
const (
	nodeRoute = "route"
	nodeFunc  = "func"
	nodeTable = "table"
)

// callGraph is the call graph as the DOT, SVG and HTML reports draw it:
// Report.Edges with duplicates merged and, in compact mode, pass-through
// functions removed; or, when that is larger than the bounds below, the
// routes drawn straight to their tables. Every slice is sorted, so the
// output is deterministic.
type callGraph struct {
	nodes    []*cgNode // routes, then functions, then tables
	edges    []*cgEdge
	clusters []*cgCluster
	byID     map[string]*cgNode
	// byTable is true for a graph drawn routes straight to tables.
	byTable bool
	// note says how the graph was bounded, or is "".
	note string
}

// The bounds of the call graph drawn. Graphviz's dot layout takes time and
// memory that grow faster than the graph: 1,000 routes through 2,000
// functions (3,400 nodes, 4,100 edges) took 9 s and 0.8 GB, 5,000 routes
// 266 s and 16 GB; 600 nodes take about a second. A larger graph is drawn
// without its functions, routes straight to tables, and if that is still
// too large, with only the routes that fit, those with a per-iteration
// query first.
const (
	maxGraphNodes = 600
	maxGraphEdges = 1200
)

// cgNode is a node of the call graph.
type cgNode struct {
	id      string // graph.Edge node id: "route:GET /x", "func:f", "table:t"
	kind    string // nodeRoute, nodeFunc or nodeTable
	name    string // id without its kind prefix
	label   string
	tooltip string
	svgID   string // id attribute of the node's <g> in the SVG
	fn      *graph.Function
	table   *graph.Table
	cluster *cgCluster // the route group holding a function, or nil
	// writes is true for a route that writes a table, drawn on the right
	// of the tables when the graph is drawn by table.
	writes bool
}

// cgEdge is an edge of the call graph.
type cgEdge struct {
	from, to string // node ids
	op       graph.Op
	loop     bool
	svgID    string
	// letters are a route's operations on a table, "RU*" as in the CRUD
	// matrix, when the graph is drawn by table; op is then the one whose
	// colour the edge takes.
	letters string
}

// cgCluster groups the functions that one route alone reaches.
type cgCluster struct {
	route *cgNode
	funcs []*cgNode
	svgID string
}

// newCallGraph builds the call graph of r. mode is Options.Graph:
// GraphTables draws routes straight to tables, GraphFull keeps every
// function, anything else is compact.
func newCallGraph(r *graph.Report, mode string) *callGraph {
	var g *callGraph
	if mode == GraphTables {
		g = tableGraph(r)
	} else if fg := functionGraph(r, mode); len(fg.nodes) > maxGraphNodes || len(fg.edges) > maxGraphEdges {
		g = tableGraph(r)
		note := fmt.Sprintf("the call graph draws routes straight to their tables: with its functions it has %d nodes and %d edges, "+
			"more than Graphviz lays out in seconds", len(fg.nodes), len(fg.edges))
		if g.note != "" {
			note += "; " + g.note
		}
		g.note = note
	} else {
		g = fg
	}
	g.decorateTables(r.Tables)
	g.sort()
	g.groupFunctions()
	return g
}

// functionGraph returns the call graph of r through its functions, unsorted.
func functionGraph(r *graph.Report, mode string) *callGraph {
	g := &callGraph{byID: make(map[string]*cgNode)}
	for _, rt := range r.Routes {
		n := g.add(nodeRoute + ":" + rt.Key())
		n.tooltip = joinNonEmpty(rt.Handler, rt.Pos)
	}
	for _, f := range r.Functions {
		n := g.add(nodeFunc + ":" + f.ID)
		n.fn = f
		n.tooltip = joinNonEmpty(f.Kind, f.Pos)
	}
	var edges []*cgEdge
	for _, e := range r.Edges {
		g.add(e.From)
		g.add(e.To)
		edges = append(edges, &cgEdge{from: e.From, to: e.To, op: e.Op, loop: e.Loop})
	}
	edges = uniqueEdges(edges)
	if mode != GraphFull {
		edges = uniqueEdges(compactEdges(g.byID, edges))
	}
	g.edges = edges

	// Nodes: every route, then the functions and tables an edge still uses;
	// a schema table no query touches would only be clutter.
	used := make(map[string]bool)
	for _, e := range g.edges {
		used[e.from], used[e.to] = true, true
	}
	for _, n := range g.byID {
		if n.kind == nodeRoute || used[n.id] || n.kind == nodeFunc && n.fn != nil && mode == GraphFull {
			g.nodes = append(g.nodes, n)
		}
	}
	return g
}

// tableGraph returns the graph of r's routes drawn straight to the tables
// they touch (Route.Tables), one edge per route and table, the functions
// between them folded. Routes that touch no table are left out. Routes
// with a per-iteration operation come first, then the others in the
// report's order, as long as they fit within the bounds; note then says
// how many are shown.
func tableGraph(r *graph.Report) *callGraph {
	var routes []*graph.Route
	for _, rt := range r.Routes {
		if len(rt.Tables) > 0 {
			routes = append(routes, rt)
		}
	}
	slices.SortStableFunc(routes, func(a, b *graph.Route) int { return -boolCompare(hasLoopOp(a), hasLoopOp(b)) })
	g := &callGraph{byID: make(map[string]*cgNode), byTable: true}
	drawn := 0
	for _, rt := range routes {
		newNodes := 1
		for _, t := range rt.Tables {
			if g.byID[nodeTable+":"+t.Table] == nil {
				newNodes++
			}
		}
		if len(g.byID)+newNodes > maxGraphNodes || len(g.edges)+len(rt.Tables) > maxGraphEdges {
			break
		}
		drawn++
		n := g.add(nodeRoute + ":" + rt.Key())
		n.tooltip = joinNonEmpty(rt.Handler, rt.Pos)
		for _, t := range rt.Tables {
			g.add(nodeTable + ":" + t.Table)
			g.edges = append(g.edges, &cgEdge{from: n.id, to: nodeTable + ":" + t.Table,
				op: edgeOp(t.Ops), loop: len(t.LoopOps) > 0, letters: opLetters(t, "*")})
			n.writes = n.writes || slices.ContainsFunc(t.Ops, func(op graph.Op) bool { return op != graph.Select })
		}
	}
	for _, n := range g.byID {
		g.nodes = append(g.nodes, n)
	}
	if drawn < len(routes) {
		g.note = fmt.Sprintf("the graph shows %d of the %d routes that touch a table, those with a per-iteration query first "+
			"(the bound is %d nodes and %d edges); the CRUD matrix lists them all", drawn, len(routes), maxGraphNodes, maxGraphEdges)
	}
	return g
}

// edgeOp returns the operation whose colour a route's edge to a table takes:
// its most destructive, DELETE, UPDATE, INSERT, OTHER, then SELECT.
func edgeOp(ops []graph.Op) graph.Op {
	for _, op := range []graph.Op{graph.Delete, graph.Update, graph.Insert, graph.Other} {
		if slices.Contains(ops, op) {
			return op
		}
	}
	return graph.Select
}

// hasLoopOp reports whether rt runs an operation once per loop iteration.
func hasLoopOp(rt *graph.Route) bool {
	return slices.ContainsFunc(rt.Tables, func(t *graph.TableOps) bool { return len(t.LoopOps) > 0 })
}

// add returns the node of id, added if it is new.
func (g *callGraph) add(id string) *cgNode {
	if n := g.byID[id]; n != nil {
		return n
	}
	kind, name, ok := strings.Cut(id, ":")
	if !ok || kind != nodeRoute && kind != nodeTable {
		kind, name = nodeFunc, strings.TrimPrefix(id, "func:")
	}
	n := &cgNode{id: id, kind: kind, name: name, label: oneLine(name)}
	g.byID[id] = n
	return n
}

// uniqueEdges returns edges without duplicates (the same call from two call
// sites).
func uniqueEdges(edges []*cgEdge) []*cgEdge {
	type edgeKey struct {
		from, to string
		op       graph.Op
		loop     bool
	}
	seen := make(map[edgeKey]bool, len(edges))
	return slices.DeleteFunc(edges, func(e *cgEdge) bool {
		k := edgeKey{e.from, e.to, e.op, e.loop}
		dup := seen[k]
		seen[k] = true
		return dup
	})
}

// decorateTables gives the graph's table nodes their schema file and marks
// the cache candidates.
func (g *callGraph) decorateTables(tables []*graph.Table) {
	for _, t := range tables {
		if n := g.byID[nodeTable+":"+t.Name]; n != nil {
			n.table = t
			n.tooltip = t.File
			if t.CacheCandidate {
				n.label += "\n(read-only)"
			}
		}
	}
}

// sort orders the nodes (routes, functions, tables, each by name) and the
// edges, numbers them for the SVG, and indexes the nodes kept.
func (g *callGraph) sort() {
	kindRank := map[string]int{nodeRoute: 0, nodeFunc: 1, nodeTable: 2}
	slices.SortFunc(g.nodes, func(a, b *cgNode) int {
		return cmp.Or(cmp.Compare(kindRank[a.kind], kindRank[b.kind]), cmp.Compare(a.name, b.name), cmp.Compare(a.id, b.id))
	})
	for i, n := range g.nodes {
		n.svgID = fmt.Sprintf("n%d", i)
	}
	clear(g.byID)
	for _, n := range g.nodes {
		g.byID[n.id] = n
	}
	slices.SortFunc(g.edges, func(a, b *cgEdge) int {
		return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to),
			cmp.Compare(opRank(a.op), opRank(b.op)), cmp.Compare(a.op, b.op), boolCompare(a.loop, b.loop))
	})
	for i, e := range g.edges {
		e.svgID = fmt.Sprintf("e%d", i)
	}
}

// opRank orders calls before the operations, in C R U D O order.
func opRank(op graph.Op) int {
	if op == "" {
		return -1
	}
	return op.Rank()
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// joinNonEmpty joins the non-empty strings of ss with spaces.
func joinNonEmpty(ss ...string) string {
	return strings.Join(slices.DeleteFunc(ss, func(s string) bool { return s == "" }), " ")
}

// compactEdges removes the pass-through functions: a function with exactly
// one incoming and one outgoing call edge and no table edge. Its two edges
// become one, which runs per iteration when either did. Handlers and
// middleware stay: they are where a reader starts. Functions are taken in
// the order of their ids, in one pass: joining two edges changes no degree,
// so a function that cannot be removed never can later.
func compactEdges(nodes map[string]*cgNode, edges []*cgEdge) []*cgEdge {
	in := make(map[string][]*cgEdge)
	out := make(map[string][]*cgEdge)
	for _, e := range edges {
		in[e.to] = append(in[e.to], e)
		out[e.from] = append(out[e.from], e)
	}
	ids := make([]string, 0, len(nodes))
	for id, n := range nodes {
		if n.kind == nodeFunc && (n.fn == nil || n.fn.Kind == "") {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	dropped := make(map[*cgEdge]bool)
	for _, id := range ids {
		i, o := in[id], out[id]
		if len(i) != 1 || len(o) != 1 || o[0].op != "" || i[0].from == id || o[0].to == id {
			continue
		}
		joined := &cgEdge{from: i[0].from, to: o[0].to, op: "", loop: i[0].loop || o[0].loop}
		replaceEdge(out[joined.from], i[0], joined)
		replaceEdge(in[joined.to], o[0], joined)
		dropped[i[0]], dropped[o[0]] = true, true
		edges = append(edges, joined)
		delete(nodes, id)
	}
	return slices.DeleteFunc(edges, func(e *cgEdge) bool { return dropped[e] })
}

// replaceEdge replaces old by e in edges.
func replaceEdge(edges []*cgEdge, old, e *cgEdge) {
	edges[slices.Index(edges, old)] = e
}

// groupFunctions puts each function that exactly one route reaches into
// that route's cluster.
func (g *callGraph) groupFunctions() {
	out := make(map[string][]string)
	for _, e := range g.edges {
		if e.op == "" {
			out[e.from] = append(out[e.from], e.to)
		}
	}
	reachedBy := make(map[string][]*cgNode) // function id → routes
	clusters := make(map[*cgNode]*cgCluster)
	for _, rn := range g.nodes {
		if rn.kind != nodeRoute {
			continue
		}
		seen := map[string]bool{rn.id: true}
		stack := []string{rn.id}
		for len(stack) > 0 {
			id := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, to := range out[id] {
				if !seen[to] {
					seen[to] = true
					stack = append(stack, to)
					reachedBy[to] = append(reachedBy[to], rn)
				}
			}
		}
	}
	for _, n := range g.nodes {
		if n.kind != nodeFunc || len(reachedBy[n.id]) != 1 {
			continue
		}
		rn := reachedBy[n.id][0]
		c := clusters[rn]
		if c == nil {
			c = &cgCluster{route: rn}
			clusters[rn] = c
			g.clusters = append(g.clusters, c)
		}
		c.funcs = append(c.funcs, n)
		n.cluster = c
	}
	slices.SortFunc(g.clusters, func(a, b *cgCluster) int { return cmp.Compare(a.route.name, b.route.name) })
	for i, c := range g.clusters {
		c.svgID = fmt.Sprintf("c%d", i)
	}
}

// writeDOT writes the call graph as a Graphviz digraph.
func writeDOT(w io.Writer, r *graph.Report, opt Options) error {
	return writeGraphDOT(w, newCallGraph(r, opt.Graph), opt.Graph)
}

// writeGraphDOT writes g, the call graph in mode (Options.Graph), as a
// Graphviz digraph.
func writeGraphDOT(w io.Writer, g *callGraph, mode string) error {
	bw := bufio.NewWriter(w)
	switch {
	case g.byTable:
		bw.WriteString("// crudmap call graph (tables): routes that read → tables ← routes that write, functions folded\n")
	case mode == GraphFull:
		bw.WriteString("// crudmap call graph (full): routes → functions → tables\n")
	default:
		bw.WriteString("// crudmap call graph (compact): routes → functions → tables\n")
	}
	if g.note != "" {
		fmt.Fprintf(bw, "// note: %s\n", g.note)
	}
	bw.WriteString("digraph crudmap {\n")
	bw.WriteString("\tgraph [rankdir=LR, fontname=\"Helvetica,Arial,sans-serif\", fontsize=10, nodesep=0.25, ranksep=0.7, pad=0.2, labelloc=t, labeljust=l,\n")
	bw.WriteString("\t\tlabel=<" + dotLegend(g.note, g.byTable) + ">];\n")
	bw.WriteString("\tnode [fontname=\"Helvetica,Arial,sans-serif\", fontsize=10, margin=\"0.1,0.04\", height=0.3];\n")
	bw.WriteString("\tedge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=9, arrowsize=0.6, color=\"" + dotCallColor + "\"];\n")
	if g.byTable {
		writeTableDOTBody(bw, g)
	} else {
		writeFunctionDOTBody(bw, g)
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// writeFunctionDOTBody writes the nodes and edges of a call graph through
// functions: routes in the first rank, tables in the last, the functions
// that one route alone reaches in a cluster of their own.
func writeFunctionDOTBody(bw *bufio.Writer, g *callGraph) {
	var routes, free, tables []*cgNode
	for _, n := range g.nodes {
		switch {
		case n.kind == nodeRoute:
			routes = append(routes, n)
		case n.kind == nodeTable:
			tables = append(tables, n)
		case n.cluster == nil:
			free = append(free, n)
		}
	}
	writeDOTRank(bw, "routes", "routes", "source", routes)
	for _, c := range g.clusters {
		fmt.Fprintf(bw, "\n\t// functions that only %s reaches\n", dotComment(c.route.name))
		fmt.Fprintf(bw, "\tsubgraph cluster_%s {\n", c.svgID)
		fmt.Fprintf(bw, "\t\tid=%s; class=\"route-group\"; label=\"\"; style=\"rounded,dashed\"; color=\"#cbd5e1\"; tooltip=%s;\n",
			dotQuote(c.svgID), dotLabel(c.route.name))
		for _, n := range c.funcs {
			writeDOTNode(bw, "\t\t", n)
		}
		bw.WriteString("\t}\n")
	}
	if len(free) > 0 {
		bw.WriteString("\n\t// functions that several routes reach\n")
		for _, n := range free {
			writeDOTNode(bw, "\t", n)
		}
	}
	writeDOTRank(bw, "tables", "tables", "sink", tables)
	if len(g.edges) > 0 {
		bw.WriteString("\n")
	}
	writeFunctionEdges(bw, "\t", g.edges)
}

// writeFunctionEdges writes the edges of a call graph through functions:
// calls in grey, operations in their colour, per-iteration ones in bold
// and labelled.
func writeFunctionEdges(bw *bufio.Writer, indent string, edges []*cgEdge) {
	for _, e := range edges {
		var attrs []string
		attrs = append(attrs, "id="+dotQuote(e.svgID))
		class := "call"
		if e.op != "" {
			class = "op-" + strings.ToLower(string(e.op))
			attrs = append(attrs, "color="+dotQuote(opColor(e.op)))
		}
		if e.loop {
			class += " loop"
			labelColor := opColor(e.op)
			if e.op == "" {
				labelColor = "#4b5563" // the call grey is too light for text
			}
			attrs = append(attrs, "style=bold", "penwidth=2.5", "label=\"per iteration\"", "fontcolor="+dotQuote(labelColor))
		}
		attrs = slices.Insert(attrs, 1, "class="+dotQuote(class))
		if e.op != "" {
			attrs = append(attrs, "tooltip="+dotLabel(string(e.op)))
		}
		fmt.Fprintf(bw, "%s%s -> %s [%s];\n", indent, dotQuote(e.from), dotQuote(e.to), strings.Join(attrs, ", "))
	}
}

// writeTableDOTBody writes the nodes and edges of a graph drawn by table:
// the routes that only read in the first rank, the tables in the middle,
// the routes that write in the last rank, each edge drawn from the route
// to the table in the colour of its most destructive operation, its
// operation letters in its tooltip. Edge labels would make Graphviz give
// each its own rank, and tangle the edges.
// A route that writes is the head of its edges in DOT (dir=back draws the
// arrow at the table) so that it lands right of the tables.
func writeTableDOTBody(bw *bufio.Writer, g *callGraph) {
	var readers, writers, tables []*cgNode
	for _, n := range g.nodes {
		switch {
		case n.kind == nodeTable:
			tables = append(tables, n)
		case n.writes:
			writers = append(writers, n)
		default:
			readers = append(readers, n)
		}
	}
	writeDOTRank(bw, "readers", "routes that only read", "source", readers)
	writeDOTRank(bw, "tables", "tables", "", tables)
	writeDOTRank(bw, "writers", "routes that write", "sink", writers)
	if len(g.edges) > 0 {
		bw.WriteString("\n")
	}
	for _, e := range g.edges {
		from, to, dir := e.from, e.to, ""
		if g.byID[e.from].writes {
			from, to, dir = e.to, e.from, ", dir=back"
		}
		class := "op-" + strings.ToLower(string(e.op))
		style := ""
		if e.loop {
			class += " loop"
			style = ", style=bold, penwidth=2.5"
		}
		fmt.Fprintf(bw, "\t%s -> %s [id=%s, class=%s, color=%s%s%s, tooltip=%s];\n",
			dotQuote(from), dotQuote(to), dotQuote(e.svgID), dotQuote(class), dotQuote(opColor(e.op)),
			style, dir, dotLabel(g.byID[e.from].name+" → "+g.byID[e.to].name+": "+e.letters))
	}
}

// writeDOTRank writes nodes as subgraph name, after a comment line, in
// rank ("source", "sink", or "" for none).
func writeDOTRank(bw *bufio.Writer, name, comment, rank string, nodes []*cgNode) {
	if len(nodes) == 0 {
		return
	}
	fmt.Fprintf(bw, "\n\t// %s\n\tsubgraph %s {\n", comment, name)
	if rank != "" {
		fmt.Fprintf(bw, "\t\trank=%s;\n", rank)
	}
	for _, n := range nodes {
		writeDOTNode(bw, "\t\t", n)
	}
	bw.WriteString("\t}\n")
}

// writeDOTNode writes one node statement.
func writeDOTNode(w *bufio.Writer, indent string, n *cgNode) {
	attrs := []string{"id=" + dotQuote(n.svgID), "class=" + dotQuote(n.kind)}
	switch n.kind {
	case nodeRoute:
		attrs = append(attrs, "shape=box", `style="rounded,filled"`, "fillcolor="+dotQuote(dotRouteFill), "color="+dotQuote(dotRouteLine))
	case nodeTable:
		if n.table != nil && n.table.CacheCandidate {
			attrs[1] = "class=\"table cache\""
			attrs = append(attrs, "shape=cylinder", `style="filled,dashed"`, "peripheries=2", "fillcolor="+dotQuote(dotCacheFill), "color="+dotQuote(dotTableLine))
		} else {
			attrs = append(attrs, "shape=cylinder", "style=filled", "fillcolor="+dotQuote(dotTableFill), "color="+dotQuote(dotTableLine))
		}
	default:
		attrs = append(attrs, "shape=ellipse")
		if n.fn != nil && n.fn.Kind == "handler" {
			attrs = append(attrs, "style=filled", "fillcolor="+dotQuote(dotHandlerFill))
		}
		if n.fn != nil && n.fn.Kind == "middleware" {
			attrs = append(attrs, "style=dashed")
		}
	}
	attrs = append(attrs, "label="+dotLabel(n.label))
	if n.tooltip != "" {
		attrs = append(attrs, "tooltip="+dotLabel(oneLine(n.name)+" — "+n.tooltip))
	}
	fmt.Fprintf(w, "%s%s [%s];\n", indent, dotQuote(n.id), strings.Join(attrs, ", "))
}

// dotLegend is the graph's label: what the colours and styles mean, then
// the note on how the graph was bounded, if any, as a Graphviz HTML-like
// label (fixed text, nothing from the analysed code).
func dotLegend(note string, byTable bool) string {
	var b strings.Builder
	b.WriteString(`<font point-size="9">`)
	for _, op := range graph.Ops {
		fmt.Fprintf(&b, `<font color="%s">&#9632; %s</font>   `, opColor(op), op)
	}
	fmt.Fprintf(&b, `<font color="%s">&#9632; call</font><br align="left"/>`, dotCallColor)
	if byTable {
		b.WriteString(`left: routes that only read   right: routes that write   an edge takes the colour of its most destructive operation<br align="left"/>`)
	}
	b.WriteString(`<b>bold</b>: once per loop iteration   dashed double cylinder: read-only table (cache candidate)<br align="left"/>`)
	for _, line := range strings.SplitAfter(note, "; ") {
		if line != "" {
			fmt.Fprintf(&b, `<font color="%s">%s</font><br align="left"/>`, dotNoteColor, html.EscapeString(line))
		}
	}
	b.WriteString(`</font>`)
	return b.String()
}

// dotQuote returns s as a DOT quoted string. Control characters and hidden
// runes become Go escapes (oneLine): Graphviz copies a node's name into the
// SVG, where XML forbids them, and cuts a string at a NUL. Graphviz's lexer
// reads \" as a quote, keeps \\ as two backslashes, drops a backslash
// before a line break and keeps any other backslash, so the value is exactly
// oneLine(s) except where that has a lone backslash before a quote or at its
// end: no quoted string can hold one, and it is doubled. dotLabel's values,
// whose backslashes come in pairs, are always exact.
func dotQuote(s string) string {
	s = oneLine(s)
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\' && i+1 < len(s) && s[i+1] == '\\':
			b.WriteString(`\\`)
			i++
		case c == '\\' && (i+1 == len(s) || s[i+1] == '"'):
			b.WriteString(`\\`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// dotLabel returns s as a quoted DOT label (or tooltip) that displays s:
// Graphviz reads \n, \l, \N and the like in a label as escapes, so each
// backslash of s is doubled, control characters are shown as Go escapes, and
// each line break of the label becomes \n (centred lines).
func dotLabel(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(oneLine(l), `\`, `\\`)
	}
	return dotQuote(strings.Join(lines, `\n`))
}

// dotComment returns s made safe for a // comment line.
func dotComment(s string) string {
	return oneLine(s)
}

// The focus atlas: the HTML page drawn by table focuses a route or a table
// on its own call graph, laid out alone rather than cut out of the whole.
// Every route's and table's neighbourhood is one cluster of a single DOT
// graph, laid out in one Graphviz run; the page shows one cluster at a time.

// The bounds of the atlas, whose clusters together hold each function once
// per route and table that reaches it: isuride's 51 routes and 13 tables
// make 656 nodes, laid out in 0.7 s; 200 routes make 1,900 nodes and take
// 4.7 s. Beyond the bounds the page focuses by hiding the rest of the
// graph drawn by table, and cropping it.
const (
	maxAtlasNodes = 1000
	maxAtlasEdges = 1500
	// maxPartNodes is the most nodes of a table's neighbourhood drawn
	// through its functions; a larger one, a table that most routes use, is
	// drawn routes straight to the table.
	maxPartNodes = 60
)

// focusPart is the neighbourhood of one route or table.
type focusPart struct {
	key   string     // node id of the route or table
	svgID string     // "f3": the cluster's id; its nodes' and edges' ids start "f3_"
	g     *callGraph // node ids are prefixed with svgID and "|", unique in the atlas
}

// focusAtlas returns the neighbourhood of each route and table of r in its
// compact call graph: what a route reaches, or what reaches a table. It
// returns nil when the neighbourhoods together are beyond the bounds.
func focusAtlas(r *graph.Report) []*focusPart {
	base := functionGraph(r, GraphCompact)
	base.decorateTables(r.Tables)
	base.sort()
	out := make(map[string][]*cgEdge)
	in := make(map[string][]*cgEdge)
	for _, e := range base.edges {
		out[e.from] = append(out[e.from], e)
		in[e.to] = append(in[e.to], e)
	}
	var parts []*focusPart
	nodes, edges := 0, 0
	for _, n := range base.nodes {
		var reached map[string]bool
		switch n.kind {
		case nodeRoute:
			reached = reachFrom(n.id, out, func(e *cgEdge) string { return e.to })
		case nodeTable:
			reached = reachFrom(n.id, in, func(e *cgEdge) string { return e.from })
		default:
			continue
		}
		if len(reached) < 2 {
			continue
		}
		p := &focusPart{key: n.id, svgID: fmt.Sprintf("f%d", len(parts))}
		if n.kind == nodeTable && len(reached) > maxPartNodes {
			p.g = tableStar(r, n, p.svgID)
		} else {
			p.g = base.subgraph(reached, p.svgID)
		}
		parts = append(parts, p)
		nodes += len(p.g.nodes)
		edges += len(p.g.edges)
		if nodes > maxAtlasNodes || edges > maxAtlasEdges {
			return nil
		}
	}
	return parts
}

// reachFrom returns start and the node ids reachable from it along adj,
// next naming an edge's far end.
func reachFrom(start string, adj map[string][]*cgEdge, next func(*cgEdge) string) map[string]bool {
	seen := map[string]bool{start: true}
	stack := []string{start}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range adj[id] {
			if to := next(e); !seen[to] {
				seen[to] = true
				stack = append(stack, to)
			}
		}
	}
	return seen
}

// subgraph returns the part of g made of the nodes in keep and the edges
// between them, copied with prefix and "|" before their node ids and
// prefix and "_" before their SVG ids (Graphviz would write a "-" as
// "&#45;").
func (g *callGraph) subgraph(keep map[string]bool, prefix string) *callGraph {
	sub := &callGraph{byID: make(map[string]*cgNode)}
	for _, n := range g.nodes {
		if keep[n.id] {
			c := *n
			c.id, c.svgID, c.cluster = prefix+"|"+n.id, prefix+"_"+n.svgID, nil
			sub.nodes = append(sub.nodes, &c)
			sub.byID[c.id] = &c
		}
	}
	for _, e := range g.edges {
		if keep[e.from] && keep[e.to] {
			c := *e
			c.from, c.to, c.svgID = prefix+"|"+e.from, prefix+"|"+e.to, prefix+"_"+e.svgID
			sub.edges = append(sub.edges, &c)
		}
	}
	return sub
}

// tableStar returns the routes that touch table t drawn straight to it,
// one edge per route, with node ids and SVG ids prefixed as by subgraph.
func tableStar(r *graph.Report, t *cgNode, prefix string) *callGraph {
	g := &callGraph{byID: make(map[string]*cgNode)}
	tc := *t
	tc.id, tc.svgID, tc.cluster = prefix+"|"+t.id, prefix+"_t", nil
	g.nodes = append(g.nodes, &tc)
	for i, rt := range r.Routes {
		for _, ops := range rt.Tables {
			if nodeTable+":"+ops.Table != t.id {
				continue
			}
			n := &cgNode{id: prefix + "|" + nodeRoute + ":" + rt.Key(), kind: nodeRoute, name: rt.Key(), label: oneLine(rt.Key()),
				tooltip: joinNonEmpty(rt.Handler, rt.Pos), svgID: fmt.Sprintf("%s_r%d", prefix, i)}
			g.nodes = append(g.nodes, n)
			g.edges = append(g.edges, &cgEdge{from: n.id, to: tc.id, op: edgeOp(ops.Ops), loop: len(ops.LoopOps) > 0,
				letters: opLetters(ops, "*"), svgID: fmt.Sprintf("%s_e%d", prefix, i)})
		}
	}
	for _, n := range g.nodes {
		g.byID[n.id] = n
	}
	return g
}

// writeAtlasDOT writes the focus atlas as one Graphviz digraph, a cluster
// per part, packed one below the other: each part is laid out on its own,
// faster than unpacked (200 routes: 4.7 s, not 18 s). Graphviz drops the edge
// labels of packed parts: there, bold alone marks an edge that runs per
// iteration, as the page's hint says.
func writeAtlasDOT(w io.Writer, parts []*focusPart) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("// crudmap focus atlas: the call graph of each route and table, one cluster each\n")
	bw.WriteString("digraph focus {\n")
	bw.WriteString("\tgraph [rankdir=LR, fontname=\"Helvetica,Arial,sans-serif\", fontsize=10, nodesep=0.25, ranksep=0.5, pad=0.2, pack=true, packmode=\"array_c1\"];\n")
	bw.WriteString("\tnode [fontname=\"Helvetica,Arial,sans-serif\", fontsize=10, margin=\"0.1,0.04\", height=0.3];\n")
	bw.WriteString("\tedge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=9, arrowsize=0.6, color=\"" + dotCallColor + "\"];\n")
	for _, p := range parts {
		fmt.Fprintf(bw, "\n\t// %s\n\tsubgraph cluster_%s {\n", dotComment(p.key), p.svgID)
		fmt.Fprintf(bw, "\t\tid=%s; class=\"part\"; label=\"\"; color=\"#ffffff\";\n", dotQuote(p.svgID))
		for _, n := range p.g.nodes {
			writeDOTNode(bw, "\t\t", n)
		}
		writeFunctionEdges(bw, "\t\t", p.g.edges)
		bw.WriteString("\t}\n")
	}
	bw.WriteString("}\n")
	return bw.Flush()
}
