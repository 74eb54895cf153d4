package render

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/crudmap/crudmap/graph"
)

// The Markdown report is written to be pasted where a team reads it: a PR
// comment, $GITHUB_STEP_SUMMARY, a shared note. It reads summary first: a
// headline, the findings grouped by site with their fix and one block of
// all the suggested DDL, then a compact CRUD matrix. Per-route SQL and the
// schema's indexes come only with Options.MarkdownFull: they made the
// report 4 to 5 times longer than GitHub's 65,536-character comment limit.
//
// It draws no Mermaid graph: one diagram of every route and table is a
// hairball from about 20 routes, and a small one per route would only
// repeat that route's line of the matrix; the HTML report has the
// interactive graph.
//
// Every string from the analysed code goes through mdText or mdCode, or
// into a code block written by writeMDCodeBlock. The only raw HTML is
// <details> and <summary>, around long lists.

// mdWords are the report's own words, in one place. Format verbs take
// their arguments by index, so a translation may reorder them.
var mdWords = struct {
	title, noRoutes, headline, noFindings, warning                    string
	unknownSQL                                                        string
	findings, background, fixLabel, fixAsFor, andMore, kindCount      string
	ddl, ddlIntro                                                     string
	matrix, matrixSummary, noTables, legend, routesWithoutSQL         string
	cache, cacheIntro, notes, more                                    string
	routesHeading, routeSummary, registered, middleware, missingQuery string
	queryAt, queryIn, queryVia, queryTx, queryLoop, queryDynamic      string
	queryError, indexes, noSchema, schemaFiles, missingFromSchema     string
	indexHeader                                                       [4]string
	routeColumn                                                       string
	noIndex, primaryKey, unique                                       string
	route, routes, table, tables, query, queries                      string
}{
	title:             "# crudmap: %[1]s\n\n",
	noRoutes:          "No HTTP routes found.",
	headline:          "**%[1]s** · findings: %[2]s",
	noFindings:        "no findings",
	warning:           "> **Warning:** %[1]s\n",
	unknownSQL:        "> **Unknown SQL** at %[1]s\n\n",
	findings:          "## Findings\n\n",
	background:        "no route runs it (a worker, start-up code, or a route crudmap could not resolve)",
	fixLabel:          "fix: %[1]s",
	fixAsFor:          "fix: as for %[1]s",
	andMore:           "and %[1]d more",
	kindCount:         "**%[1]d** %[2]s",
	ddl:               "### Suggested indexes\n\n",
	ddlIntro:          "Every index the findings above suggest, ready to copy:\n\n",
	matrix:            "## CRUD matrix\n\n",
	matrixSummary:     "<details><summary>%[1]d routes × %[2]d tables</summary>\n\n",
	noTables:          "No route touches a table.\n\n",
	legend:            "C create (INSERT), R read (SELECT), U update, D delete, O other (SET, TRUNCATE, DDL, ...); `*` after a letter: once per loop iteration (N+1).\n\n",
	routesWithoutSQL:  "Routes without SQL: %[1]s.\n\n",
	cache:             "## Cache candidates\n\n",
	cacheIntro:        "Routes read these tables and no route other than initialize writes them: %[1]s.\n\n",
	notes:             "## Notes\n\n",
	more:              "Per-route SQL and the schema's indexes: `crudmap -md-full -o report.md`, or the HTML report (`-o report.html`).\n",
	routesHeading:     "## Routes\n\n",
	routeSummary:      "<details><summary>%[1]s — %[2]s — %[3]s</summary>\n\n",
	registered:        "Registered at %[1]s, handler %[2]s.",
	middleware:        " Middleware: %[1]s.",
	missingQuery:      "Query %[1]s is missing from the report.\n\n",
	queryAt:           "**%[1]s** at %[2]s",
	queryIn:           "in %[1]s",
	queryVia:          "via %[1]s",
	queryTx:           "in the transaction begun at %[1]s",
	queryLoop:         "**N+1**: once per iteration of %[1]s",
	queryDynamic:      "dynamic (? stands for text computed at run time)",
	queryError:        "parser error: %[1]s",
	indexes:           "## Indexes\n\n",
	noSchema:          "No schema file was read, so no index is known.\n\n",
	schemaFiles:       "Schema: %[1]s.\n\n",
	missingFromSchema: "Used by queries but missing from the schema: %[1]s.\n\n",
	indexHeader:       [4]string{"Table", "Index", "Columns", "Kind"},
	routeColumn:       "Route",
	noIndex:           "no index",
	primaryKey:        "primary key",
	unique:            "unique",
	route:             "route",
	routes:            "routes",
	table:             "table",
	tables:            "tables",
	query:             "query",
	queries:           "queries",
}

