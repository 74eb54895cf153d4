package sqlparse

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/opcode"
)

// cond returns the condition tree of e, a WHERE or ON condition; clause
// is its keyword.
func (b *builder) cond(e ast.ExprNode, clause string) *cond {
	switch x := unparen(e).(type) {
	case *ast.BinaryOperationExpr:
		switch x.Op {
		case opcode.LogicAnd:
			return and(b.cond(x.L, clause), b.cond(x.R, clause))
		case opcode.LogicOr:
			return or(b.cond(x.L, clause), b.cond(x.R, clause), b.span(e, clause))
		case opcode.EQ, opcode.NullEQ:
			return b.compare(e, x.L, x.R, useEq, clause)
		case opcode.LT, opcode.LE, opcode.GT, opcode.GE:
			return b.compare(e, x.L, x.R, useRange, clause)
		case opcode.Xor: // a Postgres containment test (see rewritePostgres)
			return b.compare(e, x.L, x.R, useContains, clause)
		}
	case *ast.PatternInExpr:
		if !x.Not {
			return b.pred(e, x.Expr, useEq, clause, x.List...)
		}
	case *ast.BetweenExpr:
		if !x.Not {
			return b.pred(e, x.Expr, useRange, clause, x.Left, x.Right)
		}
	case *ast.PatternLikeOrIlikeExpr:
		if !x.Not && prefixPattern(x.Pattern) {
			return b.pred(e, x.Expr, useRange, clause, x.Pattern)
		}
	case *ast.IsNullExpr:
		if !x.Not {
			c := b.pred(e, x.Expr, useEq, clause)
			c.null = true
			return c
		}
		// IS NOT NULL keeps most rows (soft deletes, finished jobs): no
		// index is worth adding for it, and none is needed.
		return &cond{span: b.span(e, clause)}
	}
	return b.unusable(e, clause)
}

// unusable returns the predicate e, which no index can serve as written.
func (b *builder) unusable(e ast.ExprNode, clause string) *cond {
	return &cond{span: b.span(e, clause), bad: columnsOf(e)}
}

// compare returns the predicate l op r, e, on whichever side is a bare
// column. An equality of two columns is a pair: a join condition when
// they are of different tables.
func (b *builder) compare(e, l, r ast.ExprNode, u use, clause string) *cond {
	lc, lok := unparen(l).(*ast.ColumnNameExpr)
	rc, rok := unparen(r).(*ast.ColumnNameExpr)
	switch {
	case lok && rok && u == useEq:
		c := b.pred(e, l, u, clause, r)
		c.pair = true
		return c
	case lok:
		return b.pred(e, lc, u, clause, r)
	case rok:
		return b.pred(e, rc, u, clause, l)
	}
	return b.unusable(e, clause)
}

// pred returns the predicate e on column col, compared with values.
func (b *builder) pred(e, col ast.ExprNode, u use, clause string, values ...ast.ExprNode) *cond {
	cn, ok := unparen(col).(*ast.ColumnNameExpr)
	if !ok {
		return b.unusable(e, clause)
	}
	c := &cond{span: b.span(e, clause)}
	ref := columnRef(cn.Name)
	c.col, c.use = &ref, u
	for _, v := range values {
		c.others = append(c.others, columnsOf(v)...)
	}
	return c
}

// prefixPattern reports whether a LIKE pattern can use an index: a
// placeholder, or a literal that does not start with a wildcard.
func prefixPattern(p ast.ExprNode) bool {
	switch p := unparen(p).(type) {
	case ast.ParamMarkerExpr:
		return true
	case ast.ValueExpr:
		s, ok := p.GetValue().(string)
		return ok && s != "" && s[0] != '%' && s[0] != '_'
	case *ast.FuncCallExpr:
		// CONCAT(?, '%') is a prefix: MySQL folds the constant pattern
		// before it plans. CONCAT('%', ?) is not.
		return p.FnName.L == "concat" && len(p.Args) > 0 && prefixPattern(p.Args[0])
	}
	return false
}

