package analyzer

import (
	"go/token"
	"sort"
	"strconv"
	"strings"

	"github.com/crudmap/crudmap/graph"
	"golang.org/x/tools/go/ssa"
)

// report assembles the graph.Report from the passes' results.
func (a *analysis) report() *graph.Report {
	ix := a.w.ix
	r := &graph.Report{SchemaVersion: graph.SchemaVersion, Module: ix.module}
	txs := a.txOfSites()
	for _, s := range a.sites() {
		q := a.query(s)
		if o := txs[s]; o != nil {
			q.Tx = ix.position(ix.callPos(o.call))
		}
		r.Queries = append(r.Queries, q)
	}
	for _, rt := range a.routes {
		r.Routes = append(r.Routes, a.graphRoute(rt))
	}
	a.nplusOne()
	a.readOnlyTx()
	a.indexFindings()
	a.sqlErrors()
	for _, f := range a.findings {
		if f.Route != "" && len(f.Routes) == 0 {
			f.Routes = []string{f.Route}
		}
	}
	r.Findings = sortFindings(a.findings)
	r.Tables = a.tables(r.Routes)
	r.Functions, r.Edges = a.callGraph()
	r.SchemaFiles = a.schemaFs
	r.UnknownSQL = a.unknownSQL()
	r.Notes = append(append(append([]string{}, ix.notes...), a.notes...), a.w.limitNotes()...)
	return r
}

// query describes one site.
func (a *analysis) query(s *site) *graph.Query {
	q := &graph.Query{
		ID: a.ids[s], Pos: a.w.ix.position(s.pos), Func: a.w.ix.name(s.fn),
		SQL: strings.TrimSpace(s.text.text), Dynamic: s.text.dynamic, Ops: a.tableOps(s), Method: s.method,
	}
	if p := a.parsed[s]; p != nil {
		if p.stmt != nil {
			q.Kind = p.stmt.Kind
		}
		if p.err != nil {
			q.Error = p.err.Error()
		}
	}
	if q.Ops == nil {
		q.Ops = []graph.TableOp{}
	}
	return q
}

// graphRoute describes one route: its tables and ops, those that run per
// loop iteration, and its queries.
func (a *analysis) graphRoute(rt *route) *graph.Route {
	gr := &graph.Route{Method: rt.method, Path: rt.path, Pos: a.w.ix.position(rt.pos), Handler: "-"}
	if rt.handler != nil {
		gr.Handler = a.w.ix.name(rt.handler.fn)
	}
	for _, cl := range rt.entries {
		if cl != rt.handler && !contains(gr.Middleware, a.w.ix.name(cl.fn)) {
			gr.Middleware = append(gr.Middleware, a.w.ix.name(cl.fn))
		}
	}
	ops := map[string]map[graph.Op]bool{}
	loopOps := map[string]map[graph.Op]bool{}
	var ids []string
	for _, e := range a.events[rt] {
		if e.site == nil {
			continue
		}
		if !contains(ids, a.ids[e.site]) {
			ids = append(ids, a.ids[e.site])
		}
		for _, to := range a.tableOps(e.site) {
			addOp(ops, to)
			if a.repeats(e) {
				addOp(loopOps, to)
			}
		}
	}
	sort.Slice(ids, func(i, j int) bool { return idNum(ids[i]) < idNum(ids[j]) })
	gr.Queries = ids
	for _, t := range sortedKeys(ops) {
		gr.Tables = append(gr.Tables, &graph.TableOps{Table: t, Ops: opList(ops[t]), LoopOps: opList(loopOps[t])})
	}
	return gr
}

func addOp(m map[string]map[graph.Op]bool, to graph.TableOp) {
	if m[to.Table] == nil {
		m[to.Table] = map[graph.Op]bool{}
	}
	m[to.Table][to.Op] = true
}

