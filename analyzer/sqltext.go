package analyzer

import (
	"go/constant"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// unknownText stands for a part of an SQL text known only at run time.
var unknownText = sqlText{text: "?", dynamic: true}

// sqlTexts returns the SQL texts v may hold in frame f: one per variant,
// or a single dynamic text when nothing is known.
func (r *resolver) sqlTexts(v ssa.Value, f *frame) []sqlText {
	texts := r.resolve(v, f).texts
	if len(texts) == 0 {
		return []sqlText{{dynamic: true}}
	}
	return texts
}

// textsOf returns v's texts, or the unknown text.
func textsOf(v *value) []sqlText {
	if len(v.texts) == 0 {
		return []sqlText{unknownText}
	}
	return v.texts
}

// concat returns the concatenations of a text of xs and one of ys: the
// first maxVariants whole, and enough of the others, cut as capTexts
// cuts them, that each text of either side is in one.
func concat(xs, ys []sqlText) []sqlText {
	if len(xs) == 0 || len(ys) == 0 {
		return nil
	}
	var out []sqlText
	join := func(x, y sqlText) {
		loop := x.loop
		if loop == nil {
			loop = y.loop
		}
		out = append(out, sqlText{text: x.text + y.text, dynamic: x.dynamic || y.dynamic, loop: loop, cut: x.cut || y.cut})
	}
	for _, x := range xs[:min(len(xs), maxVariants)] {
		for _, y := range ys[:min(len(ys), maxVariants)] {
			join(x, y)
		}
	}
	if len(out) <= maxVariants && len(xs) <= maxVariants && len(ys) <= maxVariants {
		return out
	}
	for _, x := range xs[1:] {
		join(x, ys[0])
	}
	for _, y := range ys[1:] {
		join(xs[0], y)
	}
	return capTexts(out)
}

// isPassThrough reports whether c returns its first argument's SQL text
// rewritten but with the same tables: sqlx.In, sqlx.Named.
func isPassThrough(c *ssa.CallCommon) bool {
	pkg, _, name := calleeName(c)
	return pkg == pkgSQLX && (name == "In" || name == "Named")
}

// calleeName returns the package path, receiver type name and name of a
// static callee, or "" for each when there is none.
func calleeName(c *ssa.CallCommon) (pkg, recv, name string) {
	callee := c.StaticCallee()
	if callee == nil {
		return "", "", ""
	}
	obj, ok := callee.Object().(*types.Func)
	if !ok || obj.Pkg() == nil {
		return "", "", callee.Name()
	}
	if r := obj.Type().(*types.Signature).Recv(); r != nil {
		recv = recvTypeName(r.Type())
	}
	return obj.Pkg().Path(), recv, obj.Name()
}

// stringCall resolves the string functions SQL is commonly built with, or
// returns nil when c is none of them.
func (r *resolver) stringCall(c *ssa.CallCommon, f *frame, seen map[ssa.Value]bool, depth int) *value {
	arg := func(i int) []sqlText { return textsOf(r.resolveDepth(c.Args[i], f, seen, depth+1)) }
	if b, ok := c.Value.(*ssa.Builtin); ok && b.Name() == "append" {
		return nil
	}
	pkg, recv, name := calleeName(c)
	switch {
	case pkg == "fmt" && name == "Sprintf" && len(c.Args) == 2:
		return &value{texts: r.sprintf(arg(0), c.Args[1], f, seen, depth)}
	case pkg == "strings" && name == "Join" && len(c.Args) == 2:
		return &value{texts: r.join(c.Args[0], arg(1), f, seen, depth)}
	case pkg == "strings" && name == "Repeat" && len(c.Args) == 2:
		return &value{texts: dynamicAll(arg(0))}
	case pkg == "strings" && (name == "TrimSpace" || name == "ToLower" || name == "ToUpper") && len(c.Args) == 1:
		return &value{texts: arg(0)}
	case pkg == "strings" && trims[name] != nil && len(c.Args) == 2:
		return &value{texts: trim(trims[name], arg(0), arg(1))}
	case pkg == pkgSQLX && name == "Rebind" && len(c.Args) == 2:
		return &value{texts: arg(1)}
	case pkg == pkgSQLX && recv != "" && name == "Rebind" && len(c.Args) == 2:
		return &value{texts: arg(1)}
	case pkg == "strconv" || (pkg == "fmt" && name == "Sprint"):
		return &value{texts: []sqlText{unknownText}}
	}
	return nil
}

// trims are the strings functions that cut a known suffix, prefix or set
// from SQL built in a loop ("(?, ?)," then TrimSuffix(q, ",")).
var trims = map[string]func(s, cut string) string{
	"TrimSuffix": strings.TrimSuffix,
	"TrimPrefix": strings.TrimPrefix,
	"TrimRight":  strings.TrimRight,
	"TrimLeft":   strings.TrimLeft,
	"Trim":       strings.Trim,
}

// trim applies a trim function to every text with every known cut. The
// ends of a dynamic text are what was written last and first, so they are
// trimmed too.
func trim(fn func(s, cut string) string, texts, cuts []sqlText) []sqlText {
	var out []sqlText
	for _, t := range texts {
		for _, c := range cuts {
			if !c.dynamic {
				t.text = fn(t.text, c.text)
			}
			out = append(out, t)
		}
	}
	return capTexts(out)
}

// builtText resolves the String method of a strings.Builder or
// bytes.Buffer declared in the function: what was written to it, in
// order. Writes that happen only in a branch or a loop are all kept, as
// appended conditions are, and make the text dynamic; so does a builder
// handed to other code. It returns nil when call is no such method.
func (r *resolver) builtText(call *ssa.Call, f *frame, seen map[ssa.Value]bool, depth int) *value {
	pkg, recv, name := calleeName(&call.Call)
	if name != "String" || !(pkg == "strings" && recv == "Builder" || pkg == "bytes" && recv == "Buffer") {
		return nil
	}
	alloc, ok := call.Call.Args[0].(*ssa.Alloc)
	if !ok {
		return &value{texts: []sqlText{unknownText}}
	}
	var writes []ssa.CallInstruction
	dynamic := false
	for _, ref := range *alloc.Referrers() {
		switch ref := ref.(type) {
		case *ssa.DebugRef:
		case ssa.CallInstruction:
			if ref != call {
				writes = append(writes, ref)
			}
		case *ssa.MakeInterface: // fmt.Fprintf(&sb, ...)
			for _, iref := range *ref.Referrers() {
				if c, ok := iref.(ssa.CallInstruction); ok {
					writes = append(writes, c)
				}
			}
		default:
			dynamic = true
		}
	}
	sort.Slice(writes, func(i, j int) bool { return writes[i].Pos() < writes[j].Pos() })
	if src := runeRewritten(writes); src != nil {
		return r.resolveDepth(src, f, seen, depth+1) // see runewrite.go
	}
	texts := []sqlText{{}}
	for _, group := range alternatives(writes) {
		var parts []sqlText
		for _, w := range group {
			part := r.written(w.Common(), f, seen, depth)
			if part == nil {
				part = []sqlText{unknownText}
			}
			parts = append(parts, part...)
			dynamic = dynamic || !w.Block().Dominates(call.Block())
		}
		if len(group) > 1 {
			parts = append(parts, sqlText{}) // none of them
		}
		texts = concat(texts, parts)
	}
	if dynamic {
		texts = dynamicAll(texts)
	}
	return &value{texts: texts}
}

// alternatives groups writes, in order, into runs of which at most one
// happens: the cases of a switch (ORDER BY one column or another). Writes
// that may all happen are groups of their own.
func alternatives(writes []ssa.CallInstruction) [][]ssa.CallInstruction {
	var groups [][]ssa.CallInstruction
	for _, w := range writes {
		if n := len(groups); n > 0 && excludesAll(w, groups[n-1]) {
			groups[n-1] = append(groups[n-1], w)
			continue
		}
		groups = append(groups, []ssa.CallInstruction{w})
	}
	return groups
}

// excludesAll reports whether w runs on no path that runs any of group.
func excludesAll(w ssa.CallInstruction, group []ssa.CallInstruction) bool {
	for _, g := range group {
		a, b := w.Block(), g.Block()
		if a == b || reaches(a, b) || reaches(b, a) {
			return false
		}
	}
	return true
}

// reaches reports whether a path leads from block a to block b.
func reaches(a, b *ssa.BasicBlock) bool {
	seen := map[*ssa.BasicBlock]bool{a: true}
	stack := []*ssa.BasicBlock{a}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, s := range x.Succs {
			if s == b {
				return true
			}
			if !seen[s] {
				seen[s] = true
				stack = append(stack, s)
			}
		}
	}
	return false
}

