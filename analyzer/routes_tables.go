package analyzer

import (
	"go/constant"
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// tableRow binds, for one row of a table of routes, each value a
// registration loop reads from the row to the value the row holds:
//
//	for _, rt := range []route{{"GET", "/users", listUsers}, ...} {
//		mux.HandleFunc(rt.method+" "+rt.path, rt.h)
//	}
//
// registers one route per row, each with its own handler. A nil row binds
// nothing.
type tableRow map[ssa.Value]ssa.Value

// value returns what v is in the row: the row's value, or v.
func (row tableRow) value(v ssa.Value) ssa.Value {
	if w, ok := row[peel(v)]; ok {
		return w
	}
	return v
}

// tableRows returns the rows of the table a registration's arguments are
// read from: a slice or array of structs (or pointers to structs) built
// from a literal, or a map from pattern to handler. It returns one nil
// row when the arguments read no table.
func (rf *routeFinder) tableRows(args []ssa.Value) []tableRow {
	for _, a := range args {
		if a == nil {
			continue
		}
		if rows := rf.rowsRead(a, 0); len(rows) > 0 {
			return rows
		}
	}
	return []tableRow{nil}
}

// rowsRead finds the table element v is read from and returns the rows.
func (rf *routeFinder) rowsRead(v ssa.Value, depth int) []tableRow {
	if depth > 6 {
		return nil
	}
	switch x := peel(v).(type) {
	case *ssa.BinOp:
		if rows := rf.rowsRead(x.X, depth+1); len(rows) > 0 {
			return rows
		}
		return rf.rowsRead(x.Y, depth+1)
	case *ssa.Field:
		return rf.rowsRead(x.X, depth+1)
	case *ssa.UnOp:
		if x.Op != token.MUL {
			return nil
		}
		switch a := x.X.(type) {
		case *ssa.IndexAddr:
			return rf.sliceRows(a)
		case *ssa.FieldAddr:
			return rf.rowsRead(a.X, depth+1)
		}
	case *ssa.Alloc: // the loop variable, kept in a variable of its own
		if v := storedAt(x); v != nil {
			return rf.rowsRead(v, depth+1)
		}
	case *ssa.Extract:
		if next, ok := x.Tuple.(*ssa.Next); ok && !next.IsString {
			return rf.mapRows(next)
		}
	}
	return nil
}

// sliceRows returns the rows of the slice or array elem indexes, one per
// element, binding the loop's reads of the element (and of its fields)
// to what the literal stored there.
func (rf *routeFinder) sliceRows(elem *ssa.IndexAddr) []tableRow {
	alloc := rf.arrayAlloc(elem.X)
	if alloc == nil {
		return nil
	}
	var rows []tableRow
	for _, ref := range *alloc.Referrers() {
		at, ok := ref.(*ssa.IndexAddr)
		if !ok || !isConstIndex(at.Index) {
			continue
		}
		fields := storedFields(at)
		row := tableRow{}
		bindElement(row, elem, fields)
		rows = append(rows, row)
	}
	return rows
}

// arrayAlloc returns the array a slice or array value is built on: a
// literal in the function, or where the value comes from (see
// definition).
func (rf *routeFinder) arrayAlloc(v ssa.Value) *ssa.Alloc {
	for depth := 0; depth < 8; depth++ {
		switch x := v.(type) {
		case *ssa.Alloc:
			return x
		case *ssa.Slice:
			v = x.X
		default:
			if v = rf.definition(v); v == nil {
				return nil
			}
		}
	}
	return nil
}

// definition returns the one value v is set to elsewhere: what the only
// store into a global put there, what a module function returns from its
// only return, what the only caller passes for a parameter; or nil.
func (rf *routeFinder) definition(v ssa.Value) ssa.Value {
	switch x := v.(type) {
	case *ssa.UnOp:
		if g, ok := x.X.(*ssa.Global); ok && x.Op == token.MUL && len(rf.ix.globalStores[g]) == 1 {
			return rf.ix.globalStores[g][0]
		}
	case *ssa.Call:
		if callee := x.Call.StaticCallee(); callee != nil && rf.ix.inModule[callee.Pkg] {
			if rets := returnedValues(callee, 0); len(rets) == 1 {
				return rets[0]
			}
		}
	case *ssa.Parameter:
		if callers := rf.ix.callers[x.Parent()]; len(callers) == 1 {
			if i := paramIndex(x); i < len(callers[0].Args) {
				return callers[0].Args[i]
			}
		}
	}
	return nil
}

func isConstIndex(v ssa.Value) bool {
	c, ok := v.(*ssa.Const)
	return ok && c.Value != nil && c.Value.Kind() == constant.Int
}

// rowFields is what a literal stored in one element of a table: its
// fields by index, or (for an element that is a pointer or not a struct)
// the whole element at index -1.
type rowFields map[int]ssa.Value

// storedFields returns what was stored into the element at addresses:
// field by field (&a[i].path), or whole (a[i] = &route{...}), in which
// case the fields of that struct are taken too.
func storedFields(at *ssa.IndexAddr) rowFields {
	out := rowFields{}
	for _, ref := range *at.Referrers() {
		switch r := ref.(type) {
		case *ssa.FieldAddr:
			if v := storedAt(r); v != nil {
				out[r.Field] = v
			}
		case *ssa.Store:
			if r.Addr != at {
				continue
			}
			out[-1] = r.Val
			lit := r.Val
			if load, ok := lit.(*ssa.UnOp); ok && load.Op == token.MUL {
				lit = load.X // a[i] = *complit
			}
			if a, ok := lit.(*ssa.Alloc); ok {
				for _, aref := range *a.Referrers() {
					if fa, ok := aref.(*ssa.FieldAddr); ok {
						if v := storedAt(fa); v != nil {
							out[fa.Field] = v
						}
					}
				}
			}
		}
	}
	return out
}

// storedAt returns the value stored at addr, or nil.
func storedAt(addr ssa.Value) ssa.Value {
	for _, ref := range *addr.Referrers() {
		if st, ok := ref.(*ssa.Store); ok && st.Addr == addr {
			return st.Val
		}
	}
	return nil
}

// bindElement binds the loop's reads of the element at elem (the element,
// its fields, the fields of the struct it points to) to the row's fields.
func bindElement(row tableRow, elem *ssa.IndexAddr, fields rowFields) {
	for _, ref := range *elem.Referrers() {
		switch r := ref.(type) {
		case *ssa.UnOp: // rt := routes[i]
			if v, ok := fields[-1]; ok {
				row[r] = v
			}
			bindFields(row, r, fields)
		case *ssa.FieldAddr: // routes[i].path
			for _, fref := range *r.Referrers() {
				if load, ok := fref.(*ssa.UnOp); ok && load.Op == token.MUL {
					if v, ok := fields[r.Field]; ok {
						row[load] = v
					}
				}
			}
		}
	}
}

// bindFields binds the field reads of a loaded element: rt.path of a
// struct value (also when the loop variable is kept in a variable of its
// own), or (*rt).path of a pointer.
func bindFields(row tableRow, elem ssa.Value, fields rowFields) {
	for _, ref := range *elem.Referrers() {
		switch r := ref.(type) {
		case *ssa.Field:
			if v, ok := fields[r.Field]; ok {
				row[r] = v
			}
		case *ssa.FieldAddr:
			for _, fref := range *r.Referrers() {
				if load, ok := fref.(*ssa.UnOp); ok && load.Op == token.MUL {
					if v, ok := fields[r.Field]; ok {
						row[load] = v
					}
				}
			}
		case *ssa.Store:
			if a, ok := r.Addr.(*ssa.Alloc); ok && r.Val == elem {
				bindFields(row, a, fields)
			}
		}
	}
}

// mapRows returns one row per entry of the map literal a range loop
// iterates (for pattern, h := range handlers), binding the key and the
// value the loop reads.
func (rf *routeFinder) mapRows(next *ssa.Next) []tableRow {
	rng, ok := next.Iter.(*ssa.Range)
	if !ok {
		return nil
	}
	m := rng.X
	for depth := 0; depth < 4 && m != nil; depth++ {
		if _, ok := m.(*ssa.MakeMap); ok {
			break
		}
		m = rf.definition(m)
	}
	mk, ok := m.(*ssa.MakeMap)
	if !ok {
		return nil
	}
	var key, val *ssa.Extract
	for _, ref := range *next.Referrers() {
		if e, ok := ref.(*ssa.Extract); ok {
			switch e.Index {
			case 1:
				key = e
			case 2:
				val = e
			}
		}
	}
	var rows []tableRow
	for _, ref := range *mk.Referrers() {
		up, ok := ref.(*ssa.MapUpdate)
		if !ok {
			continue
		}
		row := tableRow{}
		if key != nil {
			row[key] = up.Key
		}
		if val != nil {
			row[val] = up.Value
		}
		rows = append(rows, row)
	}
	return rows
}