const (
	// mdCollapseRoutes is the number of routes above which the CRUD matrix
	// goes into a closed <details> block.
	mdCollapseRoutes = 25
	// mdGridTables is the most tables the CRUD matrix draws as columns: a
	// wider table scrolls sideways on GitHub without its route column, so
	// beyond it each route gets one line listing its tables.
	mdGridTables = 10
	// maxMDRoutes is how many routes a finding names before it counts the
	// rest.
	maxMDRoutes = 4
)

// writeMarkdown writes the report as GitHub-flavoured Markdown: headline,
// findings by site, suggested DDL, CRUD matrix, cache candidates and
// notes; with full, every route's SQL and the schema's indexes too.
func writeMarkdown(w io.Writer, r *graph.Report, full bool) error {
	bw := new(bytes.Buffer)
	fmt.Fprintf(bw, mdWords.title, mdText(r.Module))
	writeMDHeadline(bw, r)
	writeMDTraffic(bw, r) // with logs: traffic.go
	writeMDFindings(bw, r.Findings)
	if len(r.Routes) > 0 {
		writeMDMatrix(bw, r.Routes)
	}
	writeMDCache(bw, r.Tables)
	writeMDNotes(bw, r.Notes)
	if full {
		if len(r.Routes) > 0 {
			writeMDRoutes(bw, r)
		}
		writeMDIndexes(bw, r)
	} else if len(r.Routes) > 0 || len(r.SchemaFiles) > 0 {
		bw.WriteString(mdWords.more)
	}
	_, err := w.Write(append(bytes.TrimRight(bw.Bytes(), "\n"), '\n'))
	return err
}

// writeMDHeadline writes the counts of routes, tables and queries and the
// findings by kind, then the warnings that the analysis is hollow.
func writeMDHeadline(w *bytes.Buffer, r *graph.Report) {
	if len(r.Routes) == 0 {
		w.WriteString(mdWords.noRoutes + " ")
	}
	counts := strings.Join([]string{
		plural(len(r.Routes), mdWords.route, mdWords.routes),
		plural(len(r.Tables), mdWords.table, mdWords.tables),
		plural(len(r.Queries), mdWords.query, mdWords.queries),
	}, " · ")
	kinds := mdWords.noFindings
	if len(r.Findings) > 0 {
		var ks []string
		for _, g := range groupFindings(r.Findings) {
			ks = append(ks, fmt.Sprintf(mdWords.kindCount, len(g.findings), mdText(g.kind)))
		}
		kinds = strings.Join(ks, ", ")
	}
	fmt.Fprintf(w, mdWords.headline+"\n\n", counts, kinds)
	if line := unknownShare(r); line != "" {
		fmt.Fprintf(w, mdWords.unknownSQL, mdText(line))
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, mdWords.warning, mdText(warn))
	}
	if len(r.Warnings) > 0 {
		w.WriteString("\n")
	}
}

// mdSite is the findings at one position of the code, the site a fix
// changes.
type mdSite struct {
	pos      string
	fn       string
	findings []*graph.Finding
}

// findingSites groups fs by position: the sites with the most severe
// finding first, then in position order.
func findingSites(fs []*graph.Finding) []*mdSite {
	var sites []*mdSite
	at := make(map[string]*mdSite)
	for _, f := range sortedFindings(fs) {
		s := at[f.Pos]
		if s == nil {
			s = &mdSite{pos: f.Pos, fn: f.Func}
			at[f.Pos] = s
			sites = append(sites, s)
		}
		s.findings = append(s.findings, f)
	}
	severity := func(s *mdSite) int {
		return slices.MaxFunc(s.findings, func(a, b *graph.Finding) int {
			return cmp.Compare(a.Severity.Rank(), b.Severity.Rank())
		}).Severity.Rank()
	}
	slices.SortStableFunc(sites, func(a, b *mdSite) int { return cmp.Compare(severity(b), severity(a)) })
	return sites
}

