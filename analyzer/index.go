package analyzer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/sqlparse"
)

// indexFindings reports, per query, each table whose WHERE or JOIN
// predicates no index of the schema serves, and names the schema does not
// know. A goose Go migration's queries run against a schema halfway to
// the final one: they are not checked.
func (a *analysis) indexFindings() {
	if a.schema == nil {
		return
	}
	routes := a.routesBySite()
	seen := map[string]*graph.Finding{}
	indexes := map[*graph.Finding][]string{} // the one index a finding suggests
	runBy := map[*graph.Finding][]string{}   // the routes of all its variants
	var found []*graph.Finding
	for _, s := range a.sites() {
		p := a.parsed[s]
		if p == nil || p.stmt == nil || s.cut || a.inMigration(s) {
			continue
		}
		for _, prob := range a.schemaOf(s).Check(p.stmt) {
			f := a.problemFinding(s, prob)
			if f == nil || (s.text.dynamic && f.Kind == graph.KindSchema) {
				continue
			}
			// The SQL variants of one call (optional conditions, with and
			// without ORDER BY ... LIMIT) give one finding per table: the
			// one missing the most columns, with the widest index, run by
			// the routes of every variant.
			key := f.Pos + "|" + f.Kind + "|" + f.Table
			if f.Kind == graph.KindSchema {
				key += "|" + f.Message
			}
			if old, ok := seen[key]; ok {
				if len(f.Columns) > len(old.Columns) || len(f.Columns) == len(old.Columns) && len(f.Suggestion) > len(old.Suggestion) {
					*old = *f
					setIndex(indexes, old, prob.Indexes)
				}
				runBy[old] = union(runBy[old], routes[s], func(a, b string) bool { return a == b })
				continue
			}
			seen[key] = f
			setIndex(indexes, f, prob.Indexes)
			runBy[f] = append([]string(nil), routes[s]...)
			found = append(found, f)
		}
	}
	order := a.routeOrder()
	for _, f := range found {
		keys := runBy[f]
		slices.SortFunc(keys, func(x, y string) int { return order[x] - order[y] })
		attachRoutes(f, keys)
	}
	a.findings = append(a.findings, found...)
	a.widenSuggestions(indexes)
}

// routeOrder gives each route key its place in the report.
func (a *analysis) routeOrder() map[string]int {
	order := make(map[string]int, len(a.routes))
	for i, rt := range a.routes {
		order[rt.method+" "+rt.path] = i
	}
	return order
}

// setIndex records the index f suggests, when it suggests one.
func setIndex(indexes map[*graph.Finding][]string, f *graph.Finding, idxs [][]string) {
	delete(indexes, f)
	if len(idxs) == 1 {
		indexes[f] = idxs[0]
	}
}

// widenSuggestions makes a finding whose suggested index is a leftmost
// prefix of one suggested for another query on the same table suggest
// that wider index, which serves both: the report then has one index to
// add where it had two.
func (a *analysis) widenSuggestions(indexes map[*graph.Finding][]string) {
	byTable := map[string][][]string{}
	for f, cols := range indexes {
		byTable[f.Table] = append(byTable[f.Table], cols)
	}
	for f, cols := range indexes {
		widest := cols
		for _, other := range byTable[f.Table] {
			if isPrefix(cols, other) && wider(other, widest) {
				widest = other
			}
		}
		if len(widest) == len(cols) {
			continue
		}
		ddl := a.schema.IndexDDL(f.Table, [][]string{widest})
		f.Message = strings.Replace(f.Message, f.Suggestion, ddl, 1)
		f.Suggestion, f.Fix = ddl, "add: "+ddl
	}
}

// isPrefix reports whether xs is a leftmost prefix of ys.
func isPrefix(xs, ys []string) bool {
	return len(xs) <= len(ys) && slices.Equal(xs, ys[:len(xs)])
}

// wider orders index columns: more columns first, then by name.
func wider(xs, ys []string) bool {
	if len(xs) != len(ys) {
		return len(xs) > len(ys)
	}
	return strings.Join(xs, ",") < strings.Join(ys, ",")
}

