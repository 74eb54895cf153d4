package sqlparse

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
)

// reserved holds the reserved words of MySQL and TiDB, which must be
// quoted as identifiers.
var reserved = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range parser.Keywords {
		if k.Reserved {
			m[k.Word] = true
		}
	}
	for _, w := range strings.Fields(`ACCESSIBLE ASENSITIVE CONDITION CONTINUE CURSOR DECLARE EACH ELSEIF EXIT
		FETCH INOUT INSENSITIVE ITERATE LEAVE LOOP MODIFIES OUT READS REPEAT RESIGNAL RETURN SENSITIVE
		SIGNAL SQLEXCEPTION SQLSTATE SQLWARNING UNDO WHILE`) {
		m[w] = true
	}
	return m
}()

// unindexed reports r, whose predicates in condition v no index serves,
// with the index to add; join tells whether join equalities count.
// Nothing is reported when no index on r could serve them.
func (c *checker) unindexed(blk *block, r *ref, v *view, join bool) {
	n := v.of[r]
	if n == nil {
		return
	}
	idxs, ok := c.fix(blk, r, n, join)
	if !ok || len(idxs) == 0 {
		return
	}
	cols := c.unservedCols(blk, r, n, join)
	set := map[string]bool{}
	for _, col := range cols {
		set[col] = true
	}
	clause := joinClauses(c.clauses(blk, r, n, set, join))
	if order := c.orderCols(blk, r); len(idxs) == 1 && order != nil {
		if len(c.eqCols(blk, r, n, join)) > 0 || v.or {
			idxs[0] = appendMissing(idxs[0], order) // equalities, a range, then the order
		} else {
			// Only ranges (WHERE stock > 0 ORDER BY price LIMIT ?): an
			// index on them cannot give the order, so every matching row
			// is sorted; an index on the ORDER BY columns reads the rows
			// in order and stops at the LIMIT, so that is the one to add,
			// and one that exists serves the query.
			if c.sortedBy(r.table, nil, order[0]) {
				return
			}
			idxs[0], clause = order, clause+" "+blk.orderBy
		}
	}
	c.add(Problem{
		Kind:       "unindexed",
		Table:      r.table,
		Columns:    cols,
		Clause:     clause,
		Suggestion: c.s.IndexDDL(r.table, idxs),
		Indexes:    idxs,
	})
}

// eqCols returns r's equality columns among the conjuncts of n, nested
// ANDs included.
func (c *checker) eqCols(blk *block, r *ref, n *cond, join bool) []string {
	var eq []string
	var walk func(n *cond)
	walk = func(n *cond) {
		switch n.op {
		case condAnd:
			for _, k := range n.kids {
				walk(k)
			}
		case condPred:
			for _, pc := range c.cols(blk, r, n) {
				if (join || !pc.join) && pc.use == useEq && !contains(eq, pc.name) {
					eq = append(eq, pc.name)
				}
			}
		}
	}
	walk(n)
	return eq
}

// appendMissing appends to a copy of xs the ys it does not hold.
func appendMissing(xs, ys []string) []string {
	out := append([]string{}, xs...)
	for _, y := range ys {
		if !contains(out, y) {
			out = append(out, y)
		}
	}
	return out
}

// fix returns the indexes that would serve n for r, none when n is
// served, and false when no index on r can serve it. For an AND, that is
// one composite index of its predicates: equality columns first, then
// one range column. For an OR, one per disjunct.
func (c *checker) fix(blk *block, r *ref, n *cond, join bool) ([][]string, bool) {
	if c.served(blk, r, n, join) {
		return nil, true
	}
	switch n.op {
	case condPred:
		for _, pc := range c.cols(blk, r, n) {
			if (join || !pc.join) && pc.use != useContains {
				return [][]string{{pc.name}}, true
			}
		}
		return nil, false
	case condOr:
		var all [][]string
		seen := map[string]bool{}
		for _, k := range n.kids {
			f, ok := c.fix(blk, r, k, join)
			if !ok {
				return nil, false
			}
			for _, ix := range f {
				if key := strings.Join(ix, ","); !seen[key] {
					seen[key] = true
					all = append(all, ix)
				}
			}
		}
		return all, true
	}
	var eq, rng []string
	for _, k := range n.kids {
		if k.op != condPred {
			continue
		}
		for _, pc := range c.cols(blk, r, k) {
			switch {
			case !join && pc.join:
			case pc.use == useEq && !contains(eq, pc.name):
				eq = append(eq, pc.name)
			case pc.use == useRange && !contains(rng, pc.name):
				rng = append(rng, pc.name)
			}
		}
	}
	for _, col := range rng {
		if !contains(eq, col) {
			return [][]string{append(eq, col)}, true
		}
	}
	if len(eq) > 0 {
		return [][]string{eq}, true
	}
	for _, k := range n.kids {
		if f, ok := c.fix(blk, r, k, join); ok && k.op != condPred {
			return f, true
		}
	}
	return nil, false
}

