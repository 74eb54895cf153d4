package sqlparse

import "strings"

// Problem is something Check finds wrong with a statement.
type Problem struct {
	Kind  string // "unindexed", "unknown-table" or "unknown-column"
	Table string
	// Columns are, for unindexed, the predicate columns no index serves
	// (equality columns first) or the ORDER BY columns; for
	// unknown-column, the column.
	Columns []string
	// Clause is the predicate as written: "WHERE user_id = ?",
	// "ON c.post_id = p.id", "ORDER BY rent LIMIT ?".
	Clause string
	// Suggestion is, for unindexed, the DDL adding an index that serves
	// the predicate: "ALTER TABLE themes ADD INDEX idx_themes_user_id (user_id);".
	// It is empty when no index can serve the predicate as written.
	Suggestion string
	// Indexes are the columns of each index Suggestion adds.
	Indexes [][]string
}

// Check reports the tables of st the schema does not define, the columns
// of known tables it does not have, and, for the tables a SELECT, UPDATE
// or DELETE reads, the predicates no index serves. The order is that of
// the query blocks and, in each, of the tables.
func (s *Schema) Check(st *Statement) []Problem {
	if s == nil || st == nil || len(s.byName) == 0 {
		return nil
	}
	c := &checker{s: s, st: st, seen: map[string]bool{}, text: normPredicate(st.text),
		scopes: map[*block]*scope{}, resolved: map[blockCol]resolution{}, usables: map[*Index]bool{}, views: map[*cond]*view{}}
	for _, blk := range st.blocks {
		c.names(blk)
		if blk.index {
			c.indexes(blk)
		}
	}
	return c.out
}

// add records a problem once.
func (c *checker) add(p Problem) {
	key := p.Kind + "\x00" + p.Table + "\x00" + strings.Join(p.Columns, ",") + "\x00" + p.Clause
	if !c.seen[key] {
		c.seen[key] = true
		c.out = append(c.out, p)
	}
}

// indexes reports the tables of blk no index lets the database find the
// rows of. A table is served when an index serves one of its WHERE
// predicates or, in an inner join, one of its join columns; on the
// nullable side of an outer join, its ON condition. A table with join
// columns only is looked up from the other tables, unless no table has a
// WHERE predicate: then the first such table is read in full, and that is
// deliberate, as is reading a table with no predicate at all, unless the
// block orders by its columns with a LIMIT. A table whose only predicates
// no index can serve as written (a function around the column, LIKE
// '%x', !=) is reported with no suggestion.
func (c *checker) indexes(blk *block) {
	where := c.view(blk, blk.where)
	// A join column serves a lookup only from a table found by an index:
	// when no table's own predicates are served, one is read in full.
	drivers := false
	for _, r := range blk.refs {
		drivers = drivers || c.known(r) && c.served(blk, r, where.of[r], false)
	}
	var lookups []*ref
	driven := false
	for _, r := range blk.refs {
		if !c.known(r) {
			continue
		}
		consts, joins := 0, 0
		for _, pc := range c.predCols(blk, r, where.of[r]) {
			if pc.join {
				joins++
			} else {
				consts++
			}
		}
		driven = driven || consts > 0
		on := c.view(blk, r.on)
		viaJoin := drivers || consts == 0
		if c.served(blk, r, where.of[r], viaJoin) || c.served(blk, r, on.of[r], true) {
			continue
		}
		switch {
		case r.on != nil:
			c.unindexed(blk, r, on, true)
		case consts > 0:
			c.unindexed(blk, r, where, false)
		case joins > 0:
			lookups = append(lookups, r)
		case !c.unusable(blk, r, where.of[r]):
			c.unorderedLimit(blk, r)
		}
	}
	if !driven && len(lookups) > 0 {
		lookups = lookups[1:]
	}
	for _, r := range lookups {
		c.unindexed(blk, r, where, true)
	}
}

// served reports whether an index of r's table serves condition n for r:
// one conjunct of an AND, every disjunct of an OR. join tells whether
// join equalities count.
func (c *checker) served(blk *block, r *ref, n *cond, join bool) bool {
	if n == nil {
		return false
	}
	switch n.op {
	case condAnd:
		for _, k := range n.kids {
			if c.served(blk, r, k, join) {
				return true
			}
		}
		return false
	case condOr:
		for _, k := range n.kids {
			if !c.served(blk, r, k, join) {
				return false
			}
		}
		return len(n.kids) > 0
	}
	for _, pc := range c.cols(blk, r, n) {
		if (join || !pc.join) && c.leadsFor(r.table, pc) {
			return true
		}
	}
	return false
}

// leadsFor reports whether an index of some definition of table that
// serves the predicate's kind of comparison starts with its column: a
// B-tree any but a containment test, a hash index an equality, a BRIN
// index an equality or a range, a GIN or GiST index a containment test.
func (c *checker) leadsFor(table string, pc predCol) bool {
	for _, t := range c.s.byName[table] {
		for _, ix := range t.Indexes {
			if len(ix.Columns) > 0 && ix.Columns[0] == pc.name && ix.serves(pc.use) && c.usable(ix) {
				return true
			}
		}
	}
	return false
}

// sortedBy reports whether a B-tree index of some definition of table
// starts with col, after columns of eq.
func (c *checker) sortedBy(table string, eq []string, col string) bool {
	for _, t := range c.s.byName[table] {
		for _, ix := range t.Indexes {
			if ix.Kind != "" || !c.usable(ix) {
				continue
			}
			for _, x := range ix.Columns {
				if x == col {
					return true
				}
				if !contains(eq, x) {
					break
				}
			}
		}
	}
	return false
}

// usable reports whether the statement may use ix: a partial index only
// when the statement's text has the index's predicate.
func (c *checker) usable(ix *Index) bool {
	if ix.Where == "" {
		return true
	}
	ok, seen := c.usables[ix]
	if !seen {
		ok = strings.Contains(c.text, ix.Where)
		c.usables[ix] = ok
	}
	return ok
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
