package analyzer

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"
)

// loop is a for or range statement of the module.
type loop struct {
	pos, end token.Pos
	// bounded is true for a loop over a constant slice or array literal of
	// at most maxBounded elements, or up to a constant count at most
	// maxBounded: a query in it is a lesser finding.
	bounded bool
	// literal is true for a loop over a slice or array literal: when the
	// SQL differs per element, each statement runs once.
	literal bool
	// exits are the blocks of the body that end by leaving the loop
	// (return, break, panic): what they run, they run once.
	exits []span
	// kind says what one iteration handles: an element, a job, a tick.
	kind loopKind
	// chain marks a recursion through a call outside any loop (a
	// category's parent, then its parent): it goes as deep as the data.
	chain bool
	// ticks are the cases of a job loop's select that wake on a timer
	// (case <-ticker.C:); a call in one sees the loop as tick, its
	// per-tick view.
	ticks []span
	tick  *loop
}

// loopKind is what one iteration of a loop handles.
type loopKind int

const (
	// perElement loops repeat once per element of a collection, row or
	// record: a query in them is an N+1.
	perElement loopKind = iota
	// perJob loops receive a job from a channel each time round
	// (for j := range jobs, for { select { case j := <-jobs: ... } }): the
	// loop inside a worker, off the request path.
	perJob
	// perTick loops wake on a timer or a signal (for range ticker.C,
	// for { <-time.After(d); ... }): one round per tick, not per element.
	perTick
	// perCommand loops serve a network connection (a POP3 or SMTP
	// session reading a command a round and answering it on the
	// connection): one round per client request, not per element.
	perCommand
)

// span is a range of positions, end excluded.
type span struct{ pos, end token.Pos }

const maxBounded = 4

// loopsAt returns the loops of fn that contain pos, outermost first. The
// body of a range-over-func loop is a synthetic function whose syntax is
// the range statement itself; the loop belongs to the enclosing function,
// so the body function does not count it again.
//
// Code that runs once per process (see runsOnce) repeats nothing per
// request or per element: only its job and tick loops count.
func (ix *index) loopsAt(fn *ssa.Function, pos token.Pos) []*loop {
	loops := ix.loopsAround(fn, pos)
	if !ix.runsOnce(fn) {
		return loops
	}
	var rounds []*loop
	for _, l := range loops {
		if l.kind != perElement {
			rounds = append(rounds, l)
		}
	}
	return rounds
}

// loopsAround returns the loops of fn that contain pos, outermost first.
func (ix *index) loopsAround(fn *ssa.Function, pos token.Pos) []*loop {
	root := fn.Syntax()
	if root == nil || !pos.IsValid() {
		return nil
	}
	var out []*loop
	for _, l := range ix.fileLoops[ix.fset.File(pos)] {
		if l.pos <= pos && pos < l.end && root.Pos() <= l.pos && l.end <= root.End() &&
			!(fn.Synthetic != "" && l.pos == root.Pos()) && !l.exitsAt(pos) {
			out = append(out, l.at(pos))
		}
	}
	return out
}

