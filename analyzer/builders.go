package analyzer

import (
	"go/constant"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// Query builders and mappers (PATTERNS D8): squirrel and leporo/sqlf here,
// go-gorp in gorp.go. The SQL they send is not written anywhere, but the table, the
// operation and the literal predicate columns are in the calls that build
// it; crudmap writes the SQL those calls describe, so that the index check
// and the N+1 detection work on it as on written SQL.
//
// A builder value is known by its recipe: the builder calls that made it,
// in order, each a step (the method and its SQL arguments). The recipe
// rides in the value's texts, so it flows through variables, branches,
// fields, parameters and returns as SQL text does, and a builder chosen per
// branch has a recipe per branch. Only a builder-typed value holds a
// recipe, and only the call that runs or prints the builder (ToSql,
// RunWith(db).Query, sqlf's Exec, String) turns it into SQL.

// Builder packages.
const (
	pkgSquirrel = "github.com/Masterminds/squirrel"
	pkgSqlf     = "github.com/leporo/sqlf"
)

// Recipe separators: a step starts with stepSep, its arguments with argSep.
const (
	stepSep = "\x1e"
	argSep  = "\x1f"
)

// textFrom says where a database call's SQL text comes from.
type textFrom int

const (
	fromArg     textFrom = iota // the string argument sqlArg
	fromBuilder                 // the builder in argument sqlArg, rendered
	fromMapped                  // gorp: the table mapped to the rows in argument sqlArg
	fromNamed                   // a named query: the name in argument sqlArg, the set in argument 0
)

// classifyLibrary classifies a call of a builder, gorp or a named-query
// library that runs SQL.
func classifyLibrary(c *ssa.CallCommon, obj *types.Func) dbCall {
	sig := obj.Type().(*types.Signature)
	recv := ""
	if sig.Recv() != nil {
		recv = recvTypeName(sig.Recv().Type())
	}
	switch path := obj.Pkg().Path(); {
	case isGorpPkg(path) && (recv == "DbMap" || recv == "Transaction"):
		return classifyGorp(obj.Name(), recv, sig, c, 1)
	case isBuilderPkg(path):
		return classifyBuilder(obj, recv, c)
	case isNamedPkg(path):
		return classifyNamed(obj, recv, c)
	}
	return dbCall{}
}

// isBuilderPkg reports whether path is a query builder's package.
func isBuilderPkg(path string) bool {
	return path == pkgSquirrel || path == pkgSqlf
}

// builderRuns are the builder methods that run the SQL they build.
var builderRuns = setOf("Query", "QueryContext", "QueryRow", "QueryRowContext", "Exec", "ExecContext",
	"Scan", "ScanContext", "QueryAndClose", "QueryRowAndClose", "ExecAndClose")

// classifyBuilder classifies a call of a builder's method that runs its
// SQL: sq.Select(...).RunWith(db).Query(), sqlf's q.Exec(ctx, db).
func classifyBuilder(obj *types.Func, recv string, c *ssa.CallCommon) dbCall {
	if recv == "" || !builderRuns[obj.Name()] || len(c.Args) == 0 {
		return dbCall{}
	}
	call := dbCall{kind: dbQuery, sqlArg: 0, from: fromBuilder, handle: c.Args[0],
		method: obj.Pkg().Name() + "." + recv + "." + obj.Name()}
	if obj.Pkg().Path() == pkgSqlf && len(c.Args) > 2 {
		call.handle = c.Args[2] // q.Exec(ctx, db)
	}
	return call
}

// builderCall resolves a call that returns a builder: its receiver's
// recipe followed by this call's step. A call that starts a builder
// (sq.Select, sqlf.From, a StatementBuilder's or Dialect's Select) has no
// receiver recipe; StatementBuilder and Dialect values hold none. It
// returns nil when c is no call of a builder package.
func (r *resolver) builderCall(c *ssa.CallCommon, f *frame, seen map[ssa.Value]bool, depth int) *value {
	pkg, recv, name := calleeName(c)
	if !isBuilderPkg(pkg) {
		return nil
	}
	sig := c.Signature()
	if sig.Results().Len() != 1 || !isBuilderType(sig.Results().At(0).Type()) || isStatementBuilder(sig.Results().At(0).Type()) {
		return &value{}
	}
	args := c.Args
	head := []sqlText{{}}
	if recv != "" && len(args) > 0 {
		if !isStatementBuilder(args[0].Type()) {
			// A chain of builder calls is as long as the code: like a
			// string grown step by step, it costs no resolution depth
			// (cycles are cut by seen, the work by the step bound).
			head = textsOf(r.resolveDepth(args[0], f, seen, depth))
		}
		args = args[1:]
	}
	step := []sqlText{{text: stepSep + name}}
	for i, a := range args {
		step = concat(step, []sqlText{{text: argSep}})
		if i > 0 && isInterface(a.Type()) {
			step = concat(step, []sqlText{{text: "?"}}) // Set(column, value)
			continue
		}
		step = concat(step, r.builderArg(a, f, seen, depth))
	}
	return &value{texts: concat(head, step)}
}

// libraryResult resolves the result of a call of a builder or a
// named-query library: a builder's recipe, the SQL a builder prints, a set
// of named queries. It returns nil when c is none of these.
func (r *resolver) libraryResult(c *ssa.CallCommon, f *frame, seen map[ssa.Value]bool, depth int) *value {
	if t := r.builtSQL(c, f, seen, depth); t != nil {
		return t
	}
	if t := r.builderCall(c, f, seen, depth); t != nil {
		return t
	}
	return r.namedLoad(c, f, seen, depth)
}

// builtSQL resolves the SQL text a builder prints: squirrel's ToSql,
// sqlf's String. It returns nil when c is neither.
func (r *resolver) builtSQL(c *ssa.CallCommon, f *frame, seen map[ssa.Value]bool, depth int) *value {
	pkg, recv, name := calleeName(c)
	if !(pkg == pkgSquirrel && recv != "" && name == "ToSql" || pkg == pkgSqlf && recv == "Stmt" && name == "String") || len(c.Args) == 0 {
		return nil
	}
	return &value{texts: renderAll(textsOf(r.resolveDepth(c.Args[0], f, seen, depth+1)))}
}

// builderArg returns the SQL an argument of a builder call contributes:
// a string, a list of strings (one argument each), or a predicate
// (sq.Eq{"email": e}, sq.Expr("x = ?", v), sq.And{...}). Values bound to
// placeholders are "?".
func (r *resolver) builderArg(a ssa.Value, f *frame, seen map[ssa.Value]bool, depth int) []sqlText {
	switch t := a.Type().Underlying().(type) {
	case *types.Basic:
		if t.Info()&types.IsString != 0 {
			return textsOf(r.resolveDepth(a, f, seen, depth+1))
		}
	case *types.Slice:
		if isString(t.Elem()) {
			return []sqlText{{text: strings.Join(r.joinedElems(a, f, seen, depth), argSep)}}
		}
		return []sqlText{{}}
	case *types.Interface:
		return r.predicate(a, f, seen, depth)
	case *types.Map: // SetMap(map[string]interface{}{"name": n})
		return []sqlText{{text: strings.Join(mapKeys(a), argSep)}}
	case *types.Pointer, *types.Struct:
		return []sqlText{{}} // a subquery, a destination
	}
	return []sqlText{{text: "?"}}
}

// joinedElems returns the first variant of each element of a slice of
// strings.
func (r *resolver) joinedElems(a ssa.Value, f *frame, seen map[ssa.Value]bool, depth int) []string {
	elems, _ := r.sliceElems(a, f, seen, depth)
	var out []string
	for _, e := range elems {
		if len(e) > 0 {
			out = append(out, e[0].text)
		}
	}
	return out
}

// predicate returns the SQL of a squirrel predicate passed as an
// interface: a string, an Eq-like map with constant keys, Expr, And, Or.
// What crudmap cannot read is "?", a placeholder.
func (r *resolver) predicate(a ssa.Value, f *frame, seen map[ssa.Value]bool, depth int) []sqlText {
	x := a
	if mi, ok := a.(*ssa.MakeInterface); ok {
		x = mi.X
	}
	if isString(x.Type()) {
		return textsOf(r.resolveDepth(x, f, seen, depth+1))
	}
	if call, ok := x.(*ssa.Call); ok {
		if pkg, _, fn := calleeName(call.Common()); pkg == pkgSquirrel && fn == "Expr" && len(call.Call.Args) > 0 {
			return textsOf(r.resolveDepth(call.Call.Args[0], f, seen, depth+1)) // sq.Expr("x = ?", v)
		}
	}
	named, _ := x.Type().(*types.Named)
	if named == nil || named.Obj().Pkg() == nil || named.Obj().Pkg().Path() != pkgSquirrel {
		return []sqlText{{text: "?"}}
	}
	switch name := named.Obj().Name(); name {
	case "Eq", "NotEq", "Lt", "Gt", "LtOrEq", "GtOrEq", "Like", "NotLike", "ILike", "NotILike":
		return []sqlText{{text: mapPredicate(x, comparisons[name])}}
	case "And", "Or":
		var parts []string
		if sl, ok := x.(*ssa.Slice); ok {
			if alloc, ok := sl.X.(*ssa.Alloc); ok {
				for _, e := range arrayValues(alloc) {
					parts = append(parts, r.predicate(e, f, seen, depth)[0].text)
				}
			}
		}
		if len(parts) == 0 {
			return []sqlText{{text: "?"}}
		}
		return []sqlText{{text: "(" + strings.Join(parts, " "+strings.ToUpper(name)+" ") + ")"}}
	}
	return []sqlText{{text: "?"}}
}

// comparisons are the operators of squirrel's map predicates.
var comparisons = map[string]string{
	"Eq": "=", "NotEq": "<>", "Lt": "<", "Gt": ">", "LtOrEq": "<=", "GtOrEq": ">=",
	"Like": "LIKE", "NotLike": "NOT LIKE", "ILike": "ILIKE", "NotILike": "NOT ILIKE",
}

// mapPredicate renders a map literal of column → value (sq.Eq{"email": e})
// as "email = ? AND ...", its constant keys sorted.
func mapPredicate(m ssa.Value, op string) string {
	cols := mapKeys(m)
	if len(cols) == 0 {
		return "?"
	}
	parts := make([]string, len(cols))
	for i, col := range cols {
		parts[i] = col + " " + op + " ?"
	}
	return strings.Join(parts, " AND ")
}

// mapKeys returns the constant keys of a map literal, sorted.
func mapKeys(m ssa.Value) []string {
	mm, ok := m.(*ssa.MakeMap)
	if !ok {
		return nil
	}
	var keys []string
	for _, ref := range *mm.Referrers() {
		if up, ok := ref.(*ssa.MapUpdate); ok {
			if k, ok := up.Key.(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.String {
				keys = append(keys, constant.StringVal(k.Value))
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// isInterface reports whether t is an interface type.
func isInterface(t types.Type) bool {
	_, ok := t.Underlying().(*types.Interface)
	return ok
}

// isBuilderType reports whether t is a builder of squirrel or sqlf.
func isBuilderType(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := t.(*types.Named)
	return ok && named.Obj().Pkg() != nil && isBuilderPkg(named.Obj().Pkg().Path()) &&
		(strings.HasSuffix(named.Obj().Name(), "Builder") || named.Obj().Name() == "Stmt" || isStatementBuilder(t))
}

// isStatementBuilder reports whether t is squirrel's StatementBuilderType
// or sqlf's Dialect, which only start builders.
func isStatementBuilder(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := t.(*types.Named)
	return ok && named.Obj().Pkg() != nil && isBuilderPkg(named.Obj().Pkg().Path()) &&
		(named.Obj().Name() == "StatementBuilderType" || named.Obj().Name() == "Dialect")
}

// renderAll renders each recipe as SQL; a builder crudmap could not
// follow to its start has no known text.
func renderAll(recipes []sqlText) []sqlText {
	out := make([]sqlText, 0, len(recipes))
	for _, t := range recipes {
		if !strings.Contains(t.text, stepSep) {
			out = append(out, sqlText{dynamic: true})
			continue
		}
		sql, partial := renderRecipe(t.text)
		out = append(out, sqlText{text: sql, dynamic: t.dynamic || partial, cut: t.cut})
	}
	return out
}

// callTexts returns the SQL texts a database call runs.
func (r *resolver) callTexts(c *ssa.CallCommon, db dbCall, f *frame) []sqlText {
	if db.sqlArg < 0 || db.sqlArg >= len(c.Args) {
		return []sqlText{{dynamic: true}}
	}
	switch db.from {
	case fromBuilder:
		return renderAll(r.sqlTexts(c.Args[db.sqlArg], f))
	case fromMapped:
		return r.mappedTexts(c, db, f)
	case fromNamed:
		return r.namedTexts(c, db, f)
	}
	return r.sqlTexts(c.Args[db.sqlArg], f)
}

// statement is a recipe read step by step, in the clauses of the SQL it
// builds.
type statement struct {
	verb, table    string
	columns, sets  []string
	joins          []string
	where, having  []string
	groupBy, order []string
	limit, suffix  string
	// partial is set by a call the statement does not render (a
	// subquery, a prefix): the SQL written is then only part of it.
	partial bool
}

// renderRecipe writes the SQL a builder recipe describes; partial is true
// when some of its calls are left out.
func renderRecipe(recipe string) (sql string, partial bool) {
	var s statement
	steps := strings.Split(recipe, stepSep)
	for _, step := range steps[1:] {
		parts := strings.Split(step, argSep)
		s.apply(parts[0], parts[1:])
	}
	return s.sql(), s.partial
}

// builderNoSQL are the builder calls that add nothing to the SQL text:
// destinations, runners, placeholders, bound values.
var builderNoSQL = setOf("To", "Bind", "RunWith", "PlaceholderFormat", "Values", "Offset", "Distinct", "Options")

// apply reads one builder call into s.
func (s *statement) apply(method string, args []string) {
	arg := func(i int) string {
		if i < len(args) {
			return args[i]
		}
		return ""
	}
	switch method {
	case "Select":
		if s.verb == "" {
			s.verb = "SELECT"
		}
		s.columns = append(s.columns, nonEmpty(args)...)
	case "From":
		if s.verb == "" {
			s.verb = "SELECT"
		}
		s.table = arg(0)
	case "Insert", "InsertInto", "Into", "Replace":
		if method != "Into" {
			s.verb = "INSERT"
		}
		if arg(0) != "" {
			s.table = arg(0)
		}
	case "Update":
		s.verb, s.table = "UPDATE", arg(0)
	case "Delete", "DeleteFrom":
		s.verb = "DELETE"
		if arg(0) != "" {
			s.table = arg(0)
		}
	case "Columns":
		s.columns = append(s.columns, nonEmpty(args)...)
	case "Set", "SetExpr":
		s.sets = append(s.sets, arg(0))
	case "SetMap":
		s.sets = append(s.sets, nonEmpty(args)...)
	case "Where":
		s.where = append(s.where, nonEmpty(args[:min(1, len(args))])...)
	case "Having":
		s.having = append(s.having, nonEmpty(args[:min(1, len(args))])...)
	case "Join", "InnerJoin", "LeftJoin", "RightJoin", "FullJoin", "CrossJoin", "JoinClause":
		s.join(method, args)
	case "GroupBy":
		s.groupBy = append(s.groupBy, nonEmpty(args)...)
	case "OrderBy":
		s.order = append(s.order, nonEmpty(args)...)
	case "Limit", "Paginate":
		s.limit = "?"
	case "Suffix", "Returning":
		if method == "Returning" {
			s.suffix = "RETURNING " + arg(0)
		} else {
			s.suffix = arg(0)
		}
	default:
		s.partial = s.partial || !builderNoSQL[method]
	}
}

// join adds a join: squirrel's Join("posts p ON p.user_id = u.id"), sqlf's
// Join("posts p", "p.user_id = u.id").
func (s *statement) join(method string, args []string) {
	kind := map[string]string{"LeftJoin": "LEFT JOIN", "RightJoin": "RIGHT JOIN", "FullJoin": "FULL JOIN",
		"CrossJoin": "CROSS JOIN", "JoinClause": ""}[method]
	if kind == "" && method != "JoinClause" {
		kind = "JOIN"
	}
	clause := strings.TrimSpace(kind + " " + args[0])
	if len(args) > 1 && args[1] != "" {
		clause += " ON " + args[1]
	}
	s.joins = append(s.joins, clause)
}

// sql writes the statement.
func (s *statement) sql() string {
	var b strings.Builder
	clause := func(keyword string, parts []string, sep string) {
		if len(parts) > 0 {
			b.WriteString(" " + keyword + " " + strings.Join(parts, sep))
		}
	}
	switch s.verb {
	case "INSERT":
		b.WriteString("INSERT INTO " + s.table)
		cols := append(append([]string{}, s.columns...), s.sets...)
		if len(cols) > 0 {
			b.WriteString(" (" + strings.Join(cols, ", ") + ") VALUES (" + placeholders(len(cols)) + ")")
		} else {
			b.WriteString(" VALUES (?)")
		}
	case "UPDATE":
		sets := make([]string, len(s.sets))
		for i, c := range s.sets {
			sets[i] = c + " = ?"
		}
		if len(sets) == 0 {
			sets = []string{"?"}
		}
		b.WriteString("UPDATE " + s.table + " SET " + strings.Join(sets, ", "))
	case "DELETE":
		b.WriteString("DELETE FROM " + s.table)
	default:
		cols := s.columns
		if len(cols) == 0 {
			cols = []string{"*"}
		}
		b.WriteString("SELECT " + strings.Join(cols, ", "))
		if s.table != "" {
			b.WriteString(" FROM " + s.table)
		}
		for _, j := range s.joins {
			b.WriteString(" " + j)
		}
	}
	clause("WHERE", parenthesised(s.where), " AND ")
	if s.verb == "" || s.verb == "SELECT" {
		clause("GROUP BY", s.groupBy, ", ")
		clause("HAVING", parenthesised(s.having), " AND ")
		clause("ORDER BY", s.order, ", ")
		if s.limit != "" {
			b.WriteString(" LIMIT ?")
		}
	}
	if s.suffix != "" {
		b.WriteString(" " + s.suffix)
	}
	return b.String()
}

// parenthesised wraps each of several conditions in parentheses, as the
// builders do when they join them with AND.
func parenthesised(conds []string) []string {
	if len(conds) < 2 {
		return conds
	}
	out := make([]string, len(conds))
	for i, c := range conds {
		out[i] = "(" + c + ")"
	}
	return out
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}