// written returns the texts a call writes to a builder, or nil when it is
// a call crudmap does not know.
func (r *resolver) written(c *ssa.CallCommon, f *frame, seen map[ssa.Value]bool, depth int) []sqlText {
	arg := func(i int) []sqlText { return textsOf(r.resolveDepth(c.Args[i], f, seen, depth+1)) }
	pkg, recv, name := calleeName(c)
	switch {
	case (recv == "Builder" || recv == "Buffer") && name == "WriteString" && len(c.Args) == 2:
		return arg(1)
	case (recv == "Builder" || recv == "Buffer") && (name == "WriteByte" || name == "WriteRune") && len(c.Args) == 2:
		if k, ok := c.Args[1].(*ssa.Const); ok {
			if n, ok := constant.Int64Val(k.Value); ok {
				return []sqlText{{text: string(rune(n))}}
			}
		}
	case pkg == "fmt" && name == "Fprintf" && len(c.Args) == 3:
		return r.sprintf(arg(1), c.Args[2], f, seen, depth)
	case pkg == "fmt" && name == "Fprint" && len(c.Args) == 2:
		if elems, _ := r.sliceElems(c.Args[1], f, seen, depth); len(elems) == 1 {
			return elems[0]
		}
	}
	return nil
}

func dynamicAll(ts []sqlText) []sqlText {
	out := make([]sqlText, len(ts))
	for i, t := range ts {
		t.dynamic = true
		out[i] = t
	}
	return out
}

