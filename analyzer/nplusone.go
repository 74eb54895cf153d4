package analyzer

import (
	"fmt"
	"go/token"
	"sort"
	"strings"

	"github.com/crudmap/crudmap/graph"
	"golang.org/x/tools/go/ssa"
)

// nplusOne reports each query that runs once per iteration of a loop:
// one finding per (loop, query), at the outermost loop that repeats it,
// with the call path from the loop's function to the query's and every
// route that runs it. A finding no route reaches (workers, routes crudmap
// could not resolve) is info, and says it is off the request path.
func (a *analysis) nplusOne() {
	type found struct {
		f      *graph.Finding
		routes []string
	}
	byKey := map[[2]token.Pos]*found{}
	var order []*found
	add := func(route string, e *event) {
		if !a.repeats(e) {
			return
		}
		// The same (loop, query) may be reached from several routes, in
		// several transaction contexts, and a call may have several SQL
		// variants: one finding.
		k := [2]token.Pos{e.loop.pos, e.site.pos}
		fd := byKey[k]
		if fd == nil {
			fd = &found{f: a.nplusOneFinding(e, route != "")}
			byKey[k] = fd
			order = append(order, fd)
		}
		if route != "" && !contains(fd.routes, route) {
			fd.routes = append(fd.routes, route)
		}
	}
	for _, rt := range a.routes {
		for _, e := range a.events[rt] {
			add(rt.method+" "+rt.path, e)
		}
	}
	for _, e := range a.rest {
		add("", e)
	}
	for _, fd := range order {
		attachRoutes(fd.f, fd.routes)
		a.findings = append(a.findings, fd.f)
	}
}

// repeats reports whether e is a query that runs once per iteration of a
// loop. A loop over a literal list of statements
// (for _, q := range []string{"DELETE FROM a", "DELETE FROM b"}) runs each
// statement once; a ticker's loop runs once per tick, a session's loop
// once per client command.
func (a *analysis) repeats(e *event) bool {
	if e.site == nil || e.loop == nil || e.loop.kind == perTick || e.loop.kind == perCommand {
		return false
	}
	if e.loop.literal && a.loopVariants()[[2]token.Pos{e.loop.pos, e.site.pos}] > 1 {
		return false
	}
	// Statements read from files or listed in a literal and run one by one
	// (an initialize handler loading its schema, a project's tables deleted
	// in turn through a function rewriting each text): nothing is known of
	// them, nor is it an N+1.
	return !((e.loop.bounded || e.loop.literal) && e.site.text.text == "")
}

// loopVariants counts, per loop and call position, the SQL texts the call
// runs under the loop: more than one under a literal loop means the
// statement changes with the element.
func (a *analysis) loopVariants() map[[2]token.Pos]int {
	if a.variants != nil {
		return a.variants
	}
	texts := map[[2]token.Pos]map[string]bool{}
	note := func(events []*event) {
		for _, e := range events {
			if e.site == nil || e.loop == nil {
				continue
			}
			k := [2]token.Pos{e.loop.pos, e.site.pos}
			if texts[k] == nil {
				texts[k] = map[string]bool{}
			}
			texts[k][e.site.text.text] = true
		}
	}
	for _, rt := range a.routes {
		note(a.events[rt])
	}
	note(a.rest)
	a.variants = map[[2]token.Pos]int{}
	for k, ts := range texts {
		a.variants[k] = len(ts)
	}
	return a.variants
}

// nplusOneFinding describes e's query repeated by e's loop. onRoute says
// whether a route runs it: off the request path, it is info.
func (a *analysis) nplusOneFinding(e *event, onRoute bool) *graph.Finding {
	ix := a.w.ix
	s := e.site
	ops := a.tableOps(s)
	var path []string
	for _, fn := range visiblePath(e.path[e.loopAt:]) {
		path = append(path, a.w.ix.name(fn))
	}
	msg := fmt.Sprintf("%s runs once per %s", opSummary(ops), loopName(e, ix.position(e.loop.pos)))
	var notes []string
	if !onRoute {
		notes = append(notes, "off the request path")
	}
	if e.depth > 1 {
		notes = append(notes, fmt.Sprintf("%d loops deep", e.depth))
	}
	if len(path) > 1 {
		notes = append(notes, "via "+strings.Join(path[1:], " → "))
	}
	if len(notes) > 0 {
		msg += " (" + strings.Join(notes, "; ") + ")"
	}
	f := &graph.Finding{
		Kind: graph.KindNPlusOne, Severity: graph.Warning, Pos: ix.position(s.pos), Message: msg,
		Fix: a.nplusOneFix(e, ops), Loop: ix.position(e.loop.pos), Query: ix.position(s.pos),
		QueryID: a.ids[s], Path: path, Depth: e.depth, Func: a.w.ix.name(s.fn), SQL: normalizeSQL(s.text.text),
		Operation: opSummary(ops),
	}
	if !onRoute || e.loop.bounded || e.loop.kind == perJob || e.recursive && e.loop.chain {
		f.Severity = graph.Info
	}
	if len(ops) > 0 {
		f.Table, f.Op = ops[0].Table, ops[0].Op
	}
	return f
}

