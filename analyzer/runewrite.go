package analyzer

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// An SQL text rewritten rune by rune into a builder, to renumber its
// placeholders for Postgres or change its quotes,
//
//	for _, r := range query {
//		switch r {
//		case '?':
//			b.WriteString("$" + strconv.Itoa(n))
//		default:
//			b.WriteRune(r)
//		}
//	}
//
// is the statement it rewrites: the same tables, operations and columns.
// crudmap reports the text it rewrites.

// runeRewritten returns the string whose runes the writes copy into a
// builder, one by one in a range loop, or nil when no write does.
func runeRewritten(writes []ssa.CallInstruction) ssa.Value {
	for _, w := range writes {
		c := w.Common()
		if _, recv, name := calleeName(c); (recv != "Builder" && recv != "Buffer") || (name != "WriteRune" && name != "WriteByte") || len(c.Args) != 2 {
			continue
		}
		if s := rangedString(c.Args[1]); s != nil {
			return s
		}
	}
	return nil
}

// rangedString returns s when v is the rune of a "for _, r := range s"
// loop over a string, or nil.
func rangedString(v ssa.Value) ssa.Value {
	if conv, ok := v.(*ssa.Convert); ok { // WriteByte(byte(r))
		v = conv.X
	}
	ex, ok := v.(*ssa.Extract)
	if !ok || ex.Index != 2 {
		return nil
	}
	next, ok := ex.Tuple.(*ssa.Next)
	if !ok || !next.IsString {
		return nil
	}
	rng, ok := next.Iter.(*ssa.Range)
	if !ok {
		return nil
	}
	if b, ok := rng.X.Type().Underlying().(*types.Basic); !ok || b.Info()&types.IsString == 0 {
		return nil
	}
	return rng.X
}