func opList(m map[graph.Op]bool) []graph.Op {
	var out []graph.Op
	for _, op := range graph.Ops {
		if m[op] {
			out = append(out, op)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// idNum is the number of a query id "q12", or of a position's part "12".
func idNum(id string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(id, "q"))
	return n
}

func contains(ss []string, s string) bool {
	for _, t := range ss {
		if t == s {
			return true
		}
	}
	return false
}

// tables lists every table a query or the schema names; a table that
// routes read and that no route other than an initialize one writes is a
// cache candidate.
func (a *analysis) tables(routes []*graph.Route) []*graph.Table {
	byName := map[string]*graph.Table{}
	if a.schema != nil {
		for _, t := range a.schema.Tables {
			if byName[t.Name] != nil {
				continue // the first definition is the one the checks read
			}
			gt := &graph.Table{Name: t.Name, InSchema: true, File: t.File, Columns: t.Columns}
			for _, ix := range t.Indexes {
				gt.Indexes = append(gt.Indexes, &graph.Index{Name: ix.Name, Columns: ix.Columns, Primary: ix.Primary, Unique: ix.Unique, Kind: ix.Kind})
			}
			byName[t.Name] = gt
		}
	}
	read, written := map[string]bool{}, map[string]bool{}
	for _, rt := range routes {
		initialize := strings.Contains(strings.ToLower(rt.Path), "initialize")
		for _, t := range rt.Tables {
			if byName[t.Table] == nil {
				byName[t.Table] = &graph.Table{Name: t.Table}
			}
			for _, op := range t.Ops {
				switch {
				case op == graph.Select:
					read[t.Table] = true
				case !initialize:
					written[t.Table] = true
				}
			}
		}
	}
	var out []*graph.Table
	for _, name := range sortedKeys(byName) {
		t := byName[name]
		t.CacheCandidate = read[name] && !written[name]
		out = append(out, t)
	}
	return out
}

// sortFindings orders findings by position, kind, route and message.
func sortFindings(fs []*graph.Finding) []*graph.Finding {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if c := graph.ComparePos(a.Pos, b.Pos); c != 0 {
			return c < 0
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Route != b.Route {
			return a.Route < b.Route
		}
		return a.Message < b.Message
	})
	if fs == nil {
		fs = []*graph.Finding{}
	}
	return fs
}

// callGraph returns the functions on the paths from routes to queries, and
// the edges route → entry → callees → table.
func (a *analysis) callGraph() ([]*graph.Function, []*graph.Edge) {
	funcs := map[string]*graph.Function{}
	edges := map[string]*graph.Edge{}
	addFn := func(fn *ssa.Function, kind string) string {
		name := a.w.ix.name(fn)
		if f, ok := funcs[name]; ok {
			if f.Kind == "" {
				f.Kind = kind
			}
		} else {
			funcs[name] = &graph.Function{ID: name, Pos: a.w.ix.position(fn.Pos()), Kind: kind}
		}
		return "func:" + name
	}
	addEdge := func(from, to string, op graph.Op, loop bool, pos token.Pos) {
		k := from + "|" + to + "|" + string(op)
		if old, ok := edges[k]; ok {
			old.Loop = old.Loop || loop
			return
		}
		edges[k] = &graph.Edge{From: from, To: to, Op: op, Loop: loop, Pos: a.w.ix.position(pos)}
	}
	for _, rt := range a.routes {
		from := "route:" + rt.method + " " + rt.path
		for _, e := range a.events[rt] {
			if e.site == nil || len(e.path) == 0 {
				continue
			}
			kind := "middleware"
			if rt.handler != nil && e.path[0] == rt.handler.fn {
				kind = "handler"
			}
			prev := from
			path := visiblePath(e.path)
			for i, fn := range path {
				k := ""
				if i == 0 {
					k = kind
				}
				id := addFn(fn, k)
				addEdge(prev, id, "", a.repeats(e) && i > 0 && i-1 == visibleIndex(e.path, e.loopAt), token.NoPos)
				prev = id
			}
			for _, to := range a.tableOps(e.site) {
				addEdge(prev, "table:"+to.Table, to.Op, a.repeats(e) && visibleIndex(e.path, e.loopAt) == len(path)-1, e.site.pos)
			}
		}
	}
	var fs []*graph.Function
	for _, k := range sortedKeys(funcs) {
		fs = append(fs, funcs[k])
	}
	var es []*graph.Edge
	for _, k := range sortedKeys(edges) {
		es = append(es, edges[k])
	}
	return fs, es
}

// visiblePath drops what users never wrote: synthetic wrappers, and the
// iterator machinery between a range-over-func loop and its body.
func visiblePath(path []*ssa.Function) []*ssa.Function {
	var out []*ssa.Function
	for _, fn := range path {
		if fn.Synthetic == rangeFuncBody {
			for i := len(out) - 1; i >= 0; i-- {
				if out[i] == fn.Parent() {
					out = out[:i+1]
					break
				}
			}
			continue
		}
		if fn.Synthetic == "" {
			out = append(out, fn)
		}
	}
	return out
}

// visibleIndex maps an index of path to its index in visiblePath(path).
func visibleIndex(path []*ssa.Function, i int) int {
	return len(visiblePath(path[:min(i+1, len(path))])) - 1
}

// txOfSites returns, per site, the transaction it runs in, when that is
// the same in every context that runs it (a helper shared by routes that
// each begin their own has none).
func (a *analysis) txOfSites() map[*site]*origin {
	out := map[*site]*origin{}
	mixed := map[*site]bool{}
	note := func(events []*event) {
		for _, e := range events {
			if e.site == nil {
				continue
			}
			var o *origin
			if len(e.txs) == 1 {
				o = e.txs[0]
			}
			if prev, seen := out[e.site]; seen && prev != o || len(e.txs) > 1 {
				mixed[e.site] = true
			}
			out[e.site] = o
		}
	}
	for _, rt := range a.routes {
		note(a.events[rt])
	}
	note(a.rest)
	for s := range mixed {
		delete(out, s)
	}
	return out
}
