package analyzer

import (
	"fmt"
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"github.com/crudmap/crudmap/sqlparse"
	"golang.org/x/tools/go/ssa"
)

// site is one SQL text run at one database call: a call whose text differs
// per branch is several sites at the same position.
type site struct {
	call   *ssa.CallCommon
	fn     *ssa.Function // the function making the call
	pos    token.Pos
	text   sqlText
	method string
	id     int // order of discovery; reports sort by position
	// cut tells that the site's text was only reached past maxVariants
	// texts: it counts for its tables, but is not checked for indexes.
	cut bool
	// handles are the dialects of the databases the call's handle is
	// opened on, in the contexts it was walked in (see handleDialect).
	handles []sqlparse.Dialect
}

// event is something a function does, directly or through its callees:
// run a query, begin a transaction, or let a transaction escape.
type event struct {
	site  *site     // a query, or nil
	txs   []*origin // the transactions the query runs in
	begin *origin   // a Begin, or nil
	// escape is a transaction passed where crudmap cannot follow it.
	escape *origin
	// loop is the outermost loop, in path[loopAt], that repeats the
	// event; nil when it runs once. recursive marks a recursion.
	loop      *loop
	loopAt    int
	recursive bool
	// rounds is true when a job or tick loop repeats the event on its
	// path: loops around that one do not repeat it per element.
	rounds bool
	depth  int             // loops nested around the event
	path   []*ssa.Function // from the walked function to the event's function
}

// summary is what walking a function in one frame found.
type summary struct {
	events []*event
	index  map[eventKey]int // position in events
}

func (s *summary) add(e *event) {
	k := e.key()
	if i, ok := s.index[k]; ok {
		if len(e.path) < len(s.events[i].path) {
			s.events[i] = e
		}
		return
	}
	s.index[k] = len(s.events)
	s.events = append(s.events, e)
}

// eventKey tells events apart in a summary: those with the same key are
// one, found along several paths.
type eventKey struct {
	site          *site
	begin, escape *origin
	loop          token.Pos
	recursive     bool
	tx            *origin
}

func (e *event) key() eventKey {
	loop := token.NoPos
	if e.loop != nil {
		loop = e.loop.pos
	}
	return eventKey{e.site, e.begin, e.escape, loop, e.recursive, firstOrigin(e.txs)}
}

func firstOrigin(os []*origin) *origin {
	if len(os) == 0 {
		return nil
	}
	return os[0]
}

// walker follows calls from entry functions to database calls, walking
// each function once per distinct frame.
type walker struct {
	*resolver
	memo   map[string]*summary
	active map[string]*recursion
	sites  map[siteKey]*site
	walked map[*ssa.Function]bool              // functions walked in some frame
	live   map[string]map[*ssa.BasicBlock]bool // see liveSet
}

// recursion records that a frame was re-entered, and where.
type recursion struct{ at *loop }

func newWalker(r *resolver) *walker {
	w := &walker{resolver: r, memo: map[string]*summary{}, active: map[string]*recursion{}, sites: map[siteKey]*site{},
		walked: map[*ssa.Function]bool{}, live: map[string]map[*ssa.BasicBlock]bool{}}
	r.liveIn = w.liveSet
	return w
}

// liveSet returns the blocks of f's function that run in f, or nil when
// all may.
func (w *walker) liveSet(f *frame) map[*ssa.BasicBlock]bool {
	if set, ok := w.live[f.key]; ok {
		return set
	}
	w.live[f.key] = nil // all, while the answer is worked out
	blocks := w.liveBlocks(f)
	if len(blocks) == len(f.fn.Blocks) {
		return nil
	}
	set := make(map[*ssa.BasicBlock]bool, len(blocks))
	for _, b := range blocks {
		set[b] = true
	}
	w.live[f.key] = set
	return set
}

