package render

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/crudmap/crudmap/graph"
)

// Every string from the analysed code goes through mdText or mdCode (Markdown
// text) or into a code block written by writeMDCodeBlock; the report's own
// words and the operation letters are written as they are.

const (
	// mdCollapseRoutes is the number of routes above which the CRUD matrix
	// goes into a <details> block the reader can collapse.
	mdCollapseRoutes = 25
	// mermaidMaxEdges and mermaidMaxText are the most edges and bytes of
	// text Mermaid draws by default (its maxEdges and maxTextSize settings);
	// a larger graph is not drawn.
	mermaidMaxEdges = 500
	mermaidMaxText  = 50000
)

// writeMarkdown writes the report as GitHub-flavoured Markdown for a team
// note: summary, findings, CRUD matrix, routes, indexes, cache candidates,
// a Mermaid graph, and notes.
func writeMarkdown(w io.Writer, r *graph.Report) error {
	bw := new(bytes.Buffer)
	fmt.Fprintf(bw, "# crudmap: %s\n\n", mdText(r.Module))
	if len(r.Routes) == 0 {
		bw.WriteString("No HTTP routes found.\n\n")
	} else {
		bw.WriteString(mdText(summary(r)) + "\n\n")
	}
	writeMDFindings(bw, r.Findings)
	if len(r.Routes) > 0 {
		writeMDMatrix(bw, r.Routes)
		writeMDRoutes(bw, r)
	}
	writeMDIndexes(bw, r)
	writeMDCache(bw, r.Tables)
	writeMDGraph(bw, r.Routes)
	writeMDNotes(bw, r.Notes)
	_, err := w.Write(append(bytes.TrimRight(bw.Bytes(), "\n"), '\n'))
	return err
}

// mdKindTitles are the headings of the findings' subsections.
var mdKindTitles = map[string]string{
	graph.KindNPlusOne:   "N+1 queries",
	graph.KindUnindexed:  "Unindexed predicates",
	graph.KindReadOnlyTx: "Read-only transactions",
	graph.KindSchema:     "Schema drift",
	graph.KindSQLError:   "SQL the parser rejected",
	graph.KindIgnore:     "Suppressions",
}

// writeMDFindings writes the findings, one subsection per kind.
func writeMDFindings(w *bytes.Buffer, fs []*graph.Finding) {
	w.WriteString("## Findings\n\n")
	if len(fs) == 0 {
		w.WriteString("No findings.\n\n")
		return
	}
	for _, g := range groupFindings(fs) {
		title, ok := mdKindTitles[g.kind]
		if !ok {
			title = mdText(g.kind)
		}
		fmt.Fprintf(w, "### %s\n\n", title)
		switch g.kind {
		case graph.KindNPlusOne:
			onRoutes, background := splitBackground(g.findings)
			writeMDNPlusOne(w, onRoutes)
			if len(background) > 0 {
				w.WriteString("#### Off the request path\n\nNo route runs these loops: workers, start-up code crudmap did not rule out, routes it could not resolve.\n\n")
				writeMDNPlusOne(w, background)
			}
		case graph.KindUnindexed:
			writeMDUnindexed(w, g.findings)
		case graph.KindReadOnlyTx:
			writeMDReadOnlyTx(w, g.findings)
		default:
			writeMDOtherFindings(w, g.findings)
		}
	}
}

// writeMDNPlusOne writes the table of N+1 findings, one row per query
// and loop, naming every route that runs it.
func writeMDNPlusOne(w *bytes.Buffer, fs []*graph.Finding) {
	var rows [][]string
	var routes [][]string
	at := map[string]int{}
	for _, f := range fs {
		depth := ""
		if f.Depth > 0 {
			depth = strconv.Itoa(f.Depth)
		}
		row := []string{
			"", mdText(cmp.Or(f.Query, f.Pos)), mdText(cmp.Or(f.Operation, string(f.Op)+" "+f.Table)),
			mdText(f.Loop), depth, mdText(strings.Join(f.Path, " → ")), mdText(f.Fix),
		}
		key := strings.Join(row, "\x00")
		i, ok := at[key]
		if !ok {
			i = len(rows)
			at[key] = i
			rows = append(rows, row)
			routes = append(routes, nil)
		}
		routes[i] = append(routes[i], routesOf(f)...)
	}
	for i := range rows {
		rows[i][0] = mdRoutes(routes[i])
	}
	mdTable(w, []string{"Route", "Query", "Operation", "Loop", "Depth", "Call path", "Fix"}, rows)
}

// routesOf returns the routes that run a finding's code.
func routesOf(f *graph.Finding) []string {
	if len(f.Routes) == 0 && f.Route != "" {
		return []string{f.Route}
	}
	return f.Routes
}

