package sqlparse

import (
	"slices"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
)

// apply applies one parsed schema statement of file. kinds are the kinds
// of its FULLTEXT keys, in order (see fulltextKinds).
func (r *schemaReader) apply(file string, line int, n ast.StmtNode, kinds []string) {
	switch n := n.(type) {
	case *ast.CreateTableStmt:
		r.createTable(file, line, n, kinds)
	case *ast.DropTableStmt:
		for _, t := range n.Tables {
			r.drop(file, t.Name.L)
		}
	case *ast.CreateIndexStmt:
		if t := r.target(file, line, n.Table.Name.L); t != nil {
			ix := &Index{Name: n.IndexName, Columns: keyColumns(n.IndexPartSpecifications), Where: r.where,
				Kind: r.index.method, Expr: r.index.expr}
			switch n.KeyType {
			case ast.IndexKeyTypeUnique:
				ix.Unique = true
			case ast.IndexKeyTypeFulltext:
				ix.Kind = "FULLTEXT"
			case ast.IndexKeyTypeSpatial:
				ix.Kind = "SPATIAL"
			case ast.IndexKeyTypeNone:
			default:
				ix.Kind = "OTHER"
			}
			t.addIndex(ix)
		}
	case *ast.DropIndexStmt:
		if t := r.target(file, line, n.Table.Name.L); t != nil {
			t.dropIndex(n.IndexName)
		}
	case *ast.AlterTableStmt:
		if t := r.target(file, line, n.Table.Name.L); t != nil {
			r.alter(t, n, kinds)
		}
	case *ast.RenameTableStmt:
		for _, tt := range n.TableToTables {
			r.rename(file, tt.OldTable.Name.L, tt.NewTable.Name.L)
		}
	}
}

// createTable defines a table. In the file that defined it already, a
// CREATE TABLE IF NOT EXISTS is ignored and another CREATE replaces it.
func (r *schemaReader) createTable(file string, line int, n *ast.CreateTableStmt, kinds []string) {
	name := n.Table.Name.L
	if old := r.inFile(file, name); old != nil {
		if n.IfNotExists {
			return
		}
		r.drop(file, name)
	}
	t := &Table{Name: name, File: file, Line: line, Dialect: r.dialect, cols: map[string]bool{}}
	if n.ReferTable != nil { // CREATE TABLE t LIKE u
		if u := r.s.Table(n.ReferTable.Name.L); u != nil {
			t.Columns = append(t.Columns, u.Columns...)
			for _, c := range u.Columns {
				t.cols[c] = true
			}
			for _, ix := range u.Indexes {
				cp := *ix
				t.Indexes = append(t.Indexes, &cp)
			}
		}
	}
	for _, c := range n.Cols {
		t.addColumn(c)
	}
	var fks []*ast.Constraint
	for _, c := range n.Constraints {
		if c.Tp == ast.ConstraintForeignKey {
			fks = append(fks, c)
			continue
		}
		kinds = t.addConstraint(c, kinds)
	}
	for _, c := range fks {
		t.addForeignKey(c)
	}
	if r.order == nil {
		r.order = map[*Table]int{}
	}
	r.order[t] = len(r.order)
	r.s.byName[name] = append(r.s.byName[name], t)
}

// inFile returns the definition of the named table in file, or nil.
func (r *schemaReader) inFile(file, name string) *Table {
	for _, t := range r.s.byName[name] {
		if t.File == file {
			return t
		}
	}
	return nil
}

// target returns the table an ALTER or CREATE INDEX in file changes: the
// file's own definition, else the first one. It warns when there is none.
func (r *schemaReader) target(file string, line int, name string) *Table {
	if t := r.inFile(file, name); t != nil {
		return t
	}
	if t := r.s.Table(name); t != nil {
		return t
	}
	r.warn(file, line, "statement skipped: table %s is not defined before", name)
	return nil
}

// drop removes the definition of the named table in file.
func (r *schemaReader) drop(file, name string) {
	ts := r.s.byName[name]
	for i, t := range ts {
		if t.File == file {
			r.s.byName[name] = append(ts[:i:i], ts[i+1:]...)
			if len(r.s.byName[name]) == 0 {
				delete(r.s.byName, name)
			}
			return
		}
	}
}

// rename renames the table file defines, or the first definition.
func (r *schemaReader) rename(file, from, to string) {
	t := r.inFile(file, from)
	if t == nil {
		t = r.s.Table(from)
	}
	if t == nil {
		return
	}
	r.drop(t.File, from)
	t.Name = to
	r.s.byName[to] = append(r.s.byName[to], t)
}