// walk returns the summary of f.
func (w *walker) walk(f *frame) *summary {
	if s, ok := w.memo[f.key]; ok {
		return s
	}
	s := &summary{index: map[eventKey]int{}}
	if len(w.active) > maxWalkDepth {
		w.cut(cutDepth, f.fn.Pos(), w.ix.name(f.fn))
		return s
	}
	rec := &recursion{}
	w.active[f.key] = rec
	w.walked[f.fn] = true
	for _, b := range w.liveBlocks(f) {
		for _, instr := range b.Instrs {
			if ci, ok := instr.(ssa.CallInstruction); ok {
				w.walkCall(f, s, ci.Common())
			}
		}
	}
	delete(w.active, f.key)
	if rec.at != nil {
		for _, e := range s.events {
			if e.site != nil && e.loop == nil {
				e.loop, e.loopAt, e.recursive, e.depth = rec.at, 0, true, 1
			}
		}
	}
	w.memo[f.key] = s
	return s
}

const maxWalkDepth = 64

// walkCall adds to s what the call c in frame f does.
func (w *walker) walkCall(f *frame, s *summary, c *ssa.CallCommon) {
	loops := w.ix.loopsAt(f.fn, c.Pos())
	if db := w.db.classify(c); db.kind != notDB {
		w.dbEvents(f, s, c, db, loops)
		return
	}
	targets, iterates := w.targets(f, c)
	loops = dispatchLoops(c, targets, loops)
	if iterates && len(loops) == 0 {
		loops = []*loop{{pos: w.ix.callPos(c), end: c.Pos() + 1}}
	}
	rng, body := w.ix.rangeFuncLoop(c)
	if rng != nil && len(targets) == 0 {
		// An iterator crudmap cannot follow (maps.Keys, slices.Values):
		// the loop body runs once per element all the same.
		for _, cl := range w.resolveWithin(body, f, argSteps).funcs {
			targets = append(targets, w.closureFrame(cl, nil))
		}
	}
	for _, t := range targets {
		if isWrapper(t.fn) {
			// A wrapper's database calls happen at this call: its frame
			// is this call's own.
			t = &frame{fn: t.fn, params: t.params, free: t.free, key: t.key}
			t.site, t.siteFn = w.sitePos(f, c), f.fn
			if isWrapper(f.fn) && f.siteFn != nil {
				t.siteFn = f.siteFn
			}
			t.key += fmt.Sprintf("@%d", t.site)
		}
		if rec, ok := w.active[t.key]; ok {
			if delegates(c, f.fn, t.fn, len(loops) > 0) {
				continue
			}
			if rec.at == nil {
				rec.at = &loop{pos: w.ix.callPos(c), end: c.Pos() + 1, chain: len(loops) == 0}
			}
			continue
		}
		for _, e := range w.walk(t).events {
			repeat, fewer := loopsFor(e, loops, rng)
			ne := e.calledFrom(f.fn, repeat)
			ne.depth -= fewer
			s.add(ne)
		}
	}
	w.escapes(f, s, c, targets)
}

// delegates reports whether call c in method caller, of method callee,
// hands the work on to the same-named method of a value the caller holds:
// a wrapper calling the method it wraps (h.next.Save(x) in Save), or a
// job's SetStatus calling its logger's SetStatus outside any loop. crudmap
// cannot tell the wrapped value from the wrapper, so reaching callee again
// through c is no recursion.
func delegates(c *ssa.CallCommon, caller, callee *ssa.Function, inLoop bool) bool {
	if caller.Signature.Recv() == nil || callee.Signature.Recv() == nil || caller.Name() != callee.Name() {
		return false
	}
	if callee == caller {
		return c.IsInvoke()
	}
	return !inLoop
}

