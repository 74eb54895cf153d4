package sqlparse

// A block is one query block: a SELECT, the target and join of an UPDATE
// or DELETE, or an INSERT's target. Each subquery, derived table and CTE
// body is a block of its own, with the enclosing block as parent when it
// may refer to its columns.
type block struct {
	parent  *block
	refs    []*ref
	where   *cond    // the WHERE and inner-join ON conditions, ANDed
	order   []colRef // ORDER BY columns, when the block has ORDER BY ... LIMIT
	orderBy string   // the ORDER BY ... LIMIT clause as written
	cols    []colRef // every column the block names
	aliases map[string]bool
	index   bool // the predicates are checked against indexes

	write    Op              // the op on written tables, "" for a read
	writeSet map[string]bool // names of the written refs; nil: all
}

// A ref is a table reference in a FROM clause, or a statement's target.
type ref struct {
	table    string // lower case; "" for a derived table or a CTE
	name     string // the alias, or the table name: what columns qualify it by
	schema   string // the schema qualifier, lower case
	nullable bool   // on the inner side of an outer join

	// outer tells that r is on the nullable side of an outer join, and on
	// is the ON condition of the innermost such join, which lets the
	// database look r up.
	outer bool
	on    *cond
}

// condOp tells the kind of a condition node.
type condOp int

const (
	condPred condOp = iota // a single predicate
	condAnd
	condOr
)

// use tells how an index can serve a predicate on a column.
type use int

const (
	useNone     use = iota // no index can serve it
	useEq                  // =, <=>, IN, IS NULL
	useRange               // <, >, BETWEEN, LIKE 'x%'
	useContains            // Postgres @>, <@, ?, && (rewritten as ^): a GIN or GiST index's
)

// A cond is a WHERE or ON condition tree.
type cond struct {
	op   condOp
	kids []*cond // condAnd, condOr

	// condPred:
	col    *colRef  // the column compared; nil when none can use an index
	use    use      // how the comparison can use an index on col
	others []colRef // the columns of the value compared with col
	pair   bool     // col = other column: also an equality on others[0]
	null   bool     // col IS NULL
	bad    []colRef // the columns of a predicate no index can serve as written

	span // condPred, condOr: where the condition is written
}

// A span is where a condition is written in the statement. Its text is
// read only when a problem quotes it (see Statement.textOf): reading the
// text of every OR of a chain of them would take quadratic time.
type span struct {
	clause string // the clause keyword, or with at < 0 the whole text
	at     int    // where the condition starts, after the keyword
	ands   int    // the ANDs that are part of the condition (a BETWEEN's)
}

// colRef is a column as written: qualifier and name, lower case.
type colRef struct {
	qual, name string
	not        string // a ref name the column cannot be from (USING)
}

// and returns the conjunction of a and b, either of which may be nil.
// An AND a is extended in place, so that a chain of n ANDs takes O(n):
// a must not be shared.
func and(a, b *cond) *cond {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.op == condAnd:
		a.kids = append(a.kids, b)
		return a
	}
	return &cond{op: condAnd, kids: []*cond{a, b}}
}

// or returns the disjunction of a and b, written at sp. An OR a is
// extended in place, as and does, so that a chain of ORs is one node.
func or(a, b *cond, sp span) *cond {
	if a.op != condOr {
		a = &cond{op: condOr, kids: []*cond{a}}
	}
	a.kids = append(a.kids, b)
	a.span = sp
	return a
}
