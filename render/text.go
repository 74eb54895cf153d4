package render

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/crudmap/crudmap/graph"
)

// maxTextWidth is the widest CRUD matrix the text report prints; a wider one
// becomes one line per route.
const maxTextWidth = 160

// maxMatrixCells is the most cells (routes × tables) of the CRUD matrix the
// Markdown and HTML reports draw; a larger one, mostly empty cells (5,000
// routes on 1,700 tables made an HTML page of 250 MB), becomes one row per
// route listing the tables it touches.
const maxMatrixCells = 50000

// writeText writes the terminal report, in the manner of go vet: a summary
// line, the CRUD matrix, then one "file:line:col: [kind] route: message" line
// per finding and one "crudmap: note: ..." line per note, unless
// Options.NotesApart.
func writeText(w io.Writer, r *graph.Report, opt Options) error {
	l := opt.Lang
	r = localized(r, l)
	bw := bufio.NewWriter(w)
	if len(r.Routes) == 0 {
		fmt.Fprintf(bw, "%s%s%s\n", textPrefix(r), l.label("no HTTP routes found"), oneLine(warningSuffix(r, l)))
	} else {
		fmt.Fprintf(bw, "%s%s%s\n\n", textPrefix(r), oneLine(summaryIn(r, l)), schemaSuffix(r, l))
		writeTextTraffic(bw, r) // with logs: traffic.go
		writeTextMatrix(bw, r.Routes)
	}
	notes := r.Notes
	if opt.NotesApart {
		notes = nil
	}
	if len(r.Routes) > 0 && len(r.Findings)+len(notes) > 0 {
		bw.WriteString("\n")
	}
	onRoutes, background := splitBackground(sortedFindings(r.Findings))
	for _, f := range onRoutes {
		bw.WriteString(textFinding(f) + "\n")
	}
	if len(background) > 0 {
		bw.WriteString("\n" + l.label("n+1 off the request path (no route runs these loops):") + "\n")
	}
	for _, f := range background {
		bw.WriteString(textFinding(f) + "\n")
	}
	writeNoteLines(bw, notes, l)
	return bw.Flush()
}

// WriteNotes writes r's notes, one "crudmap: note: ..." line each: the
// text report's notes when they are printed apart (see
// Options.NotesApart).
func WriteNotes(w io.Writer, r *graph.Report, opt Options) error {
	bw := bufio.NewWriter(w)
	writeNoteLines(bw, localized(r, opt.Lang).Notes, opt.Lang)
	return bw.Flush()
}

// writeNoteLines writes one "crudmap: note: ..." line per note.
func writeNoteLines(w *bufio.Writer, notes []string, l Lang) {
	for _, n := range notes {
		fmt.Fprintf(w, "%s%s\n", l.label("crudmap: note: "), oneLine(n))
	}
}

// schemaSuffix names the schema files the index check read, so that a
// reader knows which one crudmap found.
func schemaSuffix(r *graph.Report, l Lang) string {
	if len(r.SchemaFiles) == 0 {
		return ""
	}
	return l.label("; schema: ") + oneLine(strings.Join(r.SchemaFiles, ", "))
}

// textPrefix returns "crudmap: MODULE: ", or "crudmap: " if the module has no
// name.
func textPrefix(r *graph.Report) string {
	if r.Module == "" {
		return "crudmap: "
	}
	return "crudmap: " + oneLine(r.Module) + ": "
}

// textFinding formats f as "file:line:col: [kind] route: message", with
// "crudmap: " in place of the position when f has none.
func textFinding(f *graph.Finding) string {
	var b strings.Builder
	if f.Pos != "" {
		b.WriteString(oneLine(f.Pos) + ": ")
	} else {
		b.WriteString("crudmap: ")
	}
	b.WriteString("[" + oneLine(f.Kind) + "] ")
	if f.Route != "" {
		b.WriteString(oneLine(f.Route) + ": ")
	}
	b.WriteString(oneLine(f.Message))
	return b.String()
}

// writeTextMatrix writes the routes × tables matrix, aligned with spaces, or
// one line per route when the matrix would be wider than maxTextWidth.
func writeTextMatrix(w *bufio.Writer, routes []*graph.Route) {
	tables := matrixTables(routes)
	labels := make([]string, len(routes))
	labelWidth := 0
	for i, rt := range routes {
		labels[i] = oneLine(rt.Key())
		labelWidth = max(labelWidth, utf8.RuneCountInString(labels[i]))
	}
	widths := make([]int, len(tables))
	width := labelWidth
	for j, t := range tables {
		widths[j] = utf8.RuneCountInString(oneLine(t))
		width += 2 + widths[j]
	}
	if len(tables) == 0 || width > maxTextWidth {
		// Already too wide with its header alone.
		writeTextRouteLines(w, routes, labels, labelWidth)
		return
	}
	cells := make([][]string, len(routes)) // cells[route][table]
	for i, rt := range routes {
		cells[i] = matrixRow(rt, tables, "*", "-")
		for j, c := range cells[i] {
			widths[j] = max(widths[j], len(c))
		}
	}
	width = labelWidth
	for _, cw := range widths {
		width += 2 + cw
	}
	if width > maxTextWidth {
		writeTextRouteLines(w, routes, labels, labelWidth)
		return
	}
	header := make([]string, len(tables))
	for j, t := range tables {
		header[j] = oneLine(t)
	}
	writeTextRow(w, "", labelWidth, header, widths)
	for i := range routes {
		writeTextRow(w, labels[i], labelWidth, cells[i], widths)
	}
}