// sprintf formats each format variant with every variant of the
// arguments, cut as capTexts cuts them; an unknown argument becomes
// "?" and makes the text dynamic.
func (r *resolver) sprintf(formats []sqlText, argSlice ssa.Value, f *frame, seen map[ssa.Value]bool, depth int) []sqlText {
	elems, _ := r.sliceElems(argSlice, f, seen, depth)
	return capTexts(pinRepeated(formats, elems, sameArgs(argSlice, len(elems))))
}

// sameArgs returns, for each of n arguments a variadic call passes in
// argSlice, the first argument that is the same value, or nil when the
// arguments are not known: fmt.Sprintf(q, t, t) gives [0 0].
func sameArgs(argSlice ssa.Value, n int) []int {
	sl, ok := argSlice.(*ssa.Slice)
	if !ok {
		return nil
	}
	alloc, ok := sl.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	vals := make([]ssa.Value, n)
	for _, ref := range *alloc.Referrers() {
		ia, ok := ref.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		k, ok := ia.Index.(*ssa.Const)
		if !ok || k.Int64() < 0 || k.Int64() >= int64(n) {
			continue
		}
		for _, iref := range *ia.Referrers() {
			if st, ok := iref.(*ssa.Store); ok && st.Addr == ia {
				v := st.Val
				if mi, ok := v.(*ssa.MakeInterface); ok {
					v = mi.X
				}
				vals[k.Int64()] = v
			}
		}
	}
	first := make([]int, n)
	for i, v := range vals {
		first[i] = i
		for j := 0; j < i && v != nil; j++ {
			if vals[j] == v {
				first[i] = first[j]
				break
			}
		}
	}
	return first
}

// pinRepeated formats each format with the arguments' texts, an argument
// used several times taking the same text in each variant: with t either
// a or b, Sprintf(q, t, t) gives (a, a) and (b, b), never (a, b).
func pinRepeated(formats []sqlText, elems [][]sqlText, first []int) []sqlText {
	for i := range first {
		if first[i] == i || len(elems[first[i]]) < 2 {
			continue
		}
		p := first[i]
		var out []sqlText
		for _, alt := range elems[p] {
			pinned := append([][]sqlText{}, elems...)
			for q := range first {
				if first[q] == p {
					pinned[q] = []sqlText{alt}
				}
			}
			out = append(out, pinRepeated(formats, pinned, first)...)
		}
		return out
	}
	return formatAll(formats, elems)
}

