package analyzer

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

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
}

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
			!(fn.Synthetic != "" && l.pos == root.Pos()) {
			out = append(out, l)
		}
	}
	return out
}

// collectLoops records the loops of a file, outermost first. literals
// gives the length of the slice literals local variables hold.
func (ix *index) collectLoops(n ast.Node, info *types.Info, literals map[types.Object]int) {
	var l *loop
	switch s := n.(type) {
	case *ast.ForStmt:
		if !isRetry(s.Body) {
			l = &loop{pos: s.Pos(), end: s.End(), bounded: boundedFor(s, info)}
		}
	case *ast.RangeStmt:
		if !isRetry(s.Body) {
			n, ok := rangeLength(s, info, literals)
			l = &loop{pos: s.Pos(), end: s.End(), bounded: ok && n <= maxBounded, literal: ok}
		}
	}
	if l != nil {
		f := ix.fset.File(l.pos)
		ix.fileLoops[f] = append(ix.fileLoops[f], l)
	}
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
	switch x := ast.Unparen(s.X).(type) {
	case *ast.CompositeLit:
		return len(x.Elts), true
	case *ast.Ident:
		if info == nil {
			return 0, false
		}
		if tv, ok := info.Types[x]; ok && tv.Value != nil {
			n, ok := constant.Int64Val(constant.ToInt(tv.Value))
			return int(n), ok
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

// sliceLiterals finds the local variables defined as a slice or array
// literal and never assigned again (files := []string{"a.sql", "b.sql"}),
// with the literal's length.
func sliceLiterals(f *ast.File, info *types.Info) map[types.Object]int {
	out := map[types.Object]int{}
	assigned := map[types.Object]int{}
	ast.Inspect(f, func(n ast.Node) bool {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.AND && info != nil {
			if id, ok := ast.Unparen(u.X).(*ast.Ident); ok {
				assigned[info.ObjectOf(id)] += 2 // filled through a pointer: db.Select(&xs, ...)
			}
		}
		as, ok := n.(*ast.AssignStmt)
		if !ok || info == nil {
			return true
		}
		for i, lhs := range as.Lhs {
			id, ok := lhs.(*ast.Ident)
			if !ok {
				continue
			}
			obj := info.ObjectOf(id)
			assigned[obj]++
			if i < len(as.Rhs) && len(as.Lhs) == len(as.Rhs) {
				if lit, ok := as.Rhs[i].(*ast.CompositeLit); ok && as.Tok == token.DEFINE && len(lit.Elts) > 0 {
					out[obj] = len(lit.Elts)
				}
			}
		}
		return true
	})
	for obj := range out {
		if assigned[obj] > 1 {
			delete(out, obj)
		}
	}
	return out
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

// rangeFuncLoop returns the range-over-func loop whose body c passes to
// the iterator (for x := range seq calls seq(body)), or nil.
func (ix *index) rangeFuncLoop(c *ssa.CallCommon) *loop {
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
				return l
			}
		}
	}
	return nil
}

// rangeFuncBody is go/ssa's Synthetic for the body of a range-over-func loop.
const rangeFuncBody = "range-over-func yield"
