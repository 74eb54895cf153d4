package sqlparse

// predCol is a column of a table that a predicate can use an index on.
type predCol struct {
	name string
	use  use
	join bool // an equality with a column of another table of the block
}

// predCols returns the predCols of r in every predicate of n.
func (c *checker) predCols(blk *block, r *ref, n *cond) []predCol {
	if n == nil {
		return nil
	}
	if n.op != condPred {
		var out []predCol
		for _, k := range n.kids {
			out = append(out, c.predCols(blk, r, k)...)
		}
		return out
	}
	return c.cols(blk, r, n)
}

// cols returns the predCols of r in predicate p: its column, and for an
// equality of two columns, the other one too.
func (c *checker) cols(blk *block, r *ref, p *cond) []predCol {
	if p.col == nil || p.use == useNone {
		return nil
	}
	var out []predCol
	if pc, ok := c.side(blk, r, *p.col, p.others, p); ok {
		out = append(out, pc)
	}
	if p.pair {
		if pc, ok := c.side(blk, r, p.others[0], []colRef{*p.col}, p); ok {
			out = append(out, pc)
		}
	}
	return out
}

// side returns the predCol of col, compared with others in p, when col is
// a column of r in blk. Compared with another column of r, col cannot use
// an index; compared with a column of another table of blk, it is a join
// column; columns of enclosing blocks are constants here.
func (c *checker) side(blk *block, r *ref, col colRef, others []colRef, p *cond) (predCol, bool) {
	if cr, own := c.resolve(blk, col); cr != r || !own || !c.has(r, col.name) {
		return predCol{}, false
	}
	pc := predCol{name: col.name, use: p.use}
	for _, o := range others {
		switch or, own := c.resolve(blk, o); {
		case !own:
		case or == r:
			return predCol{}, false
		default:
			pc.join = true
		}
	}
	if pc.join && pc.use != useEq {
		return predCol{}, false
	}
	return pc, true
}
