package sqlparse

import "slices"

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

// A view is a condition of a block as each of the block's tables sees it.
type view struct {
	of map[*ref]*cond // the part of the condition that bears on each ref
	or bool           // the condition holds an OR
}

// view returns the view of n, a condition of blk, which may be nil.
func (c *checker) view(blk *block, n *cond) *view {
	if n == nil {
		return &view{}
	}
	if v := c.views[n]; v != nil {
		return v
	}
	v := &view{of: c.project(blk, n), or: hasOr(n)}
	c.views[n] = v
	return v
}

// unservable stands in a ref's part of an OR for the disjuncts that do
// not bear on the ref: none of them can be served by its indexes.
var unservable = &cond{span: span{at: -1}}

// project returns, for each ref of blk a predicate of n bears on, the
// part of n that bears on it: n without the predicates and subtrees that
// do not, which an index of the ref can neither serve nor be suggested
// for (an OR that loses some keeps unservable in their place). The checks
// of a ref look at its part only, so that checking a block takes time
// linear in its size, not in its tables times its predicates.
func (c *checker) project(blk *block, n *cond) map[*ref]*cond {
	out := map[*ref]*cond{}
	if n.op == condPred {
		for _, r := range c.bearers(blk, n) {
			out[r] = n
		}
		return out
	}
	for _, k := range n.kids {
		for r, part := range c.project(blk, k) {
			p := out[r]
			if p == nil {
				p = &cond{op: n.op, span: n.span}
				out[r] = p
			}
			p.kids = append(p.kids, part)
		}
	}
	if n.op == condOr {
		for _, p := range out {
			if len(p.kids) < len(n.kids) {
				p.kids = append(p.kids, unservable)
			}
		}
	}
	return out
}

// bearers returns the refs of blk predicate p has a column of.
func (c *checker) bearers(blk *block, p *cond) []*ref {
	var out []*ref
	add := func(col colRef) {
		if r, own := c.resolve(blk, col); own && r != nil && !slices.Contains(out, r) && c.has(r, col.name) {
			out = append(out, r)
		}
	}
	if p.col != nil {
		add(*p.col)
		if p.pair {
			add(p.others[0])
		}
	}
	for _, col := range p.bad {
		add(col)
	}
	return out
}