// maxMDRoutes is how many routes a table cell names before it counts the
// rest.
const maxMDRoutes = 4

// mdRoutes names routes in a table cell, one per line.
func mdRoutes(keys []string) string {
	var cells []string
	for i, k := range keys {
		if i == maxMDRoutes-1 && len(keys) > maxMDRoutes {
			cells = append(cells, fmt.Sprintf("and %d more", len(keys)-i))
			break
		}
		cells = append(cells, mdRoute(k))
	}
	return strings.Join(cells, "<br>")
}

// writeMDUnindexed writes the table of unindexed predicates, then every
// suggested index in one SQL block to copy.
func writeMDUnindexed(w *bytes.Buffer, fs []*graph.Finding) {
	var rows [][]string
	var ddl []string
	for _, f := range fs {
		rows = append(rows, []string{
			mdRoutes(routesOf(f)), mdText(f.Pos), mdText(f.Table),
			mdText(strings.Join(f.Columns, ", ")), mdText(f.Message),
		})
		if f.Suggestion != "" {
			ddl = append(ddl, f.Suggestion)
		}
	}
	mdTable(w, []string{"Route", "Position", "Table", "Columns", "Message"}, rows)
	if len(ddl) > 0 {
		slices.Sort(ddl)
		w.WriteString("Suggested indexes:\n\n")
		writeMDCodeBlock(w, "sql", strings.Join(slices.Compact(ddl), "\n"))
	}
}

// writeMDReadOnlyTx writes the table of read-only transactions.
func writeMDReadOnlyTx(w *bytes.Buffer, fs []*graph.Finding) {
	var rows [][]string
	for _, f := range fs {
		reads := ""
		if f.Reads > 0 {
			reads = strconv.Itoa(f.Reads)
		}
		rows = append(rows, []string{
			mdRoutes(routesOf(f)), mdText(cmp.Or(f.Begin, f.Pos)), reads,
			mdText(strings.Join(f.Tables, ", ")), mdText(f.Message), mdText(f.Fix),
		})
	}
	mdTable(w, []string{"Route", "Begin", "Reads", "Tables", "Message", "Fix"}, rows)
}

// writeMDOtherFindings writes the table of findings of any other kind.
func writeMDOtherFindings(w *bytes.Buffer, fs []*graph.Finding) {
	var rows [][]string
	for _, f := range fs {
		sql := ""
		if f.SQL != "" {
			sql = mdCode(f.SQL)
		}
		rows = append(rows, []string{mdText(f.Pos), mdRoutes(routesOf(f)), mdText(f.Message), sql, mdText(f.Fix)})
	}
	mdTable(w, []string{"Position", "Route", "Message", "SQL", "Fix"}, rows)
}

// mdRoute returns a route's key as inline code, or "" for none.
func mdRoute(key string) string {
	if key == "" {
		return ""
	}
	return mdCode(key)
}

// mdTable writes a table whose cells are already Markdown. It leaves out the
// columns that are empty in every row.
func mdTable(w *bytes.Buffer, header []string, rows [][]string) {
	var keep []int
	for j := range header {
		if slices.ContainsFunc(rows, func(row []string) bool { return row[j] != "" }) {
			keep = append(keep, j)
		}
	}
	pick := func(cells []string) []string {
		var out []string
		for _, j := range keep {
			out = append(out, cells[j])
		}
		return out
	}
	w.WriteString(mdRow(pick(header)))
	w.WriteString(mdRow(slices.Repeat([]string{"---"}, len(keep))))
	for _, row := range rows {
		w.WriteString(mdRow(pick(row)))
	}
	w.WriteString("\n")
}

// mdRow returns one table row, with its newline.
func mdRow(cells []string) string {
	return "| " + strings.Join(cells, " | ") + " |\n"
}

// writeMDCodeBlock writes code in a fenced block that code cannot close,
// its control characters and hidden runes shown as Go escapes.
func writeMDCodeBlock(w *bytes.Buffer, lang, code string) {
	code = strings.TrimSuffix(codeText(code), "\n")
	f := fence(code)
	fmt.Fprintf(w, "%s%s\n%s\n%s\n\n", f, lang, code, f)
}

// writeMDRouteTables writes the CRUD matrix as a table of one row per
// route, listing the tables it touches with their operation letters.
func writeMDRouteTables(w *bytes.Buffer, routes []*graph.Route) {
	w.WriteString(mdRow([]string{"Route", "Tables"}))
	w.WriteString(mdRow([]string{"---", "---"}))
	for _, rt := range routes {
		var ops []string
		for _, t := range rt.Tables {
			ops = append(ops, mdText(t.Table)+" "+opLetters(t, `\*`))
		}
		w.WriteString(mdRow([]string{mdCode(rt.Key()), strings.Join(ops, ", ")}))
	}
}