// loopsFor returns the loops around a call that repeat event e. A call
// seq(body) of a range-over-func loop repeats only what runs in the loop
// body; the iterator's own code runs once. fewer is the number of loops
// e counted that are the range loop itself (the iterator's loop around
// its call of body).
func loopsFor(e *event, loops []*loop, rng *loop) (repeat []*loop, fewer int) {
	if rng == nil {
		return loops, 0
	}
	for i, fn := range e.path {
		if fn.Synthetic == rangeFuncBody {
			if e.loop != nil && e.loopAt < i {
				fewer = 1
			}
			return append(append([]*loop{}, loops...), rng), fewer
		}
	}
	return loops, 0
}

// calledFrom returns e as seen from a caller in fn, at a call inside loops.
func (e *event) calledFrom(fn *ssa.Function, loops []*loop) *event {
	ne := *e
	ne.path = append([]*ssa.Function{fn}, e.path...)
	ne.rounds = e.rounds || hasRounds(loops)
	if l := repeatingLoop(loops, e); l != nil && (e.site != nil || e.begin != nil) {
		ne.loop, ne.loopAt, ne.recursive = l, 0, false
		ne.depth = len(loops) + e.depth
	} else {
		ne.loopAt++
	}
	return &ne
}

// sitePos is where a call in f happens, as a user sees it: synthetic
// wrappers have no position of their own and take their caller's.
func (w *walker) sitePos(f *frame, c *ssa.CallCommon) token.Pos {
	if isWrapper(f.fn) && f.site.IsValid() {
		return f.site
	}
	return w.ix.callPos(c)
}

// targets returns the frames of the module functions c may call. iterates
// is true when c is a call of a library function that runs a function
// argument once per element of a collection argument (sort.Slice,
// slices.SortFunc, lo.ForEach, sync.Map.Range).
func (w *walker) targets(f *frame, c *ssa.CallCommon) (frames []*frame, iterates bool) {
	args := func() []*value {
		var vs []*value
		for _, a := range c.Args {
			vs = append(vs, w.resolveWithin(a, f, argSteps))
		}
		return vs
	}
	switch {
	case c.IsInvoke():
		recv := w.resolveWithin(c.Value, f, argSteps)
		impls := w.ix.methodsOf(recv.dyn, c.Method.Name())
		if len(impls) == 0 {
			impls = w.ix.implementations(c.Value.Type(), c.Method.Name())
		}
		if len(impls) == 0 {
			return nil, false
		}
		rest := args()
		for _, fn := range impls {
			frames = append(frames, w.newFrame(fn, append([]*value{recv}, rest...), nil))
		}
		return frames, false
	}
	callee := c.StaticCallee()
	if callee != nil && callee.Blocks == nil {
		return w.libraryCallbacks(f, c)
	}
	if callee != nil {
		var free []*value
		if mc, ok := c.Value.(*ssa.MakeClosure); ok {
			for _, b := range mc.Bindings {
				free = append(free, w.resolveWithin(b, f, argSteps))
			}
		}
		return []*frame{w.newFrame(callee, args(), free)}, false
	}
	if _, ok := c.Value.(*ssa.Builtin); ok {
		return nil, false
	}
	as := args()
	for _, cl := range w.resolveWithin(c.Value, f, argSteps).funcs {
		frames = append(frames, w.closureFrame(cl, as))
	}
	return frames, false
}

// closureFrame is the frame of a call of cl with args.
func (w *walker) closureFrame(cl *closure, args []*value) *frame {
	var free []*value
	if cl.env != nil {
		free = cl.env.free
	}
	return w.newFrame(cl.fn, args, free)
}

