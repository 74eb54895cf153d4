package sqlparse

// A checker checks a Statement's blocks against a Schema.
type checker struct {
	s    *Schema
	st   *Statement
	out  []Problem
	seen map[string]bool
	text string // the statement, normalised (see usable)

	// What is worked out once per statement, so that checking one of n
	// joins or n ORs takes time linear in n.
	scopes   map[*block]*scope
	resolved map[blockCol]resolution
	usables  map[*Index]bool
	views    map[*cond]*view
}

// A scope indexes the refs of a block by what columns find them by.
type scope struct {
	named   map[string]*ref   // the first ref of each name
	withCol map[string][]*ref // the known refs whose table has each column
	unknown []*ref            // the refs whose table the schema does not define
}

// blockCol is a column as written in a block.
type blockCol struct {
	blk *block
	col colRef
}

// resolution is the ref a column belongs to, and whether it is of the
// column's own block.
type resolution struct {
	r   *ref
	own bool
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
	key := blockCol{blk, col}
	if res, ok := c.resolved[key]; ok {
		return res.r, res.own
	}
	var res resolution
	for b := blk; b != nil; b = b.parent {
		if r := c.resolveIn(b, col); r != nil {
			res = resolution{r, b == blk}
			break
		}
	}
	c.resolved[key] = res
	return res.r, res.own
}

// resolveIn returns the ref of b that col belongs to: the ref its
// qualifier names or, unqualified, the only ref whose table has the
// column, or else the only ref whose columns are unknown.
func (c *checker) resolveIn(b *block, col colRef) *ref {
	sc := c.scope(b)
	if col.qual != "" {
		return sc.named[col.qual]
	}
	if with := firstTwo(sc.withCol[col.name], col.not); len(with) > 0 {
		if len(with) == 1 {
			return with[0]
		}
		return nil
	}
	if unknown := firstTwo(sc.unknown, col.not); len(unknown) == 1 {
		return unknown[0]
	}
	return nil
}

// firstTwo returns the first two refs not named not.
func firstTwo(refs []*ref, not string) []*ref {
	var out []*ref
	for _, r := range refs {
		if r.name != not {
			if out = append(out, r); len(out) == 2 {
				break
			}
		}
	}
	return out
}

// scope returns the scope of b.
func (c *checker) scope(b *block) *scope {
	if sc := c.scopes[b]; sc != nil {
		return sc
	}
	sc := &scope{named: map[string]*ref{}, withCol: map[string][]*ref{}}
	for _, r := range b.refs {
		if _, ok := sc.named[r.name]; !ok {
			sc.named[r.name] = r
		}
		if !c.known(r) {
			sc.unknown = append(sc.unknown, r)
			continue
		}
		for _, t := range c.s.byName[r.table] {
			for col := range t.cols {
				if rs := sc.withCol[col]; len(rs) == 0 || rs[len(rs)-1] != r {
					sc.withCol[col] = append(rs, r)
				}
			}
		}
	}
	c.scopes[b] = sc
	return sc
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
			if r := c.scope(b).named[col.qual]; r != nil {
				if c.known(r) && !c.has(r, col.name) {
					return r
				}
				return nil
			}
		}
		return nil
	}
	if isAlias(blk, col.name) || len(blk.refs) != 1 || !c.known(blk.refs[0]) {
		return nil
	}
	for b := blk; b != nil; b = b.parent {
		if sc := c.scope(b); len(sc.unknown) > 0 || len(sc.withCol[col.name]) > 0 {
			return nil
		}
	}
	return blk.refs[0]
}
