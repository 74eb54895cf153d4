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
	// COMMIT, ROLLBACK, SHOW, ... For WITH ..., it is the kind of the
	// statement using the common table expressions: a WITH whose bodies
	// write is a SELECT that Writes.
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

// Parse parses sql, a query of a database whose dialect is not known: as
// ParseDialect with Unknown.
func Parse(sql string) (*Statement, error) {
	return ParseDialect(sql, Unknown)
}

// ParseDialect parses sql, which may hold several ;-separated statements,
// written for a database of dialect d. MySQL texts are parsed as they
// are, after Postgres $N, SQLite ?N and sqlx :name placeholders become ?
// and SQLite's INSERT OR REPLACE, RETURNING and ON CONFLICT become MySQL
// forms. Postgres and SQLite texts are first rewritten into MySQL forms
// with the same tables, operations and predicates (see rewritePostgres
// and splitScript). An Unknown text is read in the dialect guess
// returns, then in the other. The error is the parser's message for the
// dialect tried first.
func ParseDialect(sql string, d Dialect) (st *Statement, err error) {
	p := parsers.Get().(*parser.Parser)
	defer func() {
		if r := recover(); r != nil {
			st, err = nil, fmt.Errorf("internal error reading the statement: %v", r)
			return // drop the parser: it may be in a bad state
		}
		parsers.Put(p)
	}()
	switch d {
	case MySQL:
		return parseMySQL(p, sql)
	case Postgres, SQLite:
		return parsePostgres(p, sql)
	}
	first, second := parseMySQL, parsePostgres
	if guess(sql) == Postgres {
		first, second = parsePostgres, parseMySQL
	}
	st, err = first(p, sql)
	if err != nil && err != ErrEmpty {
		if st2, err2 := second(p, sql); err2 == nil {
			return st2, nil
		}
	}
	return st, err
}

// parseMySQL parses a MySQL text (see ParseDialect).
func parseMySQL(p *parser.Parser, sql string) (*Statement, error) {
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
	return build(text, nodes, nil, 0), nil
}

// parsePostgres parses a Postgres or SQLite text: rewritten by
// rewritePostgres, cut by splitScript, and parsed with || as string
// concatenation and "quoted" names. A statement MySQL has no form for (CREATE FUNCTION,
// DO $$ ... $$, LISTEN) is reported by its kind alone.
func parsePostgres(p *parser.Parser, sql string) (*Statement, error) {
	if st := otherStatement(sql); st != nil {
		return st, nil
	}
	if st := parseDDLScript(p, sql); st != nil {
		return st, nil
	}
	sql = cursorQuery(sql)
	sc := splitScript(rewritePostgres(sql))
	text := strings.Join(sc.stmts, ";\n")
	nodes, err := parseMode(p, text, mysql.ModePipesAsConcat|mysql.ModeANSIQuotes)
	if err != nil {
		return nil, err
	}
	if len(nodes) == 0 {
		return nil, ErrEmpty
	}
	return build(text, nodes, sc.ctes, min(sc.kindAt, len(nodes)-1)), nil
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
