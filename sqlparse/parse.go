package sqlparse

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	_ "github.com/pingcap/tidb/pkg/parser/test_driver" // the parser's value-expression driver
)

// Op is what a statement does to a table.
type Op string

// The operations on a table.
const (
	Select Op = "SELECT"
	Insert Op = "INSERT"
	Update Op = "UPDATE"
	Delete Op = "DELETE"
	Other  Op = "OTHER" // TRUNCATE and DDL
)

// TableOp is one operation of a statement on one table.
type TableOp struct {
	Table string // lower case, without schema qualifier
	Op    Op
}

// Statement is what Parse learns about an SQL text.
type Statement struct {
	// Kind is the first statement's kind in upper case: SELECT, INSERT,
	// REPLACE, UPDATE, DELETE, SET, TRUNCATE, CREATE, DROP, ALTER, BEGIN,
	// COMMIT, ROLLBACK, SHOW, ...
	Kind string
	// Tables lists each (table, op) once, in order of first appearance.
	Tables []TableOp
	// Locking reports a SELECT ... FOR UPDATE, FOR SHARE or LOCK IN SHARE
	// MODE anywhere in the text.
	Locking bool
	// Writes reports that some statement inserts, updates, deletes or
	// replaces rows, truncates a table or changes the schema.
	Writes bool

	text   string   // the text parsed, after rewriting
	blocks []*block // the query blocks, in order of appearance
}

// ErrEmpty is returned by Parse for a text holding no statement.
var ErrEmpty = errors.New("no SQL statement")

// parsers holds idle parsers: a parser serves one goroutine at a time.
var parsers = sync.Pool{New: func() any { return parser.New() }}

// Parse parses sql, which may hold several ;-separated statements. It
// first rewrites Postgres $N, SQLite ?N and sqlx :name placeholders to ?,
// and a few other dialect forms to MySQL (see the package doc). The error
// is the parser's message.
func Parse(sql string) (st *Statement, err error) {
	p := parsers.Get().(*parser.Parser)
	defer func() {
		if r := recover(); r != nil {
			st, err = nil, fmt.Errorf("internal error reading the statement: %v", r)
			return // drop the parser: it may be in a bad state
		}
		parsers.Put(p)
	}()
	text := rewrite(sql)
	nodes, err := parseMode(p, text, 0)
	if err != nil && strings.Contains(text, `"`) {
		if n, err2 := parseMode(p, text, mysql.ModeANSIQuotes); err2 == nil {
			nodes, err = n, nil
		}
	}
	if err != nil {
		return nil, err
	}
	if len(nodes) == 0 {
		return nil, ErrEmpty
	}
	return build(text, nodes), nil
}

// parseMode parses text in the given SQL mode. The nodes are valid until
// p parses again.
func parseMode(p *parser.Parser, text string, mode mysql.SQLMode) ([]ast.StmtNode, error) {
	p.SetSQLMode(mode)
	nodes, _, err := p.Parse(text, "", "")
	return nodes, err
}

// KeyColumns returns the columns the first query block compares for
// equality with a value when that block reads one table: what a loop
// running the statement per element would collect to run it once
// ("WHERE course_id = ?" gives course_id).
func (st *Statement) KeyColumns() []string {
	if st == nil || len(st.blocks) == 0 || len(st.blocks[0].refs) != 1 {
		return nil
	}
	var out []string
	var walk func(n *cond)
	walk = func(n *cond) {
		switch {
		case n == nil:
		case n.op == condAnd:
			for _, k := range n.kids {
				walk(k)
			}
		case n.op == condPred && n.col != nil && n.use == useEq && !n.pair && !n.null && len(n.others) == 0:
			if !slices.Contains(out, n.col.name) {
				out = append(out, n.col.name)
			}
		}
	}
	walk(st.blocks[0].where)
	return out
}
