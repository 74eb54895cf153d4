package render

import (
	"bufio"
	"cmp"
	"fmt"
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

// Node kinds of the call graph, the prefixes of graph.Edge node ids.
const (
	nodeRoute = "route"
	nodeFunc  = "func"
	nodeTable = "table"
)

// callGraph is the call graph as the DOT, SVG and HTML reports draw it:
// Report.Edges with duplicates merged and, in compact mode, pass-through
// functions removed. Every slice is sorted, so the output is deterministic.
type callGraph struct {
	nodes    []*cgNode // routes, then functions, then tables
	edges    []*cgEdge
	clusters []*cgCluster
	byID     map[string]*cgNode
}

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
}

// cgEdge is an edge of the call graph.
type cgEdge struct {
	from, to string // node ids
	op       graph.Op
	loop     bool
	svgID    string
}

// cgCluster groups the functions that one route alone reaches.
type cgCluster struct {
	route *cgNode
	funcs []*cgNode
	svgID string
}

// newCallGraph builds the call graph of r. mode is Options.Graph: "full"
// keeps every function, anything else is compact.
func newCallGraph(r *graph.Report, mode string) *callGraph {
	g := &callGraph{byID: make(map[string]*cgNode)}
	add := func(id string) *cgNode {
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
	for _, rt := range r.Routes {
		n := add(nodeRoute + ":" + rt.Key())
		n.tooltip = joinNonEmpty(rt.Handler, rt.Pos)
	}
	for _, f := range r.Functions {
		n := add(nodeFunc + ":" + f.ID)
		n.fn = f
		n.tooltip = joinNonEmpty(f.Kind, f.Pos)
	}

	// Edges, without duplicates (the same call from two call sites).
	type edgeKey struct {
		from, to string
		op       graph.Op
		loop     bool
	}
	seen := make(map[edgeKey]bool)
	var edges []*cgEdge
	addEdge := func(e *cgEdge) {
		k := edgeKey{e.from, e.to, e.op, e.loop}
		if !seen[k] {
			seen[k] = true
			edges = append(edges, e)
		}
	}
	for _, e := range r.Edges {
		add(e.From)
		add(e.To)
		addEdge(&cgEdge{from: e.From, to: e.To, op: e.Op, loop: e.Loop})
	}
	if mode != "full" {
		edges = compactEdges(g.byID, edges)
		clear(seen)
		kept := edges
		edges = nil
		for _, e := range kept {
			addEdge(e)
		}
	}

	// Tables: those an edge reaches; a schema table no query touches would
	// only be clutter.
	for _, t := range r.Tables {
		if n := g.byID[nodeTable+":"+t.Name]; n != nil {
			n.table = t
			n.tooltip = t.File
			if t.CacheCandidate {
				n.label += "\n(read-only)"
			}
		}
	}

	// Nodes: every route, then the functions and tables an edge still uses.
	used := make(map[string]bool)
	for _, e := range edges {
		used[e.from], used[e.to] = true, true
	}
	for _, n := range g.byID {
		if n.kind == nodeRoute || used[n.id] || n.kind == nodeFunc && n.fn != nil && mode == "full" {
			g.nodes = append(g.nodes, n)
		}
	}
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
	slices.SortFunc(edges, func(a, b *cgEdge) int {
		return cmp.Or(cmp.Compare(a.from, b.from), cmp.Compare(a.to, b.to),
			cmp.Compare(opRank(a.op), opRank(b.op)), cmp.Compare(a.op, b.op), boolCompare(a.loop, b.loop))
	})
	for i, e := range edges {
		e.svgID = fmt.Sprintf("e%d", i)
	}
	g.edges = edges
	g.groupFunctions()
	return g
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
// middleware stay: they are where a reader starts.
func compactEdges(nodes map[string]*cgNode, edges []*cgEdge) []*cgEdge {
	for {
		in := make(map[string][]*cgEdge)
		out := make(map[string][]*cgEdge)
		for _, e := range edges {
			in[e.to] = append(in[e.to], e)
			out[e.from] = append(out[e.from], e)
		}
		var drop *cgNode
		var ids []string
		for id := range nodes {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			n := nodes[id]
			if n.kind != nodeFunc || n.fn != nil && n.fn.Kind != "" {
				continue
			}
			if i, o := in[id], out[id]; len(i) == 1 && len(o) == 1 && o[0].op == "" &&
				i[0].from != id && o[0].to != id {
				drop = n
				break
			}
		}
		if drop == nil {
			return edges
		}
		i, o := in[drop.id][0], out[drop.id][0]
		edges = slices.DeleteFunc(edges, func(e *cgEdge) bool { return e == i || e == o })
		edges = append(edges, &cgEdge{from: i.from, to: o.to, op: "", loop: i.loop || o.loop})
		delete(nodes, drop.id)
	}
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
	g := newCallGraph(r, opt.Graph)
	bw := bufio.NewWriter(w)
	mode := "compact"
	if opt.Graph == "full" {
		mode = "full"
	}
	fmt.Fprintf(bw, "// crudmap call graph (%s): routes → functions → tables\n", mode)
	bw.WriteString("digraph crudmap {\n")
	bw.WriteString("\tgraph [rankdir=LR, fontname=\"Helvetica,Arial,sans-serif\", fontsize=10, nodesep=0.25, ranksep=0.7, pad=0.2, labelloc=t, labeljust=l,\n")
	bw.WriteString("\t\tlabel=<" + dotLegend() + ">];\n")
	bw.WriteString("\tnode [fontname=\"Helvetica,Arial,sans-serif\", fontsize=10, margin=\"0.1,0.04\", height=0.3];\n")
	bw.WriteString("\tedge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=9, arrowsize=0.6, color=\"" + dotCallColor + "\"];\n")

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
	if len(routes) > 0 {
		bw.WriteString("\n\t// routes\n\tsubgraph routes {\n\t\trank=source;\n")
		for _, n := range routes {
			writeDOTNode(bw, "\t\t", n)
		}
		bw.WriteString("\t}\n")
	}
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
	if len(tables) > 0 {
		bw.WriteString("\n\t// tables\n\tsubgraph tables {\n\t\trank=sink;\n")
		for _, n := range tables {
			writeDOTNode(bw, "\t\t", n)
		}
		bw.WriteString("\t}\n")
	}
	if len(g.edges) > 0 {
		bw.WriteString("\n")
	}
	for _, e := range g.edges {
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
		fmt.Fprintf(bw, "\t%s -> %s [%s];\n", dotQuote(e.from), dotQuote(e.to), strings.Join(attrs, ", "))
	}
	bw.WriteString("}\n")
	return bw.Flush()
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

// dotLegend is the graph's label: what the colours and styles mean, as a
// Graphviz HTML-like label (fixed text, nothing from the analysed code).
func dotLegend() string {
	var b strings.Builder
	b.WriteString(`<font point-size="9">`)
	for _, op := range graph.Ops {
		fmt.Fprintf(&b, `<font color="%s">&#9632; %s</font>   `, opColor(op), op)
	}
	fmt.Fprintf(&b, `<font color="%s">&#9632; call</font><br align="left"/>`, dotCallColor)
	b.WriteString(`<b>bold</b>: once per loop iteration   dashed double cylinder: read-only table (cache candidate)<br align="left"/></font>`)
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