// scanFile records, in one pass over f, where its call expressions start
// and its loops, outermost first.
func (ix *index) scanFile(f *ast.File, info *types.Info) {
	lits := &literalScan{info: info, length: map[types.Object]int{}, assigned: map[types.Object]int{}}
	var loops []*loop
	var ranges []*ast.RangeStmt
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			ix.callStarts = append(ix.callStarts, callStart{n.Lparen, n.Pos()})
		case *ast.ForStmt:
			// for { ... } polls or retries until something happens, and
			// for i := 0; i < n; i += 1000 sends batches: neither repeats
			// a query per element. A for { ... } reading records (a CSV
			// upload, line by line) does.
			// A for { ... } receiving from a channel runs once per job or
			// tick.
			kind := receiveKind(n.Body, info)
			if untilStopped(n.Cond, info) {
				kind = perTick
			}
			if servesConn(n.Body, info) {
				kind = perCommand
			}
			if (n.Cond != nil || kind != perElement || readsRecords(n.Body, info)) && !isRetry(n.Body) && !isBatch(n, info) {
				l := &loop{pos: n.Pos(), end: n.End(), bounded: boundedFor(n, info), exits: exitBlocks(n.Body), kind: kind}
				if kind == perJob {
					l.withTicks(tickCases(n.Body, info))
				}
				loops = append(loops, l)
			}
		case *ast.RangeStmt:
			if (!isRetry(n.Body) || isChan(n.X, info)) && !isChunks(n.X) {
				ranges = append(ranges, n)
			}
		case *ast.UnaryExpr:
			lits.addressed(n)
		case *ast.AssignStmt:
			lits.assign(n)
		}
		return true
	})
	lengths := lits.lengths()
	for _, r := range ranges {
		n, ok := rangeLength(r, info, lengths)
		loops = append(loops, &loop{pos: r.Pos(), end: r.End(), bounded: ok && n <= maxBounded, literal: ok,
			exits: exitBlocks(r.Body), kind: rangeKind(r, info)})
	}
	sort.Slice(loops, func(i, j int) bool { return loops[i].pos < loops[j].pos })
	if ast.IsGenerated(f) {
		// Generated code (protobuf, RPC registration, sqlc batches)
		// loops over its own tables and options, never over the
		// user's data.
		loops = nil
	}
	ix.fileLoops[ix.fset.File(f.Pos())] = loops
}

// rangeKind says what one iteration of a range loop handles: a range over
// a timer's channel ticks, over another channel it receives jobs (or
// signals, when it keeps no value), over anything else elements.
func rangeKind(r *ast.RangeStmt, info *types.Info) loopKind {
	switch {
	case !isChan(r.X, info):
		return perElement
	case isTimerChan(r.X, info) || r.Key == nil || isBlank(r.Key):
		return perTick
	}
	return perJob
}

// isChunks reports whether a range goes over chunks or batches of
// elements (for _, chunk := range sqlutil.Chunkify(...), range batches):
// each iteration sends a batch, as isBatch's loops do.
func isChunks(x ast.Expr) bool {
	var name string
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		name = x.Name
	case *ast.CallExpr:
		switch fun := ast.Unparen(x.Fun).(type) {
		case *ast.Ident:
			name = fun.Name
		case *ast.SelectorExpr:
			name = fun.Sel.Name
		}
	}
	name = strings.ToLower(name)
	return strings.Contains(name, "chunk") || strings.Contains(name, "batch")
}

// untilStopped reports whether a loop condition waits for a stop signal
// (for !p.terminated.Load(), for ctx.Err() == nil): the loop polls until
// it is stopped, once per round, not once per element.
func untilStopped(cond ast.Expr, info *types.Info) bool {
	if cond == nil || info == nil {
		return false
	}
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return !found
		}
		if s, ok := info.Selections[sel]; ok && s.Kind() == types.MethodVal {
			key := methodKey(s)
			found = found || strings.HasPrefix(key, "sync/atomic.") || key == "context.Context.Err"
		}
		return !found
	})
	return found
}

// receiveKind says what a for { ... } whose body receives from channels
// handles per round: a job when it keeps a value received from a channel
// that is not a timer's, a tick when it only waits on a timer or a signal
// or sleeps, else an element. ctx.Done() ends a loop; it is not a round.
func receiveKind(body *ast.BlockStmt, info *types.Info) loopKind {
	kind := perElement
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt:
			return false // their receives are their own
		case *ast.AssignStmt:
			if recv, ok := receiveOf(n.Rhs); ok && !isTimerChan(recv.X, info) && !allBlank(n.Lhs) {
				kind = perJob
				return false
			}
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && kind == perElement && !isDone(n.X) {
				kind = perTick
			}
		case *ast.CallExpr:
			if kind == perElement && isSleep(n, info) {
				kind = perTick // for { poll(); time.Sleep(d) }
			}
		}
		return true
	})
	return kind
}

