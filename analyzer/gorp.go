package analyzer

import (
	"go/constant"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// go-gorp (PATTERNS D8): its SQL-taking methods run the text they are
// given; Insert, Update, Delete and Get run SQL gorp writes for the table
// registered for the row's type with AddTableWithName.

// isGorpPkg reports whether path is a version of go-gorp.
func isGorpPkg(path string) bool {
	switch path {
	case "github.com/go-gorp/gorp", "github.com/go-gorp/gorp/v2", "github.com/go-gorp/gorp/v3",
		"gopkg.in/gorp.v1", "gopkg.in/gorp.v2", "gopkg.in/gorp.v3":
		return true
	}
	return false
}

// isGorpType reports whether t is one of gorp's types (its SqlExecutor
// interface, mostly).
func isGorpType(t types.Type) bool {
	named, ok := t.(*types.Named)
	return ok && named.Obj().Pkg() != nil && isGorpPkg(named.Obj().Pkg().Path())
}

// gorpSQL are the gorp methods that run SQL given as an argument.
var gorpSQL = setOf("Select", "SelectOne", "Exec", "SelectInt", "SelectNullInt", "SelectFloat", "SelectNullFloat",
	"SelectStr", "SelectNullStr", "Query", "QueryRow")

// gorpMapped are the gorp methods that run SQL for the rows they are given,
// with the operation each runs.
var gorpMapped = map[string]string{"Insert": "INSERT", "Update": "UPDATE", "UpdateColumns": "UPDATE", "Delete": "DELETE", "Get": "SELECT"}

// classifyGorp classifies a call of a method of gorp's DbMap, Transaction
// or SqlExecutor. recvArgs is 1 when c's Args start with the receiver.
func classifyGorp(name, recv string, sig *types.Signature, c *ssa.CallCommon, recvArgs int) dbCall {
	call := dbCall{sqlArg: -1, method: "gorp." + recv + "." + name}
	if c.IsInvoke() {
		call.handle = c.Value
	} else if len(c.Args) > 0 {
		call.handle = c.Args[0]
	}
	switch {
	case gorpSQL[name]:
		call.kind, call.sqlArg = dbQuery, firstString(sig, recvArgs)
	case gorpMapped[name] != "":
		call.kind, call.from, call.sqlArg = dbQuery, fromMapped, recvArgs
		if name == "UpdateColumns" {
			call.sqlArg++ // UpdateColumns(filter, list...)
		}
	case name == "Prepare":
		call.kind, call.sqlArg = dbPrepare, firstString(sig, recvArgs)
	case name == "Begin":
		call.kind = dbBegin
	default:
		return dbCall{}
	}
	return call
}

// gorpTable is a table registered with gorp for a Go type.
type gorpTable struct {
	name string
	keys []string // from SetKeys
}

// gorpTables returns the tables the module registers, by row type:
// dbmap.AddTableWithName(Row{}, "rows").SetKeys(true, "id"); AddTable(Row{})
// names the table after the type.
func (r *resolver) gorpTables() map[types.Type]*gorpTable {
	src := r.sources()
	if src.gorp != nil {
		return src.gorp
	}
	src.gorp = map[types.Type]*gorpTable{}
	for _, fn := range r.ix.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(*ssa.Call); ok {
					addGorpTable(src.gorp, call)
				}
			}
		}
	}
	return src.gorp
}

// addGorpTable records the table an AddTable call registers, if call is one.
func addGorpTable(tables map[types.Type]*gorpTable, call *ssa.Call) {
	pkg, _, name := calleeName(&call.Call)
	args := call.Call.Args
	if !isGorpPkg(pkg) || !strings.HasPrefix(name, "AddTable") || len(args) < 2 {
		return
	}
	t := rowType(args[1])
	if t == nil {
		return
	}
	table := &gorpTable{name: typeName(t), keys: setKeys(call)}
	if k, ok := args[len(args)-1].(*ssa.Const); ok && len(args) > 2 && k.Value != nil && k.Value.Kind() == constant.String {
		table.name = constant.StringVal(k.Value)
	}
	tables[t] = table
}

