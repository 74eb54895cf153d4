package analyzer

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/ssa"
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
}

// span is a range of positions, end excluded.
type span struct{ pos, end token.Pos }

const maxBounded = 4

// loopsAt returns the loops of fn that contain pos, outermost first. The
// body of a range-over-func loop is a synthetic function whose syntax is
// the range statement itself; the loop belongs to the enclosing function,
// so the body function does not count it again.
func (ix *index) loopsAt(fn *ssa.Function, pos token.Pos) []*loop {
	root := fn.Syntax()
	if root == nil || !pos.IsValid() {
		return nil
	}
	var out []*loop
	for _, l := range ix.fileLoops[ix.fset.File(pos)] {
		if l.pos <= pos && pos < l.end && root.Pos() <= l.pos && l.end <= root.End() &&
			!(fn.Synthetic != "" && l.pos == root.Pos()) && !l.exitsAt(pos) {
			out = append(out, l)
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
			ix.callStart[n.Lparen] = n.Pos()
		case *ast.ForStmt:
			// for { ... } polls or retries until something happens, and
			// for i := 0; i < n; i += 1000 sends batches: neither repeats
			// a query per element. A for { ... } reading records (a CSV
			// upload, line by line) does.
			if (n.Cond != nil || readsRecords(n.Body, info)) && !isRetry(n.Body) && !isBatch(n, info) {
				loops = append(loops, &loop{pos: n.Pos(), end: n.End(), bounded: boundedFor(n, info), exits: exitBlocks(n.Body)})
			}
		case *ast.RangeStmt:
			if !isRetry(n.Body) {
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
		loops = append(loops, &loop{pos: r.Pos(), end: r.End(), bounded: ok && n <= maxBounded, literal: ok, exits: exitBlocks(r.Body)})
	}
	sort.Slice(loops, func(i, j int) bool { return loops[i].pos < loops[j].pos })
	ix.fileLoops[ix.fset.File(f.Pos())] = loops
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