// formatAll formats each format with every combination of the arguments'
// texts.
func formatAll(formats []sqlText, elems [][]sqlText) []sqlText {
	var out []sqlText
	for _, format := range formats {
		texts := []sqlText{{dynamic: format.dynamic}}
		next := 0
		s := format.text
		lit := 0 // start of the literal text not yet added
		for i := 0; i < len(s); i++ {
			if s[i] != '%' {
				continue
			}
			j := i + 1
			for j < len(s) && strings.IndexByte("+-# 0123456789.[]*", s[j]) >= 0 {
				j++
			}
			if j >= len(s) {
				break
			}
			texts = concat(texts, []sqlText{{text: s[lit:i]}})
			if s[j] == '%' {
				texts = concat(texts, []sqlText{{text: "%"}})
			} else {
				arg := []sqlText{unknownText}
				if next < len(elems) && len(elems[next]) > 0 {
					arg = elems[next]
				}
				next++
				texts = concat(texts, arg)
			}
			i, lit = j, j+1
		}
		out = append(out, concat(texts, []sqlText{{text: s[min(lit, len(s)):]}})...)
	}
	return out
}

// join joins every element the slice may hold: conditions appended one by
// one are all reported, and the text is dynamic when some are optional.
func (r *resolver) join(slice ssa.Value, seps []sqlText, f *frame, seen map[ssa.Value]bool, depth int) []sqlText {
	elems, complete := r.sliceElems(slice, f, seen, depth)
	var parts []string
	dynamic := !complete
	for _, e := range elems {
		if len(e) == 0 {
			continue
		}
		parts = append(parts, e[0].text)
		dynamic = dynamic || e[0].dynamic || len(e) > 1
	}
	if len(parts) == 0 {
		return []sqlText{unknownText}
	}
	return []sqlText{{text: strings.Join(parts, seps[0].text), dynamic: dynamic}}
}

// sliceElems returns what each element of a slice of strings may hold,
// following append, composite literals and variadic arguments; complete is
// false when the slice's content depends on control flow or is unknown.
func (r *resolver) sliceElems(v ssa.Value, f *frame, seen map[ssa.Value]bool, depth int) (elems [][]sqlText, complete bool) {
	if depth > maxResolveDepth {
		return nil, false
	}
	return r.sliceChain(v, f, seen, depth, map[ssa.Value]sliceResult{})
}

// sliceResult is the memoised content of a slice value.
type sliceResult struct {
	elems    [][]sqlText
	complete bool
}

// sliceChain follows the appends and merges that built a slice. The chain
// of "if x { conds = append(conds, ...) }" blocks is as long as the code:
// it costs no resolution depth, and each value is followed once.
func (r *resolver) sliceChain(v ssa.Value, f *frame, seen map[ssa.Value]bool, depth int, memo map[ssa.Value]sliceResult) ([][]sqlText, bool) {
	if res, ok := memo[v]; ok {
		return res.elems, res.complete
	}
	if seen[v] {
		return nil, false
	}
	seen[v] = true
	defer delete(seen, v)
	var res sliceResult
	switch v := v.(type) {
	case *ssa.Const, *ssa.MakeSlice:
		res.complete = true // nil or empty
	case *ssa.Slice:
		if alloc, ok := v.X.(*ssa.Alloc); ok {
			res = sliceResult{r.arrayElems(alloc, f, seen, depth), true}
		} else {
			res.elems, res.complete = r.sliceChain(v.X, f, seen, depth, memo)
		}
	case *ssa.Phi:
		for _, e := range v.Edges {
			es, _ := r.sliceChain(e, f, seen, depth, memo)
			res.elems = appendNew(res.elems, es)
		}
	case *ssa.Call:
		if b, ok := v.Call.Value.(*ssa.Builtin); ok && b.Name() == "append" && len(v.Call.Args) == 2 {
			head, ok1 := r.sliceChain(v.Call.Args[0], f, seen, depth, memo)
			tail, ok2 := r.sliceChain(v.Call.Args[1], f, seen, depth, memo)
			res = sliceResult{append(append([][]sqlText{}, head...), tail...), ok1 && ok2}
		}
	}
	memo[v] = res
	return res.elems, res.complete
}

// arrayElems returns what each element of an array may hold, in order.
func (r *resolver) arrayElems(alloc *ssa.Alloc, f *frame, seen map[ssa.Value]bool, depth int) [][]sqlText {
	var elems [][]sqlText
	for _, v := range arrayValues(alloc) {
		elems = append(elems, textsOf(r.resolveDepth(v, f, seen, depth+1)))
	}
	return elems
}

// appendNew appends the element variants of es not yet in elems.
func appendNew(elems, es [][]sqlText) [][]sqlText {
	for _, e := range es {
		dup := false
		for _, d := range elems {
			if len(d) > 0 && len(e) > 0 && d[0].same(e[0]) {
				dup = true
				break
			}
		}
		if !dup {
			elems = append(elems, e)
		}
	}
	return elems
}
