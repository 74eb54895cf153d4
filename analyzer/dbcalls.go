package analyzer

import (
	"fmt"
	"go/constant"
	"go/types"
	"strings"

	"github.com/crudmap/crudmap/sqlparse"
	"golang.org/x/tools/go/ssa"
)

// The packages whose calls run SQL.
const (
	pkgSQL  = "database/sql"
	pkgSQLX = "github.com/jmoiron/sqlx"
)

// pgxPackages are pgx's packages whose handles run SQL, v4 and v5.
var pgxPackages = setOf(
	"github.com/jackc/pgx/v5", "github.com/jackc/pgx/v5/pgxpool",
	"github.com/jackc/pgx/v4", "github.com/jackc/pgx/v4/pgxpool")

// dbKind classifies a call of a database/sql or sqlx function.
type dbKind int

const (
	notDB     dbKind = iota
	dbQuery          // runs the SQL text passed as an argument
	dbStmtRun        // runs the SQL its receiver, a prepared statement, holds
	dbPrepare        // prepares SQL that a statement runs later
	dbStmtOf         // tx.Stmt(stmt): a prepared statement, moved into a transaction
	dbBegin          // begins a transaction
	dbCopy           // pgx CopyFrom: inserts rows into the table it names (at sqlArg)
	dbOpen           // opens a database (sql.Open, pgxpool.New): its handle's dialect
)

// Method names by what they do. sqlx's names extend database/sql's.
var (
	queryMethods = setOf("Query", "QueryContext", "QueryRow", "QueryRowContext", "Exec", "ExecContext",
		"Get", "GetContext", "Select", "SelectContext", "Queryx", "QueryxContext", "QueryRowx", "QueryRowxContext",
		"MustExec", "MustExecContext", "NamedExec", "NamedExecContext", "NamedQuery", "NamedQueryContext")
	prepareMethods = setOf("Prepare", "PrepareContext", "Preparex", "PreparexContext", "PrepareNamed", "PrepareNamedContext",
		"MustPrepare", "MustPrepareContext")
	stmtOfMethods = setOf("Stmt", "StmtContext", "Stmtx", "StmtxContext", "NamedStmt", "NamedStmtContext")
	beginMethods  = setOf("Begin", "BeginTx", "Beginx", "BeginTxx", "MustBegin", "MustBeginTx", "BeginFunc", "BeginTxFunc")
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
	opts   ssa.Value // BeginTx's *sql.TxOptions or pgx.TxOptions, if any
	// body is the index in CallCommon.Args of the function a pgx
	// BeginFunc runs in the transaction, or 0 (the receiver or a context,
	// never a function).
	body int
	// batch marks pgx's batch.Queue(sql, ...): the statement runs in the
	// transaction of the SendBatch that sends the batch.
	batch bool
	// dialect is the dialect of the database a dbOpen call opens, or
	// Unknown when its driver name is not a constant.
	dialect sqlparse.Dialect
	// from says where the SQL text is when sqlArg is no SQL string: a
	// builder, gorp's mapped rows, a query's name (builders.go).
	from textFrom
}

// dbTypes are the concrete handle types of database/sql and sqlx, used to
// recognise an application's own interfaces over them.
type dbTypes []types.Type