// loopName names what repeats e's query, at pos: "iteration of the loop
// at pos", "job of the loop at pos", "recursive call at pos".
func loopName(e *event, pos string) string {
	switch {
	case e.recursive:
		return "recursive call at " + pos
	case e.loop.kind == perJob:
		return "job of the loop at " + pos
	case e.loop.bounded:
		return "iteration of the bounded loop at " + pos
	}
	return "iteration of the loop at " + pos
}

// opSummary names a query's operations: "SELECT posts, users; INSERT logs".
func opSummary(ops []graph.TableOp) string {
	if len(ops) == 0 {
		return "a query"
	}
	var parts []string
	for _, op := range graph.Ops {
		var tables []string
		for _, to := range ops {
			if to.Op == op && !contains(tables, to.Table) {
				tables = append(tables, to.Table)
			}
		}
		if len(tables) > 0 {
			sort.Strings(tables)
			parts = append(parts, string(op)+" "+strings.Join(tables, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// nplusOneFix is a one-line hint matched to what the query does.
func (a *analysis) nplusOneFix(e *event, ops []graph.TableOp) string {
	s := e.site
	switch {
	case e.loop.bounded:
		return "the loop is bounded: a few queries per request; merge them only if the route is hot"
	case e.recursive && e.loop.chain:
		return "the recursion follows one link per level (a parent, then its parent): as many queries as levels; fetch the chain in one WITH RECURSIVE query if it can be deep"
	case e.loop.kind == perJob:
		return "one query per job is expected; batch only if jobs arrive in bursts and the query shows up in profiles"
	}
	if onlyReads(ops) && !e.recursive && sameInLoop(e) {
		return "nothing the query uses changes in the loop: run it once before the loop and reuse the result"
	}
	if len(ops) == 0 {
		return "move the query out of the loop: fetch what every iteration needs in one query before it"
	}
	upper := strings.ToUpper(s.text.text)
	table := ops[0].Table
	key := "id"
	if p := a.parsed[s]; p != nil {
		if cols := p.stmt.KeyColumns(); len(cols) > 0 {
			key = cols[0]
		}
	}
	switch ops[0].Op {
	case graph.Insert:
		return "batch the INSERTs into one multi-row INSERT (sqlx.NamedExec with a slice), or insert after the loop"
	case graph.Update:
		return fmt.Sprintf("update all rows in one statement (WHERE %s, or %s / CASE)", a.setPredicate(s, key), a.updateJoin(s))
	case graph.Delete:
		return fmt.Sprintf("delete all rows in one statement with WHERE %s", a.setPredicate(s, key))
	}
	for _, agg := range []string{"COUNT(", "SUM(", "AVG(", "MAX(", "MIN("} {
		if strings.Contains(upper, agg) {
			return fmt.Sprintf("compute the aggregate for every element in one query with WHERE %s GROUP BY %s before the loop (or keep a counter column)", a.setPredicate(s, key), key)
		}
	}
	return fmt.Sprintf("collect the %s values and fetch %s once with WHERE %s (%s), or JOIN it into the outer query; a per-process cache helps for rows that rarely change", key, table, a.setPredicate(s, key), a.setHow(s))
}

// normalizeSQL collapses white space, for baselines that must not change
// when a query is re-indented.
func normalizeSQL(sql string) string {
	return strings.Join(strings.Fields(sql), " ")
}

// onlyReads reports whether ops are all SELECTs: a write repeated with
// the same values still does something each time.
func onlyReads(ops []graph.TableOp) bool {
	for _, op := range ops {
		if op.Op != graph.Select {
			return false
		}
	}
	return len(ops) > 0
}

// sameInLoop reports whether e's query gets the same SQL and arguments in
// every iteration of its loop: the query call is in the loop's body, or
// the calls there to the next function on the path all pass values that
// do not change in the loop (getConfig("shipment_url")).
func sameInLoop(e *event) bool {
	fn := e.path[e.loopAt]
	if e.site.fn == fn {
		return sameEveryIteration(e.site.call, e.loop, true)
	}
	if e.loopAt+1 >= len(e.path) {
		return false
	}
	next, found := e.path[e.loopAt+1], false
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(ssa.CallInstruction)
			if !ok || c.Common().StaticCallee() != next || instr.Pos() < e.loop.pos || instr.Pos() >= e.loop.end {
				continue
			}
			if !sameEveryIteration(c.Common(), e.loop, false) {
				return false
			}
			found = true
		}
	}
	return found
}

// sameEveryIteration reports whether a call in a loop's body gets the
// same arguments in every iteration: each is a constant, a parameter, a
// global, or a value computed before the loop. The receiver and a context
// are not arguments, nor, for a query, a variable to scan into.
func sameEveryIteration(c *ssa.CallCommon, l *loop, query bool) bool {
	args := c.Args
	if c.Signature().Recv() != nil && !c.IsInvoke() {
		args = args[1:] // (*sql.DB).QueryRow called statically
	}
	for _, arg := range args {
		if !sameArg(arg, l, query, 0) {
			return false
		}
	}
	if mc, ok := c.Value.(*ssa.MakeClosure); ok {
		// go func() { ... ch.ID ... }(): what the closure captures.
		for _, b := range mc.Bindings {
			if !definedBefore(b, l, 0) {
				return false
			}
		}
	}
	return true
}

// sameArg reports whether an argument is the same in every iteration of
// l. A query's variable to scan into (query) does not count.
func sameArg(v ssa.Value, l *loop, query bool, depth int) bool {
	if depth > 4 {
		return false
	}
	if isContext(v.Type()) {
		return true
	}
	switch v := v.(type) {
	case *ssa.Alloc:
		if query {
			return true // a destination to scan into
		}
	case *ssa.Slice:
		if alloc, ok := v.X.(*ssa.Alloc); ok { // the variadic ...any
			for _, e := range arrayValues(alloc) {
				if !sameArg(e, l, false, depth+1) {
					return false
				}
			}
			return true
		}
	case *ssa.MakeInterface:
		return sameArg(v.X, l, query, depth+1)
	}
	return definedBefore(v, l, depth)
}

// definedBefore reports whether v is computed before the loop starts, or
// needs no computing. A φ-node is when all its edges are: the loop's own
// (for id != 0 { ...; id = parent }) has one from the body.
func definedBefore(v ssa.Value, l *loop, depth int) bool {
	if depth > 4 {
		return false
	}
	switch v := v.(type) {
	case *ssa.Const, *ssa.Global, *ssa.Function, *ssa.Parameter, *ssa.FreeVar:
		return true
	case *ssa.Extract:
		return definedBefore(v.Tuple, l, depth+1)
	case *ssa.Phi:
		for _, e := range v.Edges {
			if !definedBefore(e, l, depth+1) {
				return false
			}
		}
		return true
	case *ssa.UnOp:
		if alloc, ok := v.X.(*ssa.Alloc); ok && v.Op == token.MUL {
			return definedBefore(alloc, l, depth+1)
		}
		return v.Pos().IsValid() && v.Pos() < l.pos
	case *ssa.Alloc:
		// A variable declared before the loop that the loop only reads:
		// no store, and no pointer to it handed out (Scan(&id)).
		for _, ref := range *v.Referrers() {
			switch ref.(type) {
			case *ssa.UnOp, *ssa.DebugRef, *ssa.MakeClosure:
				continue // a read, or a closure reading it
			}
			if pos := ref.Pos(); !pos.IsValid() || pos >= l.pos && pos < l.end {
				return false
			}
		}
		return v.Pos().IsValid() && v.Pos() < l.pos
	case ssa.Instruction:
		pos := v.Pos()
		return pos.IsValid() && pos < l.pos
	}
	return false
}