// libraryCallbacks treats the function arguments of a call into a library
// (errgroup.Go, sort.Slice, ...) as called there.
func (w *walker) libraryCallbacks(f *frame, c *ssa.CallCommon) (frames []*frame, iterates bool) {
	if classifyRouter(c).op != opNone {
		return nil, false // e.GET(path, h) registers h; it does not call it
	}
	collection := false
	for i, a := range c.Args {
		switch t := a.Type().Underlying().(type) {
		case *types.Slice:
			// A variadic list of options or middleware
			// (connect.NewUnaryHandler(p, svc.Get, opts...)) is not a
			// collection to iterate.
			_, funcs := t.Elem().Underlying().(*types.Signature)
			variadic := c.Signature().Variadic() && i == len(c.Args)-1
			collection = collection || !funcs && !variadic
		case *types.Map, *types.Array, *types.Chan:
			collection = true
		}
	}
	pkg, recv, name := calleeName(c)
	switch {
	case pkg == "sync" && recv == "Map" && name == "Range",
		pkg == "sort" && (name == "Slice" || name == "SliceStable" || name == "Search"),
		pkg == "slices" || pkg == "maps":
		collection = true // the callback runs once per element, or per comparison
	}
	for _, a := range c.Args {
		if _, ok := a.Type().Underlying().(*types.Signature); !ok {
			continue
		}
		for _, cl := range w.resolveWithin(a, f, argSteps).funcs {
			frames = append(frames, w.closureFrame(cl, nil))
		}
	}
	return frames, collection && len(frames) > 0
}

// escapes records transactions passed to a call crudmap cannot follow: a
// function value it could not resolve, or a library function. What such
// a call runs in the transaction is unknown.
func (w *walker) escapes(f *frame, s *summary, c *ssa.CallCommon, targets []*frame) {
	if len(targets) > 0 {
		return
	}
	for i, a := range c.Args {
		if i == 0 && !c.IsInvoke() && c.Signature().Recv() != nil {
			continue // tx.Commit(), tx.Rollback()
		}
		if !mayHoldTx(a.Type()) {
			continue
		}
		for _, o := range beginsOf(w.resolveWithin(a, f, argSteps)) {
			s.add(&event{escape: o, path: []*ssa.Function{f.fn}})
		}
	}
}

// dbEvents adds the queries or Begin of a database call.
func (w *walker) dbEvents(f *frame, s *summary, c *ssa.CallCommon, db dbCall, loops []*loop) {
	here := func(e *event) {
		e.path = []*ssa.Function{f.fn}
		if l := repeatingLoop(loops, e); l != nil {
			e.loop, e.depth, e.rounds = l, len(loops), hasRounds(loops)
		}
		s.add(e)
	}
	switch db.kind {
	case dbBegin:
		for _, o := range w.dbResult(c, db, f).origins {
			here(&event{begin: o})
			w.txBody(f, s, c, db, o, loops)
		}
	case dbQuery, dbCopy:
		texts := w.queryTexts(f, c, db)
		txs, d := w.handleOf(f, db)
		for _, t := range w.textSites(f, c, texts, db.method) {
			if !slices.Contains(t.handles, d) {
				t.handles = append(t.handles, d)
			}
			here(&event{site: t, txs: txs})
		}
	case dbStmtRun:
		stmts := w.resolve(db.handle, f).origins
		if len(stmts) == 0 {
			here(&event{site: w.site(f, c, sqlText{dynamic: true}, db.method)})
		}
		for _, o := range stmts {
			for _, t := range w.textSites(f, c, o.texts, db.method) {
				here(&event{site: t, txs: o.tx})
			}
		}
	}
}

// textSites returns the sites of the texts run by c, those past
// maxVariants marked as cut.
func (w *walker) textSites(f *frame, c *ssa.CallCommon, texts []sqlText, method string) []*site {
	whole, cut := w.splitTexts(texts, w.sitePos(f, c))
	var out []*site
	for i, t := range append(append([]sqlText{}, whole...), cut...) {
		s := w.site(f, c, t, method)
		w.markCut(s, i >= len(whole))
		out = append(out, s)
	}
	return out
}

