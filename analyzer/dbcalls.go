package analyzer

import (
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// The packages whose calls run SQL.
const (
	pkgSQL  = "database/sql"
	pkgSQLX = "github.com/jmoiron/sqlx"
)

// dbKind classifies a call of a database/sql or sqlx function.
type dbKind int

const (
	notDB     dbKind = iota
	dbQuery          // runs the SQL text passed as an argument
	dbStmtRun        // runs the SQL its receiver, a prepared statement, holds
	dbPrepare        // prepares SQL that a statement runs later
	dbStmtOf         // tx.Stmt(stmt): a prepared statement, moved into a transaction
	dbBegin          // begins a transaction
)

// Method names by what they do. sqlx's names extend database/sql's.
var (
	queryMethods = setOf("Query", "QueryContext", "QueryRow", "QueryRowContext", "Exec", "ExecContext",
		"Get", "GetContext", "Select", "SelectContext", "Queryx", "QueryxContext", "QueryRowx", "QueryRowxContext",
		"MustExec", "MustExecContext", "NamedExec", "NamedExecContext", "NamedQuery", "NamedQueryContext")
	prepareMethods = setOf("Prepare", "PrepareContext", "Preparex", "PreparexContext", "PrepareNamed", "PrepareNamedContext",
		"MustPrepare", "MustPrepareContext")
	stmtOfMethods = setOf("Stmt", "StmtContext", "Stmtx", "StmtxContext", "NamedStmt", "NamedStmtContext")
	beginMethods  = setOf("Begin", "BeginTx", "Beginx", "BeginTxx", "MustBegin", "MustBeginTx")
)

func setOf(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return m
}

// dbCall is a classified database call.
type dbCall struct {
	kind   dbKind
	method string    // e.g. "sqlx.DB.GetContext"
	sqlArg int       // index in CallCommon.Args of the SQL text, or -1
	handle ssa.Value // the DB, Tx, Conn or Stmt the call runs on
	opts   ssa.Value // BeginTx's *sql.TxOptions, if any
}

// dbTypes are the concrete handle types of database/sql and sqlx, used to
// recognise an application's own interfaces over them.
type dbTypes []types.Type

// findDBTypes looks up *sql.DB, *sql.Tx, *sql.Conn, *sqlx.DB and *sqlx.Tx
// among the packages the module imports.
func findDBTypes(pkgs []*types.Package) dbTypes {
	var out dbTypes
	seen := map[*types.Package]bool{}
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		if p.Path() == pkgSQL || p.Path() == pkgSQLX {
			for _, name := range []string{"DB", "Tx", "Conn"} {
				if tn, ok := p.Scope().Lookup(name).(*types.TypeName); ok {
					out = append(out, types.NewPointer(tn.Type()))
				}
			}
		}
		for _, imp := range p.Imports() {
			visit(imp)
		}
	}
	for _, p := range pkgs {
		visit(p)
	}
	return out
}

// classify tells whether c runs, prepares or begins SQL, and how.
func (dt dbTypes) classify(c *ssa.CallCommon) dbCall {
	if c.IsInvoke() {
		return dt.classifyInvoke(c)
	}
	callee := c.StaticCallee()
	if callee == nil {
		return dbCall{}
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok || obj.Pkg() == nil || (obj.Pkg().Path() != pkgSQL && obj.Pkg().Path() != pkgSQLX) {
		return dbCall{}
	}
	sig := obj.Type().(*types.Signature)
	recvName := ""
	offset := 0
	if sig.Recv() != nil {
		recvName = recvTypeName(sig.Recv().Type())
		offset = 1
	}
	call := classifyName(obj.Name(), recvName)
	if call.kind == notDB {
		return call
	}
	call.method = obj.Pkg().Name() + "." + strings.TrimPrefix(recvName+".", ".") + obj.Name()
	if len(c.Args) > 0 {
		call.handle = c.Args[0] // the receiver, or a package function's Queryer
	}
	if sig.Recv() == nil && len(c.Args) > 1 && isContext(sig.Params().At(0).Type()) {
		call.handle = c.Args[1] // sqlx.GetContext(ctx, tx, ...)
	}
	call.sqlArg = firstString(sig, offset)
	if call.kind == dbBegin && len(c.Args) > 2 {
		call.opts = c.Args[2]
	}
	return call
}

func (dt dbTypes) classifyInvoke(c *ssa.CallCommon) dbCall {
	name := c.Method.Name()
	call := classifyName(name, "")
	if call.kind == notDB {
		return call
	}
	iface, ok := c.Value.Type().Underlying().(*types.Interface)
	if !ok || !dt.implements(c.Value.Type(), iface) {
		return dbCall{}
	}
	call.method = types.TypeString(c.Value.Type(), func(p *types.Package) string { return p.Name() }) + "." + name
	call.handle = c.Value
	call.sqlArg = firstString(c.Method.Type().(*types.Signature), 0)
	if call.kind == dbBegin && len(c.Args) > 1 {
		call.opts = c.Args[1]
	}
	return call
}

// implements reports whether an interface is database/sql's or sqlx's own,
// or one that their handles satisfy.
func (dt dbTypes) implements(t types.Type, iface *types.Interface) bool {
	if named, ok := t.(*types.Named); ok && named.Obj().Pkg() != nil {
		if p := named.Obj().Pkg().Path(); p == pkgSQL || p == pkgSQLX {
			return true
		}
	}
	for _, h := range dt {
		if types.Implements(h, iface) {
			return true
		}
	}
	return false
}

// classifyName classifies a method (or, with recv "", a function or an
// interface method) by name.
func classifyName(name, recv string) dbCall {
	call := dbCall{sqlArg: -1}
	switch {
	case recv == "Stmt" || recv == "NamedStmt":
		if queryMethods[name] {
			call.kind = dbStmtRun
		}
	case recv == "Rows" || recv == "Row" || recv == "Result":
	case beginMethods[name]:
		call.kind = dbBegin
	case prepareMethods[name]:
		call.kind = dbPrepare
	case stmtOfMethods[name] && recv == "Tx":
		call.kind = dbStmtOf
	case queryMethods[name]:
		call.kind = dbQuery
	}
	return call
}

// firstString returns the index in a call's Args of the first string
// parameter of sig, or -1; offset is 1 when Args starts with the receiver.
func firstString(sig *types.Signature, offset int) int {
	for i := 0; i < sig.Params().Len(); i++ {
		if b, ok := sig.Params().At(i).Type().Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
			return i + offset
		}
	}
	return -1
}

// isContext reports whether t is context.Context.
func isContext(t types.Type) bool {
	named, ok := t.(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "context" && named.Obj().Name() == "Context"
}