// unservedCols returns r's columns in the parts of n no index serves
// that no index starts with: equality columns first, then ranges, each in
// order of appearance.
func (c *checker) unservedCols(blk *block, r *ref, n *cond, join bool) []string {
	var eq, rng []string
	for _, pc := range c.unservedPreds(blk, r, n, join) {
		switch {
		case c.leadsFor(r.table, pc):
		case pc.use == useEq && !contains(eq, pc.name):
			eq = append(eq, pc.name)
		case pc.use == useRange && !contains(rng, pc.name):
			rng = append(rng, pc.name)
		}
	}
	for _, col := range rng {
		if !contains(eq, col) {
			eq = append(eq, col)
		}
	}
	return eq
}

// unservedPreds returns r's predCols in the parts of n no index serves.
func (c *checker) unservedPreds(blk *block, r *ref, n *cond, join bool) []predCol {
	if n == nil || c.served(blk, r, n, join) {
		return nil
	}
	if n.op != condPred {
		var out []predCol
		for _, k := range n.kids {
			out = append(out, c.unservedPreds(blk, r, k, join)...)
		}
		return out
	}
	var out []predCol
	for _, pc := range c.cols(blk, r, n) {
		if join || !pc.join {
			out = append(out, pc)
		}
	}
	return out
}

// clauses returns the texts of the predicates of n on the columns in set,
// outside the parts of n an index serves: a whole OR when one of its
// predicates is.
func (c *checker) clauses(blk *block, r *ref, n *cond, set map[string]bool, join bool) []string {
	if n == nil || c.served(blk, r, n, join) {
		return nil
	}
	switch n.op {
	case condAnd:
		var out []string
		for _, k := range n.kids {
			out = append(out, c.clauses(blk, r, k, set, join)...)
		}
		return out
	case condOr:
		for _, k := range n.kids {
			if len(c.clauses(blk, r, k, set, join)) > 0 {
				return []string{c.st.textOf(n)}
			}
		}
		return nil
	}
	for _, pc := range c.cols(blk, r, n) {
		if set[pc.name] && (join || !pc.join) {
			return []string{c.st.textOf(n)}
		}
	}
	return nil
}

// joinClauses joins predicate texts, each starting with its clause
// keyword, writing the keyword once per run: "WHERE a = ? AND b = ?".
func joinClauses(texts []string) string {
	var b strings.Builder
	last := ""
	seen := map[string]bool{}
	for _, t := range texts {
		if seen[t] {
			continue
		}
		seen[t] = true
		kw, rest, _ := strings.Cut(t, " ")
		switch {
		case kw == last && kw != "USING":
			b.WriteString(" AND " + rest)
		default:
			if b.Len() > 0 {
				b.WriteString(" ")
			}
			b.WriteString(t)
			last = kw
		}
	}
	return b.String()
}

// orderCols returns the ORDER BY columns of blk when it has a LIMIT and
// they are all columns of r, or nil.
func (c *checker) orderCols(blk *block, r *ref) []string {
	var cols []string
	for _, col := range blk.order {
		cr, own := c.resolve(blk, col)
		if cr != r || !own || !c.has(r, col.name) {
			return nil
		}
		if !contains(cols, col.name) {
			cols = append(cols, col.name)
		}
	}
	return cols
}