// mdLegend explains the CRUD matrix's cells.
const mdLegend = "C create (INSERT), R read (SELECT), U update (UPDATE), D delete (DELETE), " +
	"O other (SET, TRUNCATE, DDL, ...); `*` after a letter: the operation runs once per loop iteration (N+1).\n\n"

// writeMDMatrix writes the routes × tables matrix, collapsible when there
// are many routes, and its legend.
func writeMDMatrix(w *bytes.Buffer, routes []*graph.Route) {
	w.WriteString("## CRUD matrix\n\n")
	tables := matrixTables(routes)
	if len(tables) == 0 {
		w.WriteString("No route touches a table.\n\n")
		return
	}
	collapse := len(routes) > mdCollapseRoutes
	if collapse {
		fmt.Fprintf(w, "<details open><summary>%d routes × %d tables</summary>\n\n", len(routes), len(tables))
	}
	if len(routes)*len(tables) > maxMatrixCells {
		writeMDRouteTables(w, routes)
	} else {
		header := []string{"Route"}
		align := []string{"---"}
		for _, t := range tables {
			header = append(header, mdText(t))
			align = append(align, ":-:")
		}
		w.WriteString(mdRow(header))
		w.WriteString(mdRow(align))
		for _, rt := range routes {
			// The cells hold only operation letters; a backslash keeps '*'
			// from reading as emphasis.
			w.WriteString(mdRow(append([]string{mdCode(rt.Key())}, matrixRow(rt, tables, `\*`, "")...)))
		}
	}
	w.WriteString("\n")
	if collapse {
		w.WriteString("</details>\n\n")
	}
	w.WriteString(mdLegend)
}

// writeMDRoutes writes one collapsed block per route with its middleware
// and the SQL of each of its queries.
func writeMDRoutes(w *bytes.Buffer, r *graph.Report) {
	w.WriteString("## Routes\n\n")
	queries := r.QueriesByID()
	loops := r.NPlusOneLoops()
	for _, rt := range r.Routes {
		fmt.Fprintf(w, "<details><summary>%s — %s — %s</summary>\n\n",
			mdCode(rt.Key()), mdText(rt.Handler), plural(len(rt.Queries), "query", "queries"))
		fmt.Fprintf(w, "Registered at %s, handler %s.", mdText(rt.Pos), mdCode(rt.Handler))
		if len(rt.Middleware) > 0 {
			mw := make([]string, len(rt.Middleware))
			for i, m := range rt.Middleware {
				mw[i] = mdCode(m)
			}
			fmt.Fprintf(w, " Middleware: %s.", strings.Join(mw, ", "))
		}
		w.WriteString("\n\n")
		for _, id := range rt.Queries {
			q := queries[id]
			if q == nil {
				fmt.Fprintf(w, "Query %s is missing from the report.\n\n", mdCode(id))
				continue
			}
			writeMDQuery(w, q, loops[graph.RouteQuery{Route: rt.Key(), QueryID: id}])
		}
		w.WriteString("</details>\n\n")
	}
}

// writeMDQuery writes one query of a route: a line of facts, then its SQL.
// loop is the position of the loop that runs it once per iteration, if any.
func writeMDQuery(w *bytes.Buffer, q *graph.Query, loops []string) {
	var ops []string
	for _, op := range q.Ops {
		ops = append(ops, string(op.Op)+" "+op.Table)
	}
	what := cmp.Or(strings.Join(ops, ", "), cmp.Or(q.Kind, "SQL"))
	facts := []string{"**" + mdText(what) + "** at " + mdText(q.Pos)}
	if q.Func != "" {
		facts = append(facts, "in "+mdCode(q.Func))
	}
	if q.Method != "" {
		facts = append(facts, "via "+mdCode(q.Method))
	}
	if q.Tx != "" {
		facts = append(facts, "in the transaction begun at "+mdText(q.Tx))
	}
	if len(loops) > 0 {
		facts = append(facts, "**N+1**: once per iteration of "+mdText(loopPhrase(loops)))
	}
	if q.Dynamic {
		facts = append(facts, "dynamic (? stands for text computed at run time)")
	}
	if q.Error != "" {
		facts = append(facts, "parser error: "+mdText(q.Error))
	}
	w.WriteString(strings.Join(facts, " · ") + "\n\n")
	writeMDCodeBlock(w, "sql", q.SQL)
}