// writeTextRow writes one aligned matrix line, without trailing spaces.
func writeTextRow(w *bufio.Writer, label string, labelWidth int, cells []string, widths []int) {
	var b strings.Builder
	b.WriteString(pad(label, labelWidth))
	for j, c := range cells {
		b.WriteString("  " + pad(c, widths[j]))
	}
	w.WriteString(strings.TrimRight(b.String(), " ") + "\n")
}

// writeTextRouteLines writes the matrix as one line per route:
// "GET /api/x  users:R* items:CRU", or "-" for a route without tables.
func writeTextRouteLines(w *bufio.Writer, routes []*graph.Route, labels []string, labelWidth int) {
	for i, rt := range routes {
		var ops []string
		for _, t := range rt.Tables {
			ops = append(ops, oneLine(t.Table)+":"+opLetters(t, "*"))
		}
		if len(ops) == 0 {
			ops = []string{"-"}
		}
		fmt.Fprintf(w, "%s  %s\n", pad(labels[i], labelWidth), strings.Join(ops, " "))
	}
}

// pad returns s followed by spaces up to width runes.
func pad(s string, width int) string {
	return s + strings.Repeat(" ", max(0, width-utf8.RuneCountInString(s)))
}

// The helpers below are shared by the text and Markdown reports.

// summary returns the report's counts: "31 routes, 14 tables, 58 queries;
// findings: 5 n+1, 3 unindexed, 1 readonly-tx".
func summary(r *graph.Report) string { return summaryIn(r, English) }

// summaryIn is summary in l: "ルート 31・テーブル 14・クエリ 58; 指摘: n+1
// 5件、unindexed 3件".
func summaryIn(r *graph.Report, l Lang) string {
	s := l.routesTablesQueries(len(r.Routes), len(r.Tables), len(r.Queries)) + "; "
	if len(r.Findings) == 0 {
		return s + l.label("no findings") + unknownSuffix(r, l) + warningSuffix(r, l)
	}
	var counts []string
	for _, g := range groupFindings(r.Findings) {
		counts = append(counts, l.kindCount(len(g.findings), g.kind))
	}
	return s + l.label("findings: ") + strings.Join(counts, l.listSep()) + unknownSuffix(r, l) + warningSuffix(r, l)
}

// unknownSuffix appends to the summary the share of query sites whose SQL
// text is unknown, and the top causes.
func unknownSuffix(r *graph.Report, l Lang) string {
	if line := unknownShareIn(r, l); line != "" {
		return l.label("; unknown SQL at ") + line
	}
	return ""
}

// unknownShare says at how many query sites the SQL text is unknown, and
// why: "3 of 40 queries (8 %): 2 a map element, 1 the result of
// os.ReadFile"; "" when every site has some text.
func unknownShare(r *graph.Report) string { return unknownShareIn(r, English) }

// unknownShareIn is unknownShare in l: "クエリ 40 個中 3 個 (8 %):
// map の要素 2 箇所、…".
func unknownShareIn(r *graph.Report, l Lang) string {
	u := r.UnknownSQL
	if u == nil || u.Sites == 0 {
		return ""
	}
	share := "<1 %"
	if pct := (u.Sites*100 + len(r.Queries)/2) / max(1, len(r.Queries)); pct > 0 {
		share = fmt.Sprintf("%d %%", pct)
	}
	var causes []string
	for _, c := range u.Causes[:min(len(u.Causes), 3)] {
		if l == Japanese {
			causes = append(causes, fmt.Sprintf("%s %d 箇所", l.sentence(c.Cause), c.Sites))
		} else {
			causes = append(causes, fmt.Sprintf("%d %s", c.Sites, c.Cause))
		}
	}
	if l == Japanese {
		return fmt.Sprintf("クエリ %d 個中 %d 個 (%s): %s", len(r.Queries), u.Sites, share, strings.Join(causes, "、"))
	}
	return fmt.Sprintf("%d of %s (%s): %s", u.Sites, plural(len(r.Queries), "query", "queries"), share, strings.Join(causes, ", "))
}