// isSleep reports whether call is time.Sleep: a for { ... } that sleeps
// each round polls on a timer, as a ticker's loop does.
func isSleep(call *ast.CallExpr, info *types.Info) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || info == nil {
		return false
	}
	fn, ok := info.Uses[sel.Sel].(*types.Func)
	return ok && fn.Pkg() != nil && fn.Pkg().Path() == "time" && fn.Name() == "Sleep"
}

// receiveOf returns the receive expression of "x := <-ch" or
// "x, ok := <-ch".
func receiveOf(rhs []ast.Expr) (*ast.UnaryExpr, bool) {
	if len(rhs) != 1 {
		return nil, false
	}
	u, ok := ast.Unparen(rhs[0]).(*ast.UnaryExpr)
	return u, ok && u.Op == token.ARROW
}

func isBlank(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

func allBlank(es []ast.Expr) bool {
	for _, e := range es {
		if !isBlank(e) {
			return false
		}
	}
	return true
}

// isChan reports whether e is a channel.
func isChan(e ast.Expr, info *types.Info) bool {
	if info == nil || info.TypeOf(e) == nil {
		return false
	}
	_, ok := info.TypeOf(e).Underlying().(*types.Chan)
	return ok
}

// isTimerChan reports whether e is a timer's channel: ticker.C, timer.C,
// time.Tick(d), time.After(d).
func isTimerChan(e ast.Expr, info *types.Info) bool {
	if info == nil {
		return false
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		if e.Sel.Name != "C" {
			return false
		}
		t := info.TypeOf(e.X)
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		named, ok := t.(*types.Named)
		return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "time"
	case *ast.CallExpr:
		fn, ok := typeutil.Callee(info, e).(*types.Func)
		return ok && fn.Pkg() != nil && fn.Pkg().Path() == "time" && (fn.Name() == "Tick" || fn.Name() == "After")
	}
	return false
}

// isDone reports whether e is a call of a method Done (ctx.Done()): the
// loop's end, not a round of it.
func isDone(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Done"
}

// boundedFor reports whether s is "for i := ...; i < N; ..." with a
// constant N at most maxBounded.
func boundedFor(s *ast.ForStmt, info *types.Info) bool {
	cond, ok := s.Cond.(*ast.BinaryExpr)
	if !ok || (cond.Op != token.LSS && cond.Op != token.LEQ) || info == nil {
		return false
	}
	tv, ok := info.Types[cond.Y]
	if !ok || tv.Value == nil {
		return false
	}
	n, ok := constant.Int64Val(constant.ToInt(tv.Value))
	return ok && n <= maxBounded
}

// rangeLength returns the number of elements s ranges over when it is
// known: a composite literal, a variable holding one, an array, or a
// constant integer.
func rangeLength(s *ast.RangeStmt, info *types.Info, literals map[types.Object]int) (int, bool) {
	if info != nil {
		// for i := range 3, range n with a constant n
		if tv, ok := info.Types[s.X]; ok && tv.Value != nil {
			n, ok := constant.Int64Val(constant.ToInt(tv.Value))
			return int(n), ok
		}
	}
	switch x := ast.Unparen(s.X).(type) {
	case *ast.CompositeLit:
		return len(x.Elts), true
	case *ast.Ident:
		if info == nil {
			return 0, false
		}
		obj := info.Uses[x]
		if n, ok := literals[obj]; ok {
			return n, true
		}
		if v, ok := obj.(*types.Var); ok {
			if arr, ok := v.Type().Underlying().(*types.Array); ok {
				return int(arr.Len()), true
			}
		}
	}
	return 0, false
}

// literalScan finds the local variables defined as a non-empty slice or
// array literal and never assigned again nor filled through a pointer
// (files := []string{"a.sql", "b.sql"}), with the literal's length.
type literalScan struct {
	info     *types.Info
	length   map[types.Object]int
	assigned map[types.Object]int
}

func (l *literalScan) addressed(u *ast.UnaryExpr) {
	if id, ok := ast.Unparen(u.X).(*ast.Ident); ok && u.Op == token.AND && l.info != nil {
		l.assigned[l.info.ObjectOf(id)] += 2 // db.Select(&xs, ...)
	}
}

func (l *literalScan) assign(as *ast.AssignStmt) {
	if l.info == nil {
		return
	}
	for i, lhs := range as.Lhs {
		id, ok := lhs.(*ast.Ident)
		if !ok {
			continue
		}
		obj := l.info.ObjectOf(id)
		l.assigned[obj]++
		if len(as.Lhs) == len(as.Rhs) && as.Tok == token.DEFINE {
			if lit, ok := as.Rhs[i].(*ast.CompositeLit); ok && len(lit.Elts) > 0 {
				l.length[obj] = len(lit.Elts)
			}
		}
	}
}

// lengths returns the literal lengths of the variables assigned once.
func (l *literalScan) lengths() map[types.Object]int {
	for obj := range l.length {
		if l.assigned[obj] > 1 {
			delete(l.length, obj)
		}
	}
	return l.length
}

// isRetry reports whether a loop body ends in return or break: it runs
// again only through continue, as a retry loop does (try the UPDATE, retry
// on deadlock, return on success), so its queries do not repeat per element.
func isRetry(body *ast.BlockStmt) bool {
	if body == nil || len(body.List) == 0 {
		return false
	}
	switch last := body.List[len(body.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return last.Tok == token.BREAK && last.Label == nil
	}
	return false
}

// recordReaders are the methods that read one record of a stream: a
// for { ... } calling one runs once per record.
var recordReaders = map[string]bool{
	"encoding/csv.Reader.Read": true, "bufio.Reader.ReadString": true, "bufio.Reader.ReadLine": true,
	"bufio.Reader.ReadBytes": true, "bufio.Scanner.Scan": true, "encoding/json.Decoder.Decode": true,
	"encoding/xml.Decoder.Token": true, "archive/zip.Reader.Open": true, "archive/tar.Reader.Next": true,
}

// readsRecords reports whether body, outside function literals, calls a
// method reading the next record of a stream.
func readsRecords(body *ast.BlockStmt, info *types.Info) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SelectorExpr:
			if sel, ok := info.Selections[n]; ok && sel.Kind() == types.MethodVal {
				found = found || recordReaders[methodKey(sel)]
			}
		}
		return !found
	})
	return found
}

