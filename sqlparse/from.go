package sqlparse

import (
	"github.com/pingcap/tidb/pkg/parser/ast"
)

// from records the table references of a FROM clause (or of an UPDATE,
// DELETE or INSERT target) in blk. nullable tells that n is on the inner
// side of an outer join.
func (b *builder) from(blk *block, n ast.ResultSetNode, nullable bool) {
	switch n := n.(type) {
	case *ast.Join:
		b.join(blk, n, nullable)
	case *ast.TableSource:
		switch src := n.Source.(type) {
		case *ast.TableName:
			b.tableRef(blk, src, n.AsName.L, nullable)
		case *ast.Join:
			b.join(blk, src, nullable)
		default:
			blk.refs = append(blk.refs, &ref{name: n.AsName.L, nullable: nullable})
			b.query(src, blk.parent)
		}
	case *ast.TableName:
		b.tableRef(blk, n, "", nullable)
	}
}

// join records the two sides of a join and its ON or USING condition:
// an inner join's condition joins the WHERE, an outer join's is kept
// with the refs on its nullable side.
func (b *builder) join(blk *block, n *ast.Join, nullable bool) {
	leftNull, rightNull := nullable, nullable
	switch n.Tp {
	case ast.LeftJoin:
		rightNull = true
	case ast.RightJoin:
		leftNull = true
	}
	first := len(blk.refs)
	b.from(blk, n.Left, leftNull)
	mid := len(blk.refs)
	if n.Right != nil {
		b.from(blk, n.Right, rightNull)
	}
	right := blk.refs[mid:]
	var c *cond
	if n.On != nil {
		c = b.cond(n.On.Expr, "ON")
		b.exprs(blk, n.On.Expr)
	}
	c = and(c, using(n.Using, right))
	switch n.Tp {
	case ast.LeftJoin:
		outerOn(right, c)
	case ast.RightJoin:
		outerOn(blk.refs[first:mid], c)
	default:
		blk.where = and(blk.where, c)
	}
}

// outerOn records c as the ON condition of refs, on the nullable side of
// an outer join, unless they are already on that of one nested in it.
func outerOn(refs []*ref, c *cond) {
	for _, r := range refs {
		if !r.outer {
			r.outer, r.on = true, c
		}
	}
}

// using returns the equalities a USING clause stands for, when its right
// side is a single table.
func using(cols []*ast.ColumnName, right []*ref) *cond {
	if len(right) != 1 {
		return nil
	}
	var c *cond
	for _, col := range cols {
		name := col.Name.L
		c = and(c, &cond{
			col:    &colRef{qual: right[0].name, name: name},
			use:    useEq,
			others: []colRef{{name: name, not: right[0].name}},
			pair:   true,
			span:   span{clause: "USING (" + col.Name.O + ")", at: -1},
		})
	}
	return c
}

// tableRef records a table reference and the op the block does on it.
func (b *builder) tableRef(blk *block, t *ast.TableName, alias string, nullable bool) {
	r := &ref{table: t.Name.L, name: t.Name.L, schema: t.Schema.L, nullable: nullable}
	if alias != "" {
		r.name = alias
	}
	if r.schema == "" && b.ctes[r.table] {
		r.table = ""
	}
	blk.refs = append(blk.refs, r)
	switch {
	case blk.write == "":
		if blk.index { // a read; an INSERT target is recorded by insert
			b.add(r.table, Select)
		}
	case blk.writeSet == nil || blk.writeSet[r.name] || blk.writeSet[r.table] || (blk.writeSet[""] && len(blk.refs) == 1):
		b.add(r.table, blk.write)
	default:
		b.add(r.table, Select)
	}
}

// exprs records the columns e names in blk, and its subqueries as blocks
// of their own.
func (b *builder) exprs(blk *block, e ast.ExprNode) {
	if e != nil {
		e.Accept(&colVisitor{b: b, blk: blk})
	}
}

// colVisitor collects columns and subqueries for exprs.
type colVisitor struct {
	b   *builder
	blk *block
}

func (v *colVisitor) Enter(n ast.Node) (ast.Node, bool) {
	switch n := n.(type) {
	case *ast.SubqueryExpr:
		v.b.query(n.Query, v.blk)
		return n, true
	case *ast.ColumnNameExpr:
		v.blk.cols = append(v.blk.cols, columnRef(n.Name))
	}
	return n, false
}

func (v *colVisitor) Leave(n ast.Node) (ast.Node, bool) { return n, true }