// unusable reports r, when n has predicates on its columns that no
// index can serve as written (an expression index on the expression
// compared, lower(email), serves it), and reports whether it did.
func (c *checker) unusable(blk *block, r *ref, n *cond) bool {
	var cols, texts []string
	var walk func(n *cond)
	walk = func(n *cond) {
		if n == nil {
			return
		}
		for _, k := range n.kids {
			walk(k)
		}
		if len(n.bad) > 0 && c.exprServed(r, n) {
			return
		}
		for _, col := range n.bad {
			if cr, own := c.resolve(blk, col); cr == r && own && c.has(r, col.name) {
				if !contains(cols, col.name) {
					cols = append(cols, col.name)
				}
				texts = append(texts, c.st.textOf(n))
			}
		}
	}
	walk(n)
	if len(cols) > 0 {
		c.add(Problem{Kind: "unindexed", Table: r.table, Columns: cols, Clause: joinClauses(texts)})
	}
	return len(cols) > 0
}

// exprServed reports whether an expression index of r's table serves the
// predicate n.
func (c *checker) exprServed(r *ref, n *cond) bool {
	for _, t := range c.s.byName[r.table] {
		if t.exprServes(c.st.textOf(n)) {
			return true
		}
	}
	return false
}

// unorderedLimit reports r, a table read in full, when the block returns
// its first rows in the order of columns no index is sorted by.
func (c *checker) unorderedLimit(blk *block, r *ref) {
	cols := c.orderCols(blk, r)
	if cols == nil || r.nullable || c.sortedBy(r.table, nil, cols[0]) {
		return
	}
	clause := blk.orderBy
	if clause == "" {
		clause = "ORDER BY " + strings.Join(cols, ", ") + " LIMIT"
	}
	c.add(Problem{Kind: "unindexed", Table: r.table, Columns: cols, Clause: clause,
		Suggestion: c.s.IndexDDL(r.table, [][]string{cols}), Indexes: [][]string{cols}})
}

// IndexDDL returns the DDL adding indexes on the columns idxs to table:
// ALTER TABLE ... ADD INDEX for MySQL, CREATE INDEX for Postgres and
// SQLite, which have no ADD INDEX.
func (s *Schema) IndexDDL(table string, idxs [][]string) string {
	dialect := MySQL
	if t := s.Table(table); t != nil && t.Dialect != Unknown {
		dialect = t.Dialect
	}
	quote := quoteIdent
	if dialect == Postgres {
		quote = quoteIdentANSI
	}
	var adds, creates []string
	for _, cols := range idxs {
		name := "idx_" + table + "_" + strings.Join(cols, "_")
		if len(name) > 63 {
			name = name[:63]
		}
		quoted := make([]string, len(cols))
		for i, col := range cols {
			quoted[i] = quote(col)
		}
		adds = append(adds, fmt.Sprintf("ADD INDEX %s (%s)", quote(name), strings.Join(quoted, ", ")))
		creates = append(creates, fmt.Sprintf("CREATE INDEX %s ON %s (%s);", quote(name), quote(table), strings.Join(quoted, ", ")))
	}
	if dialect != MySQL {
		return strings.Join(creates, " ")
	}
	return "ALTER TABLE " + quote(table) + " " + strings.Join(adds, ", ") + ";"
}

// quoteIdentANSI double-quotes an identifier unless it is a plain one.
func quoteIdentANSI(s string) string {
	if q := quoteIdent(s); q != s {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// quoteIdent backquotes an identifier unless it is a plain one.
func quoteIdent(s string) string {
	if reserved[strings.ToUpper(s)] {
		return "`" + s + "`"
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c == '_' || isDigit(c) || isLetter(c)) || i == 0 && isDigit(c) {
			return "`" + strings.ReplaceAll(s, "`", "``") + "`"
		}
	}
	return s
}

// hasOr reports whether n holds an OR.
func hasOr(n *cond) bool {
	if n == nil {
		return false
	}
	if n.op == condOr {
		return true
	}
	for _, k := range n.kids {
		if hasOr(k) {
			return true
		}
	}
	return false
}