// writeMDFindings writes the findings as one list item per site: its
// position and function, one line per finding naming the routes that run
// it, and each fix once. A fix already given at an earlier site names that
// site instead of repeating it. Every suggested index follows in one SQL
// block.
func writeMDFindings(w *bytes.Buffer, fs []*graph.Finding) {
	if len(fs) == 0 {
		return
	}
	w.WriteString(mdWords.findings)
	fixedAt := make(map[string]string) // fix → the first site giving it
	var ddl []string
	for _, s := range findingSites(fs) {
		w.WriteString("- " + mdCode(s.pos))
		if s.fn != "" {
			w.WriteString(" " + mdCode(s.fn))
		}
		w.WriteString("\n")
		var fixes []string
		for _, f := range s.findings {
			msg, fix := mdFindingText(f)
			fmt.Fprintf(w, "  - **%s** %s%s\n", mdText(f.Kind), mdText(msg), mdFindingRoutes(f))
			if fix != "" && !slices.Contains(fixes, fix) {
				fixes = append(fixes, fix)
			}
			if f.Suggestion != "" {
				ddl = append(ddl, f.Suggestion)
			}
		}
		for _, fix := range fixes {
			if first, ok := fixedAt[fix]; ok {
				fmt.Fprintf(w, "  - "+mdWords.fixAsFor+"\n", mdCode(first))
				continue
			}
			fixedAt[fix] = s.pos
			fmt.Fprintf(w, "  - "+mdWords.fixLabel+"\n", mdFix(fix))
		}
	}
	w.WriteString("\n")
	if len(ddl) > 0 {
		slices.Sort(ddl)
		w.WriteString(mdWords.ddl + mdWords.ddlIntro)
		writeMDCodeBlock(w, "sql", strings.Join(slices.Compact(ddl), "\n"))
	}
}

// mdFindingText returns a finding's message and fix as the site list shows
// them: the DDL a message and fix repeat is left to the fix alone.
func mdFindingText(f *graph.Finding) (msg, fix string) {
	msg, fix = f.Message, f.Fix
	if f.Suggestion != "" {
		msg = withoutAddSuggestion(msg, f.Suggestion)
		if fix == "" || isAddSuggestion(fix, f.Suggestion) {
			fix = f.Suggestion
		}
	}
	return msg, fix
}

// mdFix returns a fix as Markdown: DDL as inline code, prose as text.
func mdFix(fix string) string {
	upper := strings.ToUpper(fix)
	if strings.HasPrefix(upper, "ALTER TABLE ") || strings.HasPrefix(upper, "CREATE ") {
		return mdCode(fix)
	}
	return mdText(fix)
}

// mdFindingRoutes returns " — " and the routes that run a finding's code,
// the first few as inline code, or what runs it when no route does.
func mdFindingRoutes(f *graph.Finding) string {
	keys := routesOf(f)
	if len(keys) == 0 {
		if f.Kind == graph.KindNPlusOne {
			return " — " + mdWords.background
		}
		return ""
	}
	var cells []string
	for i, k := range keys {
		if i == maxMDRoutes-1 && len(keys) > maxMDRoutes {
			cells = append(cells, fmt.Sprintf(mdWords.andMore, len(keys)-i))
			break
		}
		cells = append(cells, mdCode(k))
	}
	return " — " + strings.Join(cells, ", ")
}

// routesOf returns the routes that run a finding's code.
func routesOf(f *graph.Finding) []string {
	if len(f.Routes) == 0 && f.Route != "" {
		return []string{f.Route}
	}
	return f.Routes
}

// writeMDCodeBlock writes code in a fenced block that code cannot close,
// its control characters and hidden runes shown as Go escapes.
func writeMDCodeBlock(w *bytes.Buffer, lang, code string) {
	code = strings.TrimSuffix(codeText(code), "\n")
	f := fence(code)
	fmt.Fprintf(w, "%s%s\n%s\n%s\n\n", f, lang, code, f)
}