// servesConn reports whether body, outside function literals and nested
// loops, calls a method of a network connection of package net (net.Conn,
// *net.TCPConn): a loop doing so serves the client a round at a time.
func servesConn(body *ast.BlockStmt, info *types.Info) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt:
			return false
		case *ast.SelectorExpr:
			if sel, ok := info.Selections[n]; ok && sel.Kind() == types.MethodVal {
				key := methodKey(sel)
				found = found || strings.HasPrefix(key, "net.") && strings.Contains(key, "Conn.")
			}
		}
		return !found
	})
	return found
}

// methodKey names a method "pkgpath.Type.Method".
func methodKey(sel *types.Selection) string {
	t := sel.Recv()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := t.(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return ""
	}
	return named.Obj().Pkg().Path() + "." + named.Obj().Name() + "." + sel.Obj().Name()
}

// withTicks records the timer cases of l's select: calls in them run once
// per tick (a task pool's loop receiving log records, and every few
// seconds starting the next queued task).
func (l *loop) withTicks(ticks []span) {
	if len(ticks) == 0 {
		return
	}
	tick := *l
	tick.kind = perTick
	l.ticks, l.tick = ticks, &tick
}

// at returns l as a call at pos sees it: its per-tick view in a timer case.
func (l *loop) at(pos token.Pos) *loop {
	for _, t := range l.ticks {
		if t.pos <= pos && pos < t.end {
			return l.tick
		}
	}
	return l
}

