package sqlparse

import (
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

// A builder turns parsed statements into a Statement.
type builder struct {
	st   *Statement
	ctes map[string]bool // names of the common table expressions seen
	seen map[TableOp]bool
}

// build returns the Statement for nodes, parsed from text. ctes are the
// names of common table expressions the nodes may read (see splitScript),
// and the statement's kind is that of nodes[kindAt].
func build(text string, nodes []ast.StmtNode, ctes []string, kindAt int) *Statement {
	b := &builder{st: &Statement{text: text}, ctes: map[string]bool{}, seen: map[TableOp]bool{}}
	for _, name := range ctes {
		b.ctes[name] = true
	}
	for i, n := range nodes {
		kind := b.stmt(n)
		if i == kindAt {
			b.st.Kind = kind
		}
	}
	return b.st
}

// stmt records one statement and returns its kind.
func (b *builder) stmt(n ast.StmtNode) string {
	switch n := n.(type) {
	case *ast.SelectStmt, *ast.SetOprStmt:
		b.query(n, nil)
		return "SELECT"
	case *ast.InsertStmt:
		return b.insert(n)
	case *ast.UpdateStmt:
		b.update(n)
		return "UPDATE"
	case *ast.DeleteStmt:
		b.delete(n)
		return "DELETE"
	case ast.DDLNode:
		b.st.Writes = true
		for _, t := range ddlTables(n) {
			b.add(t.Name.L, Other)
		}
	case *ast.LoadDataStmt:
		b.st.Writes = true
		if n.Table != nil {
			b.add(n.Table.Name.L, Insert)
		}
	}
	return firstWord(n.Text())
}

// firstWord returns the first word of an SQL text in upper case.
func firstWord(s string) string {
	for _, w := range leadingWords(s, 1) {
		return strings.ToUpper(w.text)
	}
	return ""
}

// ddlTables returns the tables a DDL statement changes.
func ddlTables(n ast.DDLNode) []*ast.TableName {
	switch n := n.(type) {
	case *ast.CreateTableStmt:
		return []*ast.TableName{n.Table}
	case *ast.DropTableStmt:
		return n.Tables
	case *ast.AlterTableStmt:
		return []*ast.TableName{n.Table}
	case *ast.CreateIndexStmt:
		return []*ast.TableName{n.Table}
	case *ast.DropIndexStmt:
		return []*ast.TableName{n.Table}
	case *ast.TruncateTableStmt:
		return []*ast.TableName{n.Table}
	case *ast.RenameTableStmt:
		var out []*ast.TableName
		for _, t := range n.TableToTables {
			out = append(out, t.OldTable, t.NewTable)
		}
		return out
	}
	return nil
}

// add records op on table once.
func (b *builder) add(table string, op Op) {
	to := TableOp{Table: table, Op: op}
	if table != "" && !b.seen[to] {
		b.seen[to] = true
		b.st.Tables = append(b.st.Tables, to)
	}
}

// newBlock starts a query block.
func (b *builder) newBlock(parent *block, index bool) *block {
	blk := &block{parent: parent, index: index}
	b.st.blocks = append(b.st.blocks, blk)
	return blk
}

// insert records an INSERT or REPLACE and returns its kind.
func (b *builder) insert(n *ast.InsertStmt) string {
	b.st.Writes = true
	blk := b.newBlock(nil, false)
	ops := []Op{Insert}
	if n.IsReplace {
		ops = append(ops, Delete)
	}
	if len(n.OnDuplicate) > 0 {
		ops = append(ops, Update)
	}
	if n.Table != nil {
		b.from(blk, n.Table.TableRefs, false)
		for _, r := range blk.refs {
			for _, op := range ops {
				b.add(r.table, op)
			}
		}
	}
	for _, c := range n.Columns {
		blk.cols = append(blk.cols, colRef{name: c.Name.L})
	}
	for _, row := range n.Lists {
		for _, e := range row {
			b.exprs(blk, e)
		}
	}
	for _, a := range n.OnDuplicate {
		blk.cols = append(blk.cols, columnRef(a.Column))
		b.exprs(blk, a.Expr)
	}
	if n.Select != nil {
		b.query(n.Select, nil)
	}
	if n.IsReplace {
		return "REPLACE"
	}
	return "INSERT"
}

// update records an UPDATE: the tables whose columns it sets are updated,
// the others read.
func (b *builder) update(n *ast.UpdateStmt) {
	b.st.Writes = true
	b.with(n.With, nil)
	blk := b.newBlock(nil, true)
	blk.write, blk.writeSet = Update, map[string]bool{}
	for _, a := range n.List {
		blk.writeSet[a.Column.Table.L] = true
	}
	if n.TableRefs != nil {
		b.from(blk, n.TableRefs.TableRefs, false)
	}
	for _, a := range n.List {
		blk.cols = append(blk.cols, columnRef(a.Column))
		b.exprs(blk, a.Expr)
	}
	b.where(blk, n.Where)
	b.orderLimit(blk, n.Order, n.Limit != nil)
}

// delete records a DELETE: the tables it names before FROM (or its only
// table) are deleted from, the others read.
func (b *builder) delete(n *ast.DeleteStmt) {
	b.st.Writes = true
	b.with(n.With, nil)
	blk := b.newBlock(nil, true)
	blk.write = Delete
	if n.IsMultiTable && n.Tables != nil {
		blk.writeSet = map[string]bool{}
		for _, t := range n.Tables.Tables {
			blk.writeSet[t.Name.L] = true
		}
	}
	if n.TableRefs != nil {
		b.from(blk, n.TableRefs.TableRefs, false)
	}
	b.where(blk, n.Where)
	b.orderLimit(blk, n.Order, n.Limit != nil)
}

// with records the common table expressions of w.
func (b *builder) with(w *ast.WithClause, parent *block) {
	if w == nil {
		return
	}
	for _, cte := range w.CTEs {
		b.ctes[cte.Name.L] = true
		if cte.Query != nil {
			b.query(cte.Query.Query, parent)
		}
	}
}

// query records a SELECT, a UNION or a subquery.
func (b *builder) query(n ast.Node, parent *block) {
	switch n := n.(type) {
	case *ast.SelectStmt:
		b.selectStmt(n, parent)
	case *ast.SetOprStmt:
		b.with(n.With, parent)
		if n.SelectList != nil {
			b.query(n.SelectList, parent)
		}
	case *ast.SetOprSelectList:
		b.with(n.With, parent)
		for _, s := range n.Selects {
			b.query(s, parent)
		}
	case *ast.SubqueryExpr:
		b.query(n.Query, parent)
	}
}

// selectStmt records a SELECT block.
func (b *builder) selectStmt(s *ast.SelectStmt, parent *block) {
	b.with(s.With, parent)
	blk := b.newBlock(parent, true)
	if s.LockInfo != nil && s.LockInfo.LockType != ast.SelectLockNone {
		b.st.Locking = true
	}
	if s.From != nil {
		b.from(blk, s.From.TableRefs, false)
	}
	if s.Fields != nil {
		for _, f := range s.Fields.Fields {
			if f.AsName.L != "" {
				if blk.aliases == nil {
					blk.aliases = map[string]bool{}
				}
				blk.aliases[f.AsName.L] = true
			}
			b.exprs(blk, f.Expr)
		}
	}
	b.where(blk, s.Where)
	if s.GroupBy != nil {
		for _, it := range s.GroupBy.Items {
			b.exprs(blk, it.Expr)
		}
	}
	if s.Having != nil {
		b.exprs(blk, s.Having.Expr)
	}
	b.orderLimit(blk, s.OrderBy, s.Limit != nil)
}

// where records a WHERE condition of blk.
func (b *builder) where(blk *block, e ast.ExprNode) {
	if e != nil {
		blk.where = and(blk.where, b.cond(e, "WHERE"))
		b.exprs(blk, e)
	}
}

// orderLimit records the ORDER BY columns of blk, and keeps them for the
// index check when the block has a LIMIT and orders by columns only.
func (b *builder) orderLimit(blk *block, o *ast.OrderByClause, limit bool) {
	if o == nil {
		return
	}
	var cols []colRef
	plain := true
	for _, it := range o.Items {
		b.exprs(blk, it.Expr)
		if c, ok := unparen(it.Expr).(*ast.ColumnNameExpr); ok {
			cols = append(cols, columnRef(c.Name))
		} else {
			plain = false
		}
	}
	if !limit || !plain || len(cols) == 0 {
		return
	}
	blk.order = cols
	start := o.Items[0].Expr.OriginTextPosition()
	if text := b.st.text; start > 0 && start < len(text) {
		blk.orderBy = "ORDER BY " + collapse(text[start:orderEnd(text, start)])
	}
}

// columnRef returns the colRef of a column name.
func columnRef(c *ast.ColumnName) colRef {
	return colRef{qual: c.Table.L, name: c.Name.L}
}

// unparen strips the parentheses around e.
func unparen(e ast.ExprNode) ast.ExprNode {
	for {
		p, ok := e.(*ast.ParenthesesExpr)
		if !ok {
			return e
		}
		e = p.Expr
	}
}