// site returns the canonical site for text run by c.
func (w *walker) site(f *frame, c *ssa.CallCommon, t sqlText, method string) *site {
	pos, fn := w.sitePos(f, c), f.fn
	if isWrapper(f.fn) && f.siteFn != nil {
		fn = f.siteFn
	}
	key := siteKey{pos, t.text, t.dynamic}
	if s, ok := w.sites[key]; ok {
		return s
	}
	s := &site{call: c, fn: fn, pos: pos, text: t, method: method, id: len(w.sites)}
	w.sites[key] = s
	return s
}

// siteKey tells sites apart: a query text at a position.
type siteKey struct {
	pos     token.Pos
	text    string
	dynamic bool
}

// isWrapper reports whether fn is a synthetic wrapper with no source of its
// own (a bound method, a thunk, a promoted method), whose calls happen, as
// a user sees it, where it is called.
func isWrapper(fn *ssa.Function) bool {
	return fn.Synthetic != "" && fn.Syntax() == nil
}

// liveBlocks returns the blocks of f's function that can run given the
// constants its parameters hold: with makeTeamPB(db, t, false), the
// branch under "if withMembers" never runs.
func (w *walker) liveBlocks(f *frame) []*ssa.BasicBlock {
	hasConst := false
	for _, p := range f.params {
		hasConst = hasConst || (p != nil && (len(p.consts) == 1 || len(p.cells) > 0))
	}
	if !hasConst || len(f.fn.Blocks) == 0 {
		return f.fn.Blocks
	}
	live := map[*ssa.BasicBlock]bool{}
	var out []*ssa.BasicBlock
	var visit func(b *ssa.BasicBlock)
	visit = func(b *ssa.BasicBlock) {
		if live[b] {
			return
		}
		live[b] = true
		out = append(out, b)
		succs := b.Succs
		if ifi, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok {
			if c, ok := w.constOf(ifi.Cond, f); ok && c.Kind() == constant.Bool {
				if constant.BoolVal(c) {
					succs = succs[:1]
				} else {
					succs = succs[1:]
				}
			}
		}
		for _, s := range succs {
			visit(s)
		}
	}
	visit(f.fn.Blocks[0])
	if f.fn.Recover != nil {
		visit(f.fn.Recover)
	}
	return out
}

// constOf returns the constant v is in f, when it is one: a constant, a
// parameter bound to one, or a comparison or negation of those.
func (w *walker) constOf(v ssa.Value, f *frame) (constant.Value, bool) {
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value != nil {
			return v.Value, true
		}
	case *ssa.Parameter:
		if cs := w.resolveWithin(v, f, argSteps).consts; len(cs) == 1 {
			return cs[0], true
		}
	case *ssa.UnOp:
		if v.Op == token.MUL { // opts.Team, opts a parameter
			fa, ok := v.X.(*ssa.FieldAddr)
			if !ok {
				return nil, false
			}
			if _, ok := fa.X.(*ssa.Parameter); !ok {
				return nil, false
			}
			cells := w.resolveWithin(fa.X, f, argSteps).cells
			if len(cells) == 0 || anyEscapes(cells) {
				return nil, false
			}
			if cs := w.fieldOfCells(cells, fa, map[ssa.Value]bool{}, 0).consts; len(cs) == 1 {
				return cs[0], true
			}
			return nil, false
		}
		if x, ok := w.constOf(v.X, f); ok && v.Op == token.NOT && x.Kind() == constant.Bool {
			return constant.MakeBool(!constant.BoolVal(x)), true
		}
	case *ssa.BinOp:
		x, okx := w.constOf(v.X, f)
		y, oky := w.constOf(v.Y, f)
		if okx && oky && x.Kind() == y.Kind() {
			switch v.Op {
			case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
				return constant.MakeBool(constant.Compare(x, v.Op, y)), true
			}
		}
	}
	return nil, false
}

// mayHoldTx reports whether a value of type t can be a transaction: a
// pointer, or an interface.
func mayHoldTx(t types.Type) bool {
	switch t.Underlying().(type) {
	case *types.Pointer, *types.Interface:
		return true
	}
	return false
}