// setKeys returns the key columns a SetKeys call on the result of an
// AddTable call names: AddTableWithName(Row{}, "rows").SetKeys(true, "id").
func setKeys(add *ssa.Call) []string {
	for _, ref := range *add.Referrers() {
		c, ok := ref.(ssa.CallInstruction)
		if !ok {
			continue
		}
		if _, _, name := calleeName(c.Common()); name != "SetKeys" || len(c.Common().Args) < 3 {
			continue
		}
		sl, ok := c.Common().Args[2].(*ssa.Slice)
		if !ok {
			return nil
		}
		alloc, ok := sl.X.(*ssa.Alloc)
		if !ok {
			return nil
		}
		var keys []string
		for _, v := range arrayValues(alloc) {
			if mi, ok := v.(*ssa.MakeInterface); ok {
				v = mi.X
			}
			if k, ok := v.(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.String {
				keys = append(keys, constant.StringVal(k.Value))
			}
		}
		return keys
	}
	return nil
}

// rowType returns the struct type of a row passed as an interface
// (Row{}, &row), or nil.
func rowType(v ssa.Value) types.Type {
	if mi, ok := v.(*ssa.MakeInterface); ok {
		v = mi.X
	}
	t := v.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if _, ok := t.Underlying().(*types.Struct); !ok {
		return nil
	}
	return t
}

// typeName is the name of a named type, as gorp's AddTable uses it.
func typeName(t types.Type) string {
	if named, ok := t.(*types.Named); ok {
		return named.Obj().Name()
	}
	return t.String()
}

// mappedTexts writes the SQL gorp runs for the rows passed in argument i of
// a mapped call (Insert(&row), Get(Row{}, id)).
func (r *resolver) mappedTexts(c *ssa.CallCommon, db dbCall, f *frame) []sqlText {
	op := gorpMapped[db.method[strings.LastIndexByte(db.method, '.')+1:]]
	if db.sqlArg >= len(c.Args) {
		return []sqlText{{dynamic: true}}
	}
	var rows []ssa.Value
	if sl, ok := c.Args[db.sqlArg].(*ssa.Slice); ok {
		if alloc, ok := sl.X.(*ssa.Alloc); ok {
			rows = arrayValues(alloc)
		}
	} else {
		rows = []ssa.Value{c.Args[db.sqlArg]}
	}
	tables := r.gorpTables()
	var out []sqlText
	for _, row := range rows {
		t := rowType(row)
		if t == nil {
			continue
		}
		for rt, table := range tables {
			if types.Identical(rt, t) {
				out = append(out, sqlText{text: gorpSQLFor(op, table, columnsOf(t))})
			}
		}
	}
	if len(out) == 0 {
		return []sqlText{{dynamic: true}}
	}
	return out
}

// gorpSQLFor writes the statement gorp runs for op on a table.
func gorpSQLFor(op string, t *gorpTable, cols []string) string {
	var where []string
	for _, k := range t.keys {
		where = append(where, k+" = ?")
	}
	s := statement{verb: op, table: t.name, where: where}
	switch op {
	case "INSERT":
		s.columns, s.where = cols, nil
	case "UPDATE":
		for _, c := range cols {
			if !contains(t.keys, c) {
				s.sets = append(s.sets, c)
			}
		}
	case "SELECT":
		s.columns = cols
	}
	return s.sql()
}

// columnsOf returns the columns gorp maps a struct to: each exported field's
// db tag, or its name, embedded structs flattened, "-" left out.
func columnsOf(t types.Type) []string {
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	var cols []string
	for i := 0; i < st.NumFields(); i++ {
		fld := st.Field(i)
		if !fld.Exported() {
			continue
		}
		if fld.Embedded() {
			cols = append(cols, columnsOf(fld.Type())...)
			continue
		}
		name := strings.Split(reflect.StructTag(st.Tag(i)).Get("db"), ",")[0]
		switch name {
		case "-":
			continue
		case "":
			name = fld.Name()
		}
		cols = append(cols, name)
	}
	return cols
}