// tickCases returns the cases of the select statements of a loop body
// (outside function literals and nested loops) that receive from a timer.
func tickCases(body *ast.BlockStmt, info *types.Info) []span {
	var spans []span
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt:
			return false
		case *ast.CommClause:
			var recv *ast.UnaryExpr
			switch c := n.Comm.(type) {
			case *ast.ExprStmt:
				recv, _ = receiveOf([]ast.Expr{c.X})
			case *ast.AssignStmt:
				recv, _ = receiveOf(c.Rhs)
			}
			if recv != nil && isTimerChan(recv.X, info) {
				spans = append(spans, span{n.Pos(), n.End()})
			}
		}
		return true
	})
	return spans
}

// exitsAt reports whether pos is in a block that leaves the loop.
func (l *loop) exitsAt(pos token.Pos) bool {
	for _, e := range l.exits {
		if e.pos <= pos && pos < e.end {
			return true
		}
	}
	return false
}

// exitBlocks returns the blocks of a loop body, at any depth, that end by
// leaving the loop and never go round again: "if u.ID == id { db.Exec(...);
// return }" runs its query once, not once per element. A break leaves the
// loop only outside a switch, a select or a nested loop; a block holding a
// continue or a goto may go round again.
func exitBlocks(body *ast.BlockStmt) []span {
	var spans []span
	var stmt func(s ast.Stmt, breaks bool)
	list := func(pos, end token.Pos, stmts []ast.Stmt, breaks bool) {
		if n := len(stmts); n > 0 && leaves(stmts[n-1], breaks) && !mayContinue(stmts) {
			spans = append(spans, span{pos, end})
			return
		}
		for _, s := range stmts {
			stmt(s, breaks)
		}
	}
	stmt = func(s ast.Stmt, breaks bool) {
		switch s := s.(type) {
		case *ast.BlockStmt:
			list(s.Pos(), s.End(), s.List, breaks)
		case *ast.IfStmt:
			list(s.Body.Pos(), s.Body.End(), s.Body.List, breaks)
			if s.Else != nil {
				stmt(s.Else, breaks)
			}
		case *ast.LabeledStmt:
			stmt(s.Stmt, breaks)
		case *ast.SwitchStmt:
			stmt(s.Body, false)
		case *ast.TypeSwitchStmt:
			stmt(s.Body, false)
		case *ast.SelectStmt:
			stmt(s.Body, false)
		case *ast.CaseClause:
			list(s.Colon, s.End(), s.Body, breaks)
		case *ast.CommClause:
			list(s.Colon, s.End(), s.Body, breaks)
		case *ast.ForStmt:
			stmt(s.Body, false) // a return in a nested loop leaves this one too
		case *ast.RangeStmt:
			stmt(s.Body, false)
		}
	}
	for _, s := range body.List {
		stmt(s, true)
	}
	return spans
}

// leaves reports whether s leaves the loop: a return, a panic, a labelled
// break, or a plain break where breaks says it ends the loop.
func leaves(s ast.Stmt, breaks bool) bool {
	switch s := s.(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.BranchStmt:
		return s.Tok == token.BREAK && (s.Label != nil || breaks)
	case *ast.ExprStmt:
		call, ok := s.X.(*ast.CallExpr)
		if !ok {
			return false
		}
		id, ok := call.Fun.(*ast.Ident)
		return ok && id.Name == "panic"
	}
	return false
}

// mayContinue reports whether stmts hold a continue or a goto, outside
// function literals.
func mayContinue(stmts []ast.Stmt) bool {
	found := false
	for _, s := range stmts {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BranchStmt:
				found = found || n.Tok == token.CONTINUE || n.Tok == token.GOTO
			}
			return !found
		})
	}
	return found
}