func (a *analysis) problemFinding(s *site, prob sqlparse.Problem) *graph.Finding {
	f := &graph.Finding{Pos: a.w.ix.position(s.pos), Severity: graph.Warning, Table: prob.Table,
		QueryID: a.ids[s], Func: a.w.ix.name(s.fn), SQL: normalizeSQL(s.text.text)}
	switch prob.Kind {
	case "unindexed":
		var cols []string
		for _, c := range prob.Columns {
			cols = append(cols, prob.Table+"."+c)
		}
		verb := "has"
		if len(cols) > 1 {
			verb = "have"
		}
		f.Kind = graph.KindUnindexed
		f.Columns = prob.Columns
		f.Suggestion = prob.Suggestion
		if prob.Suggestion == "" {
			// LIKE '%x', a function around the column, !=: an index on
			// the column would not help.
			f.Message = fmt.Sprintf("%s %s no usable index (%s): the predicate cannot use one", strings.Join(cols, ", "), verb, prob.Clause)
			f.Fix = "rewrite the predicate so the bare column is compared (a range instead of DATE(col), a prefix LIKE), or use a generated column with an index"
			break
		}
		f.Message = fmt.Sprintf("%s %s no index (%s); add: %s", strings.Join(cols, ", "), verb, prob.Clause, prob.Suggestion)
		f.Fix = "add: " + prob.Suggestion
	case "unknown-table":
		if systemTable(prob.Table) {
			return nil
		}
		f.Kind = graph.KindSchema
		f.Message = "unknown table " + prob.Table
		f.Fix = "the schema files define no such table: fix the name or the schema"
	case "unknown-column":
		f.Kind = graph.KindSchema
		f.Columns = prob.Columns
		f.Message = fmt.Sprintf("unknown column %s.%s", prob.Table, strings.Join(prob.Columns, ", "))
		f.Fix = "the table has no such column in the schema files: fix the name or the schema"
	default:
		return nil
	}
	return f
}

// attachRoutes lists the routes that run a query's finding. Its message
// names the route when there is one; a query many routes run (in a
// middleware, a shared helper) says how many instead.
func attachRoutes(f *graph.Finding, routes []string) {
	f.Routes = append([]string(nil), routes...)
	switch len(routes) {
	case 0:
	case 1:
		f.Route = routes[0]
	default:
		f.Message += fmt.Sprintf(" (run by %d routes)", len(routes))
	}
}

// routesBySite lists, per site, the routes that run it, sorted.
func (a *analysis) routesBySite() map[*site][]string {
	if a.siteRoutes != nil {
		return a.siteRoutes
	}
	out := map[*site][]string{}
	defer func() { a.siteRoutes = out }()
	for _, rt := range a.routes {
		key := rt.method + " " + rt.path
		for _, e := range a.events[rt] {
			if e.site != nil && !contains(out[e.site], key) {
				out[e.site] = append(out[e.site], key)
			}
		}
	}
	return out
}

// sqlErrors reports SQL texts, fully known, that the parser rejects. DDL
// run by the app's Go code is its schema, read as such (see goSchema).
func (a *analysis) sqlErrors() {
	routes := a.routesBySite()
	seen := map[string]bool{}
	for _, s := range a.sites() {
		p := a.parsed[s]
		if p == nil || p.err == nil || s.text.dynamic || isDDL(s.text.text) {
			continue // the schema reader names the DDL it skips
		}
		f := &graph.Finding{Kind: graph.KindSQLError, Severity: graph.Info, Pos: a.w.ix.position(s.pos),
			Message: "SQL not understood: " + p.err.Error(), QueryID: a.ids[s], Func: a.w.ix.name(s.fn), SQL: normalizeSQL(s.text.text),
			Fix: "check the statement; crudmap reads MySQL syntax and skips what it cannot parse"}
		attachRoutes(f, routes[s])
		if !seen[f.Pos+f.Message] {
			seen[f.Pos+f.Message] = true
			a.findings = append(a.findings, f)
		}
	}
}

// systemTable reports whether a table is one the database itself keeps
// (sqlite_master, pg_stat_activity), which no schema file defines.
func systemTable(name string) bool {
	return strings.HasPrefix(name, "sqlite_") || strings.HasPrefix(name, "pg_")
}
