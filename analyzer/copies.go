package analyzer

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A struct value copied from a variable (var UserProps = Props{Table:
// "users"}, then getObject(UserProps) storing its parameter in a local) is
// known by the variables it copies: a field of the copy holds what was
// stored in that field of the copied variable, not whatever any code
// stores in that field of any value of the type.

// copiesStruct reports whether a load through addr copies a struct.
func copiesStruct(addr ssa.Value) bool {
	p, ok := addr.Type().Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	_, ok = p.Elem().Underlying().(*types.Struct)
	return ok
}

// copiedField resolves a field of a variable holding a copy of known
// struct variables: a local assigned whole from them (a struct parameter),
// or a package variable assigned a struct literal. It returns nil when the
// variable is no such copy, or is used otherwise than through its fields.
func (r *resolver) copiedField(a *ssa.FieldAddr, cells []cell, seen map[ssa.Value]bool, depth int) *value {
	var sources []cell
	if g, ok := a.X.(*ssa.Global); ok {
		sources = r.stored(g, r.ix.globalStores[g], seen, depth).cells
	} else {
		for _, c := range cells {
			src, ok := r.copySources(c, seen, depth)
			if !ok {
				return nil
			}
			sources = append(sources, src...)
		}
	}
	if len(sources) == 0 {
		return nil
	}
	out := r.fieldOfCells(sources, a, seen, depth)
	if stored := r.storedInCells(cells, a, seen, depth); stored != nil {
		out.merge(stored) // props.Table = "x" after the copy
	}
	return out
}

// copySources returns the variables a local variable was assigned whole
// from, when each assignment copies known variables and the local is
// otherwise used only through its fields.
func (r *resolver) copySources(c cell, seen map[ssa.Value]bool, depth int) ([]cell, bool) {
	var out []cell
	for _, ref := range *c.alloc.Referrers() {
		switch ref := ref.(type) {
		case *ssa.FieldAddr, *ssa.DebugRef:
		case *ssa.Store:
			if ref.Addr != c.alloc {
				return nil, false
			}
			src := r.resolveDepth(ref.Val, c.frame, seen, depth+1).cells
			if len(src) == 0 {
				return nil, false
			}
			out = append(out, src...)
		default:
			return nil, false
		}
	}
	return out, len(out) > 0
}