// mdRow returns one table row, with its newline.
func mdRow(cells []string) string {
	return "| " + strings.Join(cells, " | ") + " |\n"
}

// writeMDMatrix writes the CRUD matrix of the routes that touch a table:
// a grid of routes × tables when there are few tables, else one line per
// route listing its tables; in a closed <details> block when there are
// many routes. The routes without SQL follow on one line.
func writeMDMatrix(w *bytes.Buffer, routes []*graph.Route) {
	w.WriteString(mdWords.matrix)
	tables := matrixTables(routes)
	if len(tables) == 0 {
		w.WriteString(mdWords.noTables)
		return
	}
	var touching []*graph.Route
	var without []string
	for _, rt := range routes {
		if len(rt.Tables) > 0 {
			touching = append(touching, rt)
		} else {
			without = append(without, mdCode(rt.Key()))
		}
	}
	collapse := len(touching) > mdCollapseRoutes
	if collapse {
		fmt.Fprintf(w, mdWords.matrixSummary, len(touching), len(tables))
	}
	if len(tables) <= mdGridTables {
		writeMDGrid(w, touching, tables)
	} else {
		writeMDRouteLines(w, touching)
	}
	if collapse {
		w.WriteString("</details>\n\n")
	}
	w.WriteString(mdWords.legend)
	if len(without) > 0 {
		fmt.Fprintf(w, mdWords.routesWithoutSQL, strings.Join(without, ", "))
	}
}

// writeMDGrid writes the CRUD matrix as a table of routes × tables. The
// cells hold only operation letters; a backslash keeps '*' from reading as
// emphasis. Route keys are text, not code: a code span cannot hold the
// table's cell separator.
func writeMDGrid(w *bytes.Buffer, routes []*graph.Route, tables []string) {
	header := []string{mdWords.routeColumn}
	align := []string{"---"}
	for _, t := range tables {
		header = append(header, mdText(t))
		align = append(align, ":-:")
	}
	w.WriteString(mdRow(header))
	w.WriteString(mdRow(align))
	for _, rt := range routes {
		w.WriteString(mdRow(append([]string{mdText(rt.Key())}, matrixRow(rt, tables, `\*`, "")...)))
	}
	w.WriteString("\n")
}

// writeMDRouteLines writes the CRUD matrix as one list item per route:
// the tables it touches with their operation letters.
func writeMDRouteLines(w *bytes.Buffer, routes []*graph.Route) {
	for _, rt := range routes {
		var ops []string
		for _, t := range rt.Tables {
			ops = append(ops, mdText(t.Table)+" "+opLetters(t, `\*`))
		}
		fmt.Fprintf(w, "- %s: %s\n", mdCode(rt.Key()), strings.Join(ops, ", "))
	}
	w.WriteString("\n")
}

// writeMDRoutes writes one collapsed block per route with its middleware
// and the SQL of each of its queries.
func writeMDRoutes(w *bytes.Buffer, r *graph.Report) {
	w.WriteString(mdWords.routesHeading)
	queries := r.QueriesByID()
	loops := r.NPlusOneLoops()
	for _, rt := range r.Routes {
		fmt.Fprintf(w, mdWords.routeSummary,
			mdText(rt.Key()), mdText(rt.Handler), plural(len(rt.Queries), mdWords.query, mdWords.queries))
		fmt.Fprintf(w, mdWords.registered, mdText(rt.Pos), mdCode(rt.Handler))
		if len(rt.Middleware) > 0 {
			mw := make([]string, len(rt.Middleware))
			for i, m := range rt.Middleware {
				mw[i] = mdCode(m)
			}
			fmt.Fprintf(w, mdWords.middleware, strings.Join(mw, ", "))
		}
		w.WriteString("\n\n")
		for _, id := range rt.Queries {
			q := queries[id]
			if q == nil {
				fmt.Fprintf(w, mdWords.missingQuery, mdCode(id))
				continue
			}
			writeMDQuery(w, q, loops[graph.RouteQuery{Route: rt.Key(), QueryID: id}])
		}
		w.WriteString("</details>\n\n")
	}
}