// alter applies the column and index changes of an ALTER TABLE.
func (r *schemaReader) alter(t *Table, n *ast.AlterTableStmt, kinds []string) {
	for _, spec := range n.Specs {
		switch spec.Tp {
		case ast.AlterTableAddColumns:
			for _, c := range spec.NewColumns {
				t.addColumn(c)
			}
		case ast.AlterTableAddConstraint:
			if spec.Constraint.Tp == ast.ConstraintForeignKey {
				t.addForeignKey(spec.Constraint)
			} else {
				kinds = t.addConstraint(spec.Constraint, kinds)
			}
		case ast.AlterTableRenameTable:
			r.rename(t.File, t.Name, spec.NewTable.Name.L)
		case ast.AlterTableDropColumn:
			t.dropColumn(spec.OldColumnName.Name.L)
		case ast.AlterTableRenameColumn:
			t.renameColumn(spec.OldColumnName.Name.L, spec.NewColumnName.Name.L)
		case ast.AlterTableDropIndex:
			t.dropIndex(spec.Name)
		case ast.AlterTableDropPrimaryKey:
			t.dropIndex("PRIMARY")
		case ast.AlterTableRenameIndex:
			for _, ix := range t.Indexes {
				if strings.EqualFold(ix.Name, spec.FromKey.O) {
					ix.Name = spec.ToKey.O
				}
			}
		}
	}
}

// addColumn adds a column and the indexes its PRIMARY KEY or UNIQUE
// option makes.
func (t *Table) addColumn(c *ast.ColumnDef) {
	name := c.Name.Name.L
	if !t.cols[name] {
		t.cols[name] = true
		t.Columns = append(t.Columns, name)
	}
	for _, o := range c.Options {
		switch o.Tp {
		case ast.ColumnOptionPrimaryKey:
			t.addIndex(&Index{Name: "PRIMARY", Columns: []string{name}, Primary: true, Unique: true})
		case ast.ColumnOptionUniqKey:
			t.addIndex(&Index{Name: name, Columns: []string{name}, Unique: true})
		}
	}
}

// dropColumn removes a column and the indexes on it.
func (t *Table) dropColumn(name string) {
	if !t.cols[name] {
		return
	}
	delete(t.cols, name)
	t.Columns = slices.DeleteFunc(t.Columns, func(c string) bool { return c == name })
	t.Indexes = slices.DeleteFunc(t.Indexes, func(ix *Index) bool { return slices.Contains(ix.Columns, name) })
}

// renameColumn renames a column, in the indexes on it too.
func (t *Table) renameColumn(from, to string) {
	if !t.cols[from] {
		return
	}
	delete(t.cols, from)
	t.cols[to] = true
	for i, c := range t.Columns {
		if c == from {
			t.Columns[i] = to
		}
	}
	for _, ix := range t.Indexes {
		for i, c := range ix.Columns {
			if c == from {
				ix.Columns[i] = to
			}
		}
	}
}

// addConstraint adds the index a table constraint defines. kinds are the
// kinds of the FULLTEXT keys still to come; it returns the rest.
func (t *Table) addConstraint(c *ast.Constraint, kinds []string) []string {
	ix := &Index{Name: c.Name, Columns: keyColumns(c.Keys)}
	switch c.Tp {
	case ast.ConstraintPrimaryKey:
		ix.Name, ix.Primary, ix.Unique = "PRIMARY", true, true
	case ast.ConstraintUniq, ast.ConstraintUniqKey, ast.ConstraintUniqIndex:
		ix.Unique = true
	case ast.ConstraintKey, ast.ConstraintIndex:
	case ast.ConstraintFulltext:
		ix.Kind = "FULLTEXT"
		if len(kinds) > 0 {
			ix.Kind, kinds = kinds[0], kinds[1:]
		}
	default:
		return kinds // CHECK and others make no index
	}
	if ix.Name == "" && len(ix.Columns) > 0 {
		ix.Name = ix.Columns[0]
	}
	t.addIndex(ix)
	return kinds
}

// addForeignKey adds the index InnoDB creates for a foreign key when no
// index starts with its columns.
func (t *Table) addForeignKey(c *ast.Constraint) {
	cols := keyColumns(c.Keys)
	for _, ix := range t.Indexes {
		if ix.Kind == "" && hasPrefix(ix.Columns, cols) {
			return
		}
	}
	name := c.Name
	if name == "" && len(cols) > 0 {
		name = cols[0]
	}
	t.addIndex(&Index{Name: name, Columns: cols})
}

// hasPrefix reports whether cols starts with prefix.
func hasPrefix(cols, prefix []string) bool {
	if len(prefix) > len(cols) {
		return false
	}
	for i, c := range prefix {
		if cols[i] != c {
			return false
		}
	}
	return true
}

// addIndex adds an index; a second primary key replaces the first.
func (t *Table) addIndex(ix *Index) {
	if ix.Primary {
		t.dropIndex("PRIMARY")
	}
	t.Indexes = append(t.Indexes, ix)
}

// dropIndex removes the named index.
func (t *Table) dropIndex(name string) {
	out := t.Indexes[:0:0]
	for _, ix := range t.Indexes {
		if !strings.EqualFold(ix.Name, name) {
			out = append(out, ix)
		}
	}
	t.Indexes = out
}

// keyColumns returns the lower-case columns of key parts, up to the first
// functional one: the leftmost-prefix rule cannot go past it.
func keyColumns(parts []*ast.IndexPartSpecification) []string {
	var cols []string
	for _, p := range parts {
		if p.Column == nil {
			break
		}
		cols = append(cols, p.Column.Name.L)
	}
	return cols
}