// rangeFuncLoop returns the range-over-func loop whose body c passes to
// the iterator (for x := range seq calls seq(body)), and the body, or nil.
func (ix *index) rangeFuncLoop(c *ssa.CallCommon) (*loop, *ssa.MakeClosure) {
	for _, a := range c.Args {
		mc, ok := a.(*ssa.MakeClosure)
		if !ok {
			continue
		}
		body := mc.Fn.(*ssa.Function)
		if body.Synthetic != rangeFuncBody || body.Syntax() == nil {
			continue
		}
		pos := body.Syntax().Pos()
		for _, l := range ix.fileLoops[ix.fset.File(pos)] {
			if l.pos == pos {
				return l, mc
			}
		}
	}
	return nil, nil
}

// rangeFuncBody is go/ssa's Synthetic for the body of a range-over-func loop.
const rangeFuncBody = "range-over-func yield"

// isBatch reports whether a loop steps by a constant larger than one and
// slices from its index (for i := 0; i < n; i += 1000 { xs[i:end] }): each
// iteration sends a batch of elements.
func isBatch(s *ast.ForStmt, info *types.Info) bool {
	as, ok := s.Post.(*ast.AssignStmt)
	if !ok || as.Tok != token.ADD_ASSIGN || len(as.Rhs) != 1 || info == nil {
		return false
	}
	idx, ok := as.Lhs[0].(*ast.Ident)
	if !ok {
		return false
	}
	tv, ok := info.Types[as.Rhs[0]]
	if !ok || tv.Value == nil {
		return false
	}
	if n, ok := constant.Int64Val(constant.ToInt(tv.Value)); !ok || n <= 1 {
		return false
	}
	slices := false
	ast.Inspect(s.Body, func(n ast.Node) bool {
		if se, ok := n.(*ast.SliceExpr); ok {
			if low, ok := se.Low.(*ast.Ident); ok && info.ObjectOf(low) == info.ObjectOf(idx) {
				slices = true
			}
		}
		return !slices
	})
	return slices
}

// repeatingLoop picks, among the loops around a call (outermost first),
// the one to report for an event e of the callee: the outermost loop over
// elements inside the innermost job or tick loop. A job or tick loop
// inside the call, or on e's path (a worker started n times still runs once
// per job), stays the one that repeats it; one around the call counts
// only when nothing inside repeats. nil keeps e's own loop.
func repeatingLoop(loops []*loop, e *event) *loop {
	if e.queued() {
		return nil // a pgx batch sends its queued statements in one round trip
	}
	inner := e.loop
	if inner != nil && (inner.kind != perElement || e.rounds) {
		return nil
	}
	var pick, round *loop
	for _, l := range loops {
		switch {
		case l.kind != perElement:
			pick, round = nil, l
		case pick == nil:
			pick = l
		}
	}
	if pick == nil && inner == nil {
		return round
	}
	return pick
}

// hasRounds reports whether a job or tick loop is among loops.
func hasRounds(loops []*loop) bool {
	for _, l := range loops {
		if l.kind != perElement {
			return true
		}
	}
	return false
}

// dispatchLoops returns the loops around an interface call c that repeat
// what it runs. When the receiver changes in a loop and the call reaches
// several implementations (for _, ext := range extensions {
// ext.Process(ctx) }), each element runs its own type's code: that loop
// does not repeat any one implementation's queries.
func dispatchLoops(c *ssa.CallCommon, targets []*frame, loops []*loop) []*loop {
	if !c.IsInvoke() || len(loops) == 0 {
		return loops
	}
	fns := map[*ssa.Function]bool{}
	for _, t := range targets {
		fns[t.fn] = true
	}
	if len(fns) < 2 {
		return loops
	}
	var out []*loop
	for _, l := range loops {
		if definedBefore(c.Value, l, 0) {
			out = append(out, l)
		}
	}
	return out
}
