package sqlparse

// A block is one query block: a SELECT, the target and join of an UPDATE
// or DELETE, or an INSERT's target. Each subquery, derived table and CTE
// body is a block of its own, with the enclosing block as parent when it
// may refer to its columns.
type block struct {
	parent  *block
	refs    []*ref
	where   *cond     // the WHERE and inner-join ON conditions, ANDed
	outer   []outerOn // the ON conditions of outer joins
	order   []colRef  // ORDER BY columns, when the block has ORDER BY ... LIMIT
	orderBy string    // the ORDER BY ... LIMIT clause as written
	cols    []colRef  // every column the block names
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
}

// outerOn is the ON condition of an outer join and the refs on its
// nullable side, which that condition lets the database look up.
type outerOn struct {
	cond *cond
	refs []*ref
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
	useNone  use = iota // no index can serve it
	useEq               // =, <=>, IN, IS NULL
	useRange            // <, >, BETWEEN, LIKE 'x%'
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
	text   string   // the predicate as written, with its clause keyword
}

// colRef is a column as written: qualifier and name, lower case.
type colRef struct {
	qual, name string
	not        string // a ref name the column cannot be from (USING)
}

// and returns the conjunction of a and b, either of which may be nil.
func and(a, b *cond) *cond {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.op == condAnd:
		return &cond{op: condAnd, kids: append(append([]*cond(nil), a.kids...), b)}
	}
	return &cond{op: condAnd, kids: []*cond{a, b}}
}
