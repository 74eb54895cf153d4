package sqlparse

// A checker checks a Statement's blocks against a Schema.
type checker struct {
	s    *Schema
	out  []Problem
	seen map[string]bool
	text string // the statement, normalised (see usable)
}

// known reports whether r is a table the schema defines.
func (c *checker) known(r *ref) bool {
	return r.table != "" && len(c.s.byName[r.table]) > 0
}

// has reports whether some definition of r's table has the column.
func (c *checker) has(r *ref, col string) bool {
	for _, t := range c.s.byName[r.table] {
		if t.hasColumn(col) {
			return true
		}
	}
	return false
}

// resolve returns the ref col belongs to, looking in blk and then in the
// enclosing blocks, and whether it is blk's own.
func (c *checker) resolve(blk *block, col colRef) (*ref, bool) {
	for b := blk; b != nil; b = b.parent {
		if r := c.resolveIn(b, col); r != nil {
			return r, b == blk
		}
	}
	return nil, false
}

// resolveIn returns the ref of b that col belongs to: the ref its
// qualifier names or, unqualified, the only ref whose table has the
// column, or else the only ref whose columns are unknown.
func (c *checker) resolveIn(b *block, col colRef) *ref {
	if col.qual != "" {
		for _, r := range b.refs {
			if r.name == col.qual {
				return r
			}
		}
		return nil
	}
	var with, unknown []*ref
	for _, r := range b.refs {
		switch {
		case r.name == col.not:
		case !c.known(r):
			unknown = append(unknown, r)
		case c.has(r, col.name):
			with = append(with, r)
		}
	}
	switch {
	case len(with) == 1:
		return with[0]
	case len(with) == 0 && len(unknown) == 1:
		return unknown[0]
	}
	return nil
}

// isAlias reports whether name is a select-list alias of blk or of an
// enclosing block.
func isAlias(blk *block, name string) bool {
	for b := blk; b != nil; b = b.parent {
		if b.aliases[name] {
			return true
		}
	}
	return false
}

// systemSchemas are the schemas whose tables no schema file defines.
var systemSchemas = map[string]bool{"information_schema": true, "mysql": true, "performance_schema": true, "sys": true}

// names reports the tables of blk the schema does not define and the
// columns of known tables it does not have.
func (c *checker) names(blk *block) {
	for _, r := range blk.refs {
		if r.table != "" && r.table != "dual" && !systemSchemas[r.schema] && !c.known(r) {
			c.add(Problem{Kind: "unknown-table", Table: r.table})
		}
	}
	for _, col := range blk.cols {
		if r := c.unknownColumn(blk, col); r != nil {
			c.add(Problem{Kind: "unknown-column", Table: r.table, Columns: []string{col.name}})
		}
	}
}

// unknownColumn returns the known table col should be a column of and is
// not, or nil.
func (c *checker) unknownColumn(blk *block, col colRef) *ref {
	if col.qual != "" {
		for b := blk; b != nil; b = b.parent {
			for _, r := range b.refs {
				if r.name == col.qual {
					if c.known(r) && !c.has(r, col.name) {
						return r
					}
					return nil
				}
			}
		}
		return nil
	}
	if isAlias(blk, col.name) || len(blk.refs) != 1 || !c.known(blk.refs[0]) {
		return nil
	}
	for b := blk; b != nil; b = b.parent {
		for _, r := range b.refs {
			if !c.known(r) || c.has(r, col.name) {
				return nil
			}
		}
	}
	return blk.refs[0]
}