// findDBTypes looks up *sql.DB, *sql.Tx, *sql.Conn, *sqlx.DB, *sqlx.Tx,
// and pgx's *pgx.Conn, pgx.Tx, *pgxpool.Pool and *pgxpool.Conn among the
// packages the module imports.
func findDBTypes(pkgs []*types.Package) dbTypes {
	var out dbTypes
	seen := map[*types.Package]bool{}
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		if seen[p] {
			return
		}
		seen[p] = true
		if p.Path() == pkgSQL || p.Path() == pkgSQLX || pgxPackages[p.Path()] {
			for _, name := range []string{"DB", "Tx", "Conn", "Pool"} {
				tn, ok := p.Scope().Lookup(name).(*types.TypeName)
				switch {
				case !ok:
				case types.IsInterface(tn.Type()):
					out = append(out, tn.Type()) // pgx.Tx
				default:
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
	if !ok || obj.Pkg() == nil {
		return dbCall{}
	}
	if d, ok := openCall(c, obj); ok {
		return dbCall{kind: dbOpen, sqlArg: -1, dialect: d, method: obj.Pkg().Name() + "." + obj.Name()}
	}
	if pgxPackages[obj.Pkg().Path()] {
		return classifyPgx(c, obj)
	}
	if call := classifyLibrary(c, obj); call.kind != notDB {
		return call
	}
	if obj.Pkg().Path() != pkgSQL && obj.Pkg().Path() != pkgSQLX {
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
	if isGorpType(c.Value.Type()) {
		return classifyGorp(name, "SqlExecutor", c.Method.Type().(*types.Signature), c, 0)
	}
	call := classifyName(name, "")
	if name == "CopyFrom" {
		call = dbCall{kind: dbCopy, sqlArg: 1} // (ctx, table, columns, rows)
	}
	if call.kind == notDB {
		return call
	}
	iface, ok := c.Value.Type().Underlying().(*types.Interface)
	if !ok || !dt.implements(c.Value.Type(), iface) {
		return dbCall{}
	}
	if isPgxType(c.Value.Type()) && name == "Prepare" {
		return dbCall{} // pgx prepares a named statement that Exec runs by name
	}
	call.method = types.TypeString(c.Value.Type(), func(p *types.Package) string { return p.Name() }) + "." + name
	call.handle = c.Value
	if call.kind != dbCopy {
		call.sqlArg = firstString(c.Method.Type().(*types.Signature), 0)
	}
	if call.kind == dbBegin && len(c.Args) > 1 {
		call.opts = c.Args[1]
	}
	if call.kind == dbBegin && strings.HasSuffix(name, "Func") {
		call.body = len(c.Args) - 1 // v4's tx.BeginFunc(ctx, f)
		call.opts = nil
		if name == "BeginTxFunc" {
			call.opts = c.Args[1]
		}
	}
	return call
}

// implements reports whether an interface is database/sql's or sqlx's own,
// pgx's Tx, or one that their handles satisfy.
func (dt dbTypes) implements(t types.Type, iface *types.Interface) bool {
	if named, ok := t.(*types.Named); ok && named.Obj().Pkg() != nil {
		if p := named.Obj().Pkg().Path(); p == pkgSQL || p == pkgSQLX {
			return true
		}
		if pgxPackages[named.Obj().Pkg().Path()] {
			return named.Obj().Name() == "Tx" // not Rows, Row or BatchResults
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

// pgxQueryMethods are the methods of pgx's connections, pools and
// transactions that run the SQL text they are given (v4's QueryFunc too).
var pgxQueryMethods = setOf("Query", "QueryRow", "Exec", "QueryFunc")

// classifyPgx classifies a static call of a pgx function or method:
// queries, Begin and BeginFunc on a pool, connection or transaction, the
// package's BeginFunc and BeginTxFunc, CopyFrom and a batch's Queue.
// Rows, batch results and queued queries run nothing of their own.
func classifyPgx(c *ssa.CallCommon, obj *types.Func) dbCall {
	sig := obj.Type().(*types.Signature)
	name, recv := obj.Name(), ""
	if sig.Recv() != nil {
		recv = recvTypeName(sig.Recv().Type())
	}
	call := dbCall{sqlArg: -1}
	call.method = obj.Pkg().Name() + "." + strings.TrimPrefix(recv+".", ".") + name
	if len(c.Args) > 0 {
		call.handle = c.Args[0]
	}
	last := len(c.Args) - 1
	switch {
	case recv == "" && (name == "BeginFunc" || name == "BeginTxFunc") && len(c.Args) >= 3:
		call.kind, call.handle, call.body = dbBegin, c.Args[1], last // pgx.BeginFunc(ctx, db, fn)
		if name == "BeginTxFunc" {
			call.opts = c.Args[2]
		}
	case recv == "Batch" && name == "Queue":
		call.kind, call.batch, call.sqlArg = dbQuery, true, firstString(sig, 1)
	case recv != "Conn" && recv != "Pool" && recv != "Tx":
	case pgxQueryMethods[name]:
		call.kind, call.sqlArg = dbQuery, firstString(sig, 1)
	case name == "CopyFrom":
		call.kind, call.sqlArg = dbCopy, 2 // (ctx, table, columns, rows)
	case name == "Begin" || name == "BeginTx":
		call.kind = dbBegin
		if name == "BeginTx" && len(c.Args) > 2 {
			call.opts = c.Args[2]
		}
	case name == "BeginFunc" || name == "BeginTxFunc":
		call.kind, call.body = dbBegin, last // v4's pool.BeginFunc(ctx, fn)
		if name == "BeginTxFunc" && len(c.Args) > 3 {
			call.opts = c.Args[2]
		}
	}
	return call
}

// isPgxType reports whether t is a type of pgx's.
func isPgxType(t types.Type) bool {
	named, ok := t.(*types.Named)
	return ok && named.Obj().Pkg() != nil && pgxPackages[named.Obj().Pkg().Path()]
}

// queryTexts returns the SQL texts a query call runs: its SQL argument's,
// or for CopyFrom an INSERT into the table it names.
func (w *walker) queryTexts(f *frame, c *ssa.CallCommon, db dbCall) []sqlText {
	switch {
	case db.sqlArg < 0 || db.sqlArg >= len(c.Args):
		return []sqlText{{dynamic: true}}
	case db.kind == dbCopy:
		return w.copyTexts(f, c.Args[db.sqlArg:])
	case db.from != fromArg:
		return w.callTexts(c, db, f)
	}
	return w.sqlTexts(c.Args[db.sqlArg], f)
}

// copyTexts returns the INSERT a CopyFrom(ctx, pgx.Identifier{...},
// columns, rows) amounts to, from its table name and columns.
func (w *walker) copyTexts(f *frame, args []ssa.Value) []sqlText {
	names, complete := w.sliceElems(unconverted(args[0]), f, map[ssa.Value]bool{}, 0)
	var parts []string
	for _, n := range names {
		if len(n) != 1 || n[0].dynamic {
			complete = false
			break
		}
		parts = append(parts, n[0].text)
	}
	if !complete || len(parts) == 0 {
		return []sqlText{{dynamic: true}}
	}
	text := "INSERT INTO " + strings.Join(parts, ".")
	cols, complete := w.sliceElems(unconverted(args[1]), f, map[ssa.Value]bool{}, 0)
	var colNames, marks []string
	for i, col := range cols {
		if len(col) != 1 || col[0].dynamic {
			complete = false
			break
		}
		colNames = append(colNames, col[0].text)
		marks = append(marks, fmt.Sprintf("$%d", i+1))
	}
	if complete && len(colNames) > 0 {
		text += " (" + strings.Join(colNames, ", ") + ") VALUES (" + strings.Join(marks, ", ") + ")"
	} else {
		text += " DEFAULT VALUES"
	}
	return []sqlText{{text: text}}
}

// unconverted returns v before the conversions between named and
// unnamed types that leave it the same (sqlc passes []string{"users"} as
// a pgx.Identifier).
func unconverted(v ssa.Value) ssa.Value {
	for {
		ct, ok := v.(*ssa.ChangeType)
		if !ok {
			return v
		}
		v = ct.X
	}
}

// handleOf returns the transactions a query call runs in and the dialect
// of its database: its handle's, or for a pgx batch's Queue those of the
// SendBatch calls in f that send the batch.
func (w *walker) handleOf(f *frame, db dbCall) ([]*origin, sqlparse.Dialect) {
	if !db.batch {
		h := w.resolve(db.handle, f)
		return beginsOf(h), handleDialect(h)
	}
	var txs []*origin
	for _, ref := range *db.handle.Referrers() {
		call, ok := ref.(ssa.CallInstruction)
		if !ok {
			continue
		}
		c := call.Common()
		switch {
		case c.IsInvoke() && c.Method.Name() == "SendBatch":
			txs = append(txs, beginsOf(w.resolve(c.Value, f))...)
		case !c.IsInvoke() && len(c.Args) > 0:
			if _, _, name := calleeName(c); name == "SendBatch" {
				txs = append(txs, beginsOf(w.resolve(c.Args[0], f))...)
			}
		}
	}
	return txs, sqlparse.Unknown
}

// txBody walks the function a pgx BeginFunc runs in the transaction o,
// with its transaction parameter bound to o, and adds what it does to s
// as done at the BeginFunc call.
func (w *walker) txBody(f *frame, s *summary, c *ssa.CallCommon, db dbCall, o *origin, loops []*loop) {
	if db.body <= 0 || db.body >= len(c.Args) {
		return
	}
	tx := &value{origins: []*origin{o}}
	for _, cl := range w.resolveWithin(c.Args[db.body], f, argSteps).funcs {
		t := w.closureFrame(cl, []*value{tx})
		if _, ok := w.active[t.key]; ok {
			continue
		}
		for _, e := range w.walk(t).events {
			s.add(e.calledFrom(f.fn, loops))
		}
	}
}

// queued reports whether e is a statement queued in a pgx batch, which
// runs no round trip of its own: queueing in a loop is how N+1 is fixed.
func (e *event) queued() bool {
	return e.site != nil && e.site.method == "pgx.Batch.Queue"
}

// pgxOpens are pgx's functions that connect to Postgres.
var pgxOpens = setOf("New", "NewWithConfig", "Connect", "ConnectConfig", "ConnectWithOptions", "OpenDB", "OpenDBFromPool")

// openCall reports whether c, a static call of obj, opens a database
// (sql.Open, sqlx.Open and Connect, pgxpool.New, pgx.Connect,
// stdlib.OpenDB), and the dialect of that database: the one its constant
// driver name or its package names, or Unknown.
func openCall(c *ssa.CallCommon, obj *types.Func) (sqlparse.Dialect, bool) {
	if obj.Type().(*types.Signature).Recv() != nil {
		return sqlparse.Unknown, false
	}
	path := obj.Pkg().Path()
	if i, ok := openFuncs[path+"."+obj.Name()]; ok {
		if i < len(c.Args) {
			if k, ok := c.Args[i].(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.String {
				return driverNames[strings.ToLower(constant.StringVal(k.Value))], true
			}
		}
		return sqlparse.Unknown, true
	}
	if (pgxPackages[path] || strings.HasSuffix(path, "/stdlib") && strings.HasPrefix(path, "github.com/jackc/pgx/")) && pgxOpens[obj.Name()] {
		return sqlparse.Postgres, true
	}
	return sqlparse.Unknown, false
}

// handleDialect returns the dialect of the database a handle value is
// opened on, directly or through the transaction it is: Unknown unless
// exactly one is known.
func handleDialect(v *value) sqlparse.Dialect {
	found := sqlparse.Unknown
	for _, o := range v.origins {
		switch {
		case o.dialect == sqlparse.Unknown:
		case found != sqlparse.Unknown && found != o.dialect:
			return sqlparse.Unknown
		default:
			found = o.dialect
		}
	}
	return found
}