// warningSuffix appends the report's warnings to its summary: a hollow
// analysis must not read as a healthy one.
func warningSuffix(r *graph.Report, l Lang) string {
	var b strings.Builder
	for _, w := range r.Warnings {
		b.WriteString(l.label("; WARNING: ") + w)
	}
	return b.String()
}

// splitBackground separates the n+1 findings no route runs (workers,
// start-up code) from the rest, keeping their order: reports list them
// apart, under their own heading.
func splitBackground(fs []*graph.Finding) (onRoutes, background []*graph.Finding) {
	for _, f := range fs {
		if f.Kind == graph.KindNPlusOne && f.Route == "" && len(f.Routes) == 0 {
			background = append(background, f)
		} else {
			onRoutes = append(onRoutes, f)
		}
	}
	return onRoutes, background
}

// plural returns "1 route" or "n routes".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// loopPhrase names the loops that repeat a query: "the loop at x.go:3:2",
// "the loops at x.go:3:2 and x.go:9:2".
func loopPhrase(loops []string) string {
	if len(loops) == 1 {
		return "the loop at " + loops[0]
	}
	return "the loops at " + strings.Join(loops[:len(loops)-1], ", ") + " and " + loops[len(loops)-1]
}

// kindOrder is the order in which reports list the finding kinds; other
// kinds follow, sorted.
var kindOrder = []string{
	graph.KindNPlusOne,
	graph.KindUnindexed,
	graph.KindReadOnlyTx,
	graph.KindSchema,
	graph.KindSQLError,
	graph.KindIgnore,
}

// findingGroup is the findings of one kind, sorted by position.
type findingGroup struct {
	kind     string
	findings []*graph.Finding
}

// groupFindings groups fs by kind, in kindOrder, each group sorted by
// position.
func groupFindings(fs []*graph.Finding) []findingGroup {
	byKind := make(map[string][]*graph.Finding)
	for _, f := range sortedFindings(fs) {
		byKind[f.Kind] = append(byKind[f.Kind], f)
	}
	var groups []findingGroup
	for _, k := range kindOrder {
		if g := byKind[k]; g != nil {
			groups = append(groups, findingGroup{k, g})
			delete(byKind, k)
		}
	}
	others := make([]string, 0, len(byKind))
	for k := range byKind {
		others = append(others, k)
	}
	slices.Sort(others)
	for _, k := range others {
		groups = append(groups, findingGroup{k, byKind[k]})
	}
	return groups
}

// sortedFindings returns a copy of fs sorted by position (file, then line and
// column as numbers), then kind, route and message.
func sortedFindings(fs []*graph.Finding) []*graph.Finding {
	fs = slices.Clone(fs)
	slices.SortStableFunc(fs, func(a, b *graph.Finding) int {
		return cmp.Or(cmp.Compare(b.DBTimeShare, a.DBTimeShare), // with logs, the costliest first
			graph.ComparePos(a.Pos, b.Pos),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Route, b.Route),
			cmp.Compare(a.Message, b.Message))
	})
	return fs
}

// matrixTables returns the tables that any route touches, sorted: the CRUD
// matrix's columns.
func matrixTables(routes []*graph.Route) []string {
	var tables []string
	for _, rt := range routes {
		for _, t := range rt.Tables {
			tables = append(tables, t.Table)
		}
	}
	slices.Sort(tables)
	return slices.Compact(tables)
}

// matrixRow returns rt's cells in the CRUD matrix: for each of tables, the
// operation letters (see opLetters), or empty when rt does not touch it.
func matrixRow(rt *graph.Route, tables []string, loopMark, empty string) []string {
	ops := make(map[string]*graph.TableOps, len(rt.Tables))
	for _, t := range rt.Tables {
		ops[t.Table] = t
	}
	row := make([]string, len(tables))
	for j, name := range tables {
		row[j] = empty
		if t := ops[name]; t != nil && len(t.Ops) > 0 {
			row[j] = opLetters(t, loopMark)
		}
	}
	return row
}

// opLetters returns the letters of t's operations in C R U D O order, each
// followed by loopMark when the operation runs once per loop iteration.
func opLetters(t *graph.TableOps, loopMark string) string {
	ops := slices.Clone(t.Ops)
	slices.SortFunc(ops, func(a, b graph.Op) int { return cmp.Compare(a.Rank(), b.Rank()) })
	var b strings.Builder
	for i, op := range ops {
		if i > 0 && op.Letter() == ops[i-1].Letter() {
			continue
		}
		b.WriteString(op.Letter())
		if slices.ContainsFunc(t.LoopOps, func(l graph.Op) bool { return l.Letter() == op.Letter() }) {
			b.WriteString(loopMark)
		}
	}
	return b.String()
}