// writeMDIndexes writes the indexes of the schema's tables and the tables
// that queries use but the schema lacks.
func writeMDIndexes(w *bytes.Buffer, r *graph.Report) {
	w.WriteString("## Indexes\n\n")
	if len(r.SchemaFiles) == 0 {
		w.WriteString("No schema file was read, so no index is known.\n\n")
		return
	}
	files := make([]string, len(r.SchemaFiles))
	for i, f := range r.SchemaFiles {
		files[i] = mdText(f)
	}
	fmt.Fprintf(w, "Schema: %s.\n\n", strings.Join(files, ", "))
	var rows [][]string
	var missing []string
	for _, t := range r.Tables {
		if !t.InSchema {
			missing = append(missing, mdCode(t.Name))
			continue
		}
		if len(t.Indexes) == 0 {
			rows = append(rows, []string{mdText(t.Name), "", "", "no index"})
		}
		for _, ix := range t.Indexes {
			rows = append(rows, []string{mdText(t.Name), mdText(ix.Name), mdText(strings.Join(ix.Columns, ", ")), indexKind(ix)})
		}
	}
	if len(rows) > 0 {
		mdTable(w, []string{"Table", "Index", "Columns", "Kind"}, rows)
	}
	if len(missing) > 0 {
		fmt.Fprintf(w, "Used by queries but missing from the schema: %s.\n\n", strings.Join(missing, ", "))
	}
}

// indexKind describes ix: "primary key", "unique", FULLTEXT, SPATIAL, or "".
func indexKind(ix *graph.Index) string {
	var kind []string
	switch {
	case ix.Primary:
		kind = append(kind, "primary key")
	case ix.Unique:
		kind = append(kind, "unique")
	}
	if ix.Kind != "" {
		kind = append(kind, mdText(ix.Kind))
	}
	return strings.Join(kind, ", ")
}

// writeMDCache lists the tables that are candidates for an in-memory cache.
func writeMDCache(w *bytes.Buffer, tables []*graph.Table) {
	var names []string
	for _, t := range tables {
		if t.CacheCandidate {
			names = append(names, "- "+mdCode(t.Name)+"\n")
		}
	}
	if len(names) == 0 {
		return
	}
	w.WriteString("## Cache candidates\n\nRoutes read these tables and no route other than initialize writes them:\n\n")
	w.WriteString(strings.Join(names, "") + "\n")
}

// writeMDGraph writes a Mermaid graph of the routes and the tables they
// touch, one edge per route and table, labelled with the operation letters.
// Edges that run once per loop iteration are drawn in red.
func writeMDGraph(w *bytes.Buffer, routes []*graph.Route) {
	tableIDs, nodes := mermaidTables(matrixTables(routes))
	var edges, loopEdges []string
	for i, rt := range routes {
		if len(rt.Tables) == 0 {
			continue
		}
		id := "r" + strconv.Itoa(i+1)
		nodes = append(nodes, fmt.Sprintf("  %s[%s]\n", id, mermaidLabel(rt.Key())))
		for _, t := range rt.Tables {
			if len(t.LoopOps) > 0 {
				loopEdges = append(loopEdges, strconv.Itoa(len(edges)))
			}
			edges = append(edges, fmt.Sprintf("  %s -->|%s| %s\n", id, opLetters(t, "*"), tableIDs[t.Table]))
		}
	}
	if len(edges) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("graph LR\n")
	b.WriteString(strings.Join(nodes, "") + strings.Join(edges, ""))
	if len(loopEdges) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:#d73a49,stroke-width:2px\n", strings.Join(loopEdges, ","))
	}
	w.WriteString("## Graph\n\n")
	if len(edges) > mermaidMaxEdges || b.Len() > mermaidMaxText {
		fmt.Fprintf(w, "The graph (%d edges) is larger than Mermaid draws; see the HTML or DOT report.\n\n", len(edges))
		return
	}
	writeMDCodeBlock(w, "mermaid", b.String())
}

// mermaidTables returns a Mermaid node id for each table, "t_" and the
// sanitised name, numbered where sanitising makes two names alike, and the
// nodes' declarations, drawn as cylinders.
func mermaidTables(tables []string) (ids map[string]string, nodes []string) {
	ids = make(map[string]string, len(tables))
	used := make(map[string]bool, len(tables))
	for _, t := range tables {
		id := mermaidID("t_", t)
		for n := 2; used[id]; n++ {
			id = mermaidID("t_", t) + "_" + strconv.Itoa(n)
		}
		used[id] = true
		ids[t] = id
		nodes = append(nodes, fmt.Sprintf("  %s[(%s)]\n", id, mermaidLabel(t)))
	}
	return ids, nodes
}

// writeMDNotes lists the run's notes.
func writeMDNotes(w *bytes.Buffer, notes []string) {
	if len(notes) == 0 {
		return
	}
	w.WriteString("## Notes\n\n")
	for _, n := range notes {
		w.WriteString("- " + mdText(n) + "\n")
	}
	w.WriteString("\n")
}