// columnsOf returns the columns e names outside subqueries.
func columnsOf(e ast.ExprNode) []colRef {
	if e == nil {
		return nil
	}
	v := &columnsVisitor{}
	e.Accept(v)
	return v.cols
}

type columnsVisitor struct{ cols []colRef }

func (v *columnsVisitor) Enter(n ast.Node) (ast.Node, bool) {
	switch n := n.(type) {
	case *ast.SubqueryExpr:
		return n, true
	case *ast.ColumnNameExpr:
		v.cols = append(v.cols, columnRef(n.Name))
	}
	return n, false
}

func (v *columnsVisitor) Leave(n ast.Node) (ast.Node, bool) { return n, true }

// span returns where e, a condition after the keyword clause, is written.
func (b *builder) span(e ast.ExprNode, clause string) span {
	sp := span{clause: clause, at: e.OriginTextPosition()}
	if sp.at >= len(b.st.text) {
		sp.at = -1
	}
	if _, ok := unparen(e).(*ast.BetweenExpr); ok {
		sp.ands = 1
	}
	return sp
}

// textOf returns the condition n as written, after its clause keyword.
func (st *Statement) textOf(n *cond) string {
	if n.at < 0 {
		return n.clause
	}
	end := exprEnd(st.text, n.at, n.ands, n.op == condOr)
	return n.clause + " " + collapse(st.text[n.at:end])
}

// exprEnd returns where the condition starting at s[start] ends: before
// the first AND (after skipping ands of them), OR or clause keyword at
// its parenthesis level, or an unmatched closing parenthesis. An OR
// condition (or) ends at a clause keyword only.
func exprEnd(s string, start, ands int, or bool) int {
	depth := 0
	for i := start; i < len(s); {
		if j := skipQuoted(s, i); j > i {
			i = j
			continue
		}
		c := s[i]
		switch {
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return i
			}
			depth--
		case depth > 0:
		case c == ';' || c == ',' || !or && (strings.HasPrefix(s[i:], "&&") || strings.HasPrefix(s[i:], "||")):
			return i
		case isIdent(c):
			j := i
			for j < len(s) && isIdent(s[j]) {
				j++
			}
			if w := strings.ToUpper(s[i:j]); (w == "AND" || w == "OR") && or {
				// an OR's operands bind tighter: they hold its ANDs
			} else if w == "AND" && ands > 0 {
				ands--
			} else if w == "AND" || w == "OR" || w == "XOR" || endWords[w] {
				return i
			}
			i = j
			continue
		}
		i++
	}
	return len(s)
}

// orderEnd returns where the ORDER BY ... LIMIT clause starting at
// s[start] ends.
func orderEnd(s string, start int) int {
	depth := 0
	for i := start; i < len(s); {
		if j := skipQuoted(s, i); j > i {
			i = j
			continue
		}
		switch c := s[i]; {
		case c == '(':
			depth++
		case c == ')':
			if depth == 0 {
				return i
			}
			depth--
		case c == ';' && depth == 0:
			return i
		case isIdent(c):
			j := i
			for j < len(s) && isIdent(s[j]) {
				j++
			}
			if w := strings.ToUpper(s[i:j]); depth == 0 && (w == "FOR" || w == "LOCK" || w == "UNION" || w == "EXCEPT" || w == "INTERSECT" || w == "INTO") {
				return i
			}
			i = j
			continue
		}
		i++
	}
	return len(s)
}

// endWords are the keywords that end a condition.
var endWords = map[string]bool{
	"ORDER": true, "GROUP": true, "LIMIT": true, "HAVING": true, "WINDOW": true, "FOR": true,
	"LOCK": true, "UNION": true, "EXCEPT": true, "INTERSECT": true, "JOIN": true, "INNER": true,
	"LEFT": true, "RIGHT": true, "CROSS": true, "STRAIGHT_JOIN": true, "NATURAL": true,
	"WHERE": true, "ON": true, "USING": true, "SET": true, "INTO": true, "VALUES": true,
}

// collapse trims s and turns each run of white space into one space.
func collapse(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