// writeMDQuery writes one query of a route: a line of facts, then its SQL.
// loops are the positions of the loops that run it once per iteration.
func writeMDQuery(w *bytes.Buffer, q *graph.Query, loops []string) {
	var ops []string
	for _, op := range q.Ops {
		ops = append(ops, string(op.Op)+" "+op.Table)
	}
	what := cmp.Or(strings.Join(ops, ", "), cmp.Or(q.Kind, "SQL"))
	facts := []string{fmt.Sprintf(mdWords.queryAt, mdText(what), mdText(q.Pos))}
	if q.Func != "" {
		facts = append(facts, fmt.Sprintf(mdWords.queryIn, mdCode(q.Func)))
	}
	if q.Method != "" {
		facts = append(facts, fmt.Sprintf(mdWords.queryVia, mdCode(q.Method)))
	}
	if q.Tx != "" {
		facts = append(facts, fmt.Sprintf(mdWords.queryTx, mdText(q.Tx)))
	}
	if len(loops) > 0 {
		facts = append(facts, fmt.Sprintf(mdWords.queryLoop, mdText(loopPhrase(loops))))
	}
	if q.Dynamic {
		facts = append(facts, mdWords.queryDynamic)
	}
	if q.Error != "" {
		facts = append(facts, fmt.Sprintf(mdWords.queryError, mdText(q.Error)))
	}
	w.WriteString(strings.Join(facts, " · ") + "\n\n")
	writeMDCodeBlock(w, "sql", q.SQL)
}

// writeMDIndexes writes the indexes of the schema's tables and the tables
// that queries use but the schema lacks.
func writeMDIndexes(w *bytes.Buffer, r *graph.Report) {
	w.WriteString(mdWords.indexes)
	if len(r.SchemaFiles) == 0 {
		w.WriteString(mdWords.noSchema)
		return
	}
	files := make([]string, len(r.SchemaFiles))
	for i, f := range r.SchemaFiles {
		files[i] = mdText(f)
	}
	fmt.Fprintf(w, mdWords.schemaFiles, strings.Join(files, ", "))
	var rows [][]string
	var missing []string
	for _, t := range r.Tables {
		if !t.InSchema {
			missing = append(missing, mdCode(t.Name))
			continue
		}
		if len(t.Indexes) == 0 {
			rows = append(rows, []string{mdText(t.Name), "", "", mdWords.noIndex})
		}
		for _, ix := range t.Indexes {
			rows = append(rows, []string{mdText(t.Name), mdText(ix.Name), mdText(strings.Join(ix.Columns, ", ")), indexKind(ix)})
		}
	}
	if len(rows) > 0 {
		w.WriteString(mdRow(mdWords.indexHeader[:]))
		w.WriteString(mdRow(slices.Repeat([]string{"---"}, len(mdWords.indexHeader))))
		for _, row := range rows {
			w.WriteString(mdRow(row))
		}
		w.WriteString("\n")
	}
	if len(missing) > 0 {
		fmt.Fprintf(w, mdWords.missingFromSchema, strings.Join(missing, ", "))
	}
}

// indexKind describes ix: "primary key", "unique", FULLTEXT, SPATIAL, or "".
func indexKind(ix *graph.Index) string {
	var kind []string
	switch {
	case ix.Primary:
		kind = append(kind, mdWords.primaryKey)
	case ix.Unique:
		kind = append(kind, mdWords.unique)
	}
	if ix.Kind != "" {
		kind = append(kind, mdText(ix.Kind))
	}
	return strings.Join(kind, ", ")
}

// writeMDCache names the tables that are candidates for an in-memory cache.
func writeMDCache(w *bytes.Buffer, tables []*graph.Table) {
	var names []string
	for _, t := range tables {
		if t.CacheCandidate {
			names = append(names, mdCode(t.Name))
		}
	}
	if len(names) == 0 {
		return
	}
	w.WriteString(mdWords.cache)
	fmt.Fprintf(w, mdWords.cacheIntro, strings.Join(names, ", "))
}

// writeMDNotes lists the run's notes.
func writeMDNotes(w *bytes.Buffer, notes []string) {
	if len(notes) == 0 {
		return
	}
	w.WriteString(mdWords.notes)
	for _, n := range notes {
		w.WriteString("- " + mdText(n) + "\n")
	}
	w.WriteString("\n")
}
