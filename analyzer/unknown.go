package analyzer

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"unicode"

	"github.com/crudmap/crudmap/graph"
	"golang.org/x/tools/go/ssa"
)

// An empty map must never be silent: when the SQL text of a query site
// stays unknown, the report says at how many sites, and why, from the
// shape of the code that gave the text.

// maxCauses bounds the causes a report lists.
const maxCauses = 5

// unknownSQL counts the sites with no known SQL text and groups them by
// cause; nil when there are none.
func (a *analysis) unknownSQL() *graph.UnknownSQL {
	counts := map[string]int{}
	total := 0
	for _, s := range a.sites() {
		if !unknownTextOf(s.text.text) {
			continue
		}
		total++
		counts[a.w.unknownCause(s)]++
	}
	if total == 0 {
		return nil
	}
	out := &graph.UnknownSQL{Sites: total}
	for cause, n := range counts {
		out.Causes = append(out.Causes, &graph.Cause{Cause: cause, Sites: n})
	}
	sort.Slice(out.Causes, func(i, j int) bool {
		if out.Causes[i].Sites != out.Causes[j].Sites {
			return out.Causes[i].Sites > out.Causes[j].Sites
		}
		return out.Causes[i].Cause < out.Causes[j].Cause
	})
	out.Causes = out.Causes[:min(len(out.Causes), maxCauses)]
	return out
}

// unknownTextOf reports whether an SQL text holds nothing known: no word,
// only the "?" of unknown parts and the punctuation around them.
func unknownTextOf(text string) bool {
	return strings.IndexFunc(text, unicode.IsLetter) < 0
}

// unknownCause says in a few words why a site's text is unknown.
func (w *walker) unknownCause(s *site) string {
	db := w.db.classify(s.call)
	switch {
	case db.kind == dbStmtRun:
		return "a prepared statement crudmap cannot trace to its Prepare"
	case db.from == fromBuilder:
		return "a query builder crudmap cannot follow to its start"
	case db.from == fromMapped:
		return "a gorp row type no AddTable call registers"
	case db.from == fromNamed:
		return "a query name or queries file crudmap cannot find"
	case db.sqlArg < 0 || db.sqlArg >= len(s.call.Args):
		return "a call that takes no SQL text (" + s.method + ")"
	case w.frameCount[s.fn] >= maxFramesPerFunc:
		return w.framesCause(s.fn)
	}
	return w.valueCause(s.call.Args[db.sqlArg], map[ssa.Value]bool{})
}

// valueCause describes where an SQL text crudmap could not resolve comes
// from.
func (w *walker) valueCause(v ssa.Value, seen map[ssa.Value]bool) string {
	if seen[v] {
		return "a text built in a loop"
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Parameter:
		return "a parameter no caller crudmap followed sets"
	case *ssa.FreeVar:
		return "a variable captured by a closure"
	case *ssa.ChangeType:
		return w.valueCause(v.X, seen)
	case *ssa.Convert:
		return w.valueCause(v.X, seen)
	case *ssa.MakeInterface:
		return w.valueCause(v.X, seen)
	case *ssa.BinOp:
		if unknown := w.resolve(v.X, nil); len(unknown.texts) == 0 {
			return w.valueCause(v.X, seen)
		}
		return w.valueCause(v.Y, seen)
	case *ssa.Phi:
		for _, e := range v.Edges {
			if len(w.resolve(e, nil).texts) == 0 {
				return w.valueCause(e, seen)
			}
		}
		return "a text built in a loop"
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return w.loadCause(v.X)
		}
	case *ssa.Lookup:
		return "a map element"
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			return w.callCause(call.Common(), seen)
		}
	case *ssa.Call:
		return w.callCause(v.Common(), seen)
	}
	return "a value crudmap cannot resolve"
}

// loadCause describes a load of a variable, field or global.
func (w *walker) loadCause(addr ssa.Value) string {
	switch a := addr.(type) {
	case *ssa.Global:
		return "a package variable set where crudmap cannot see (" + a.Name() + ")"
	case *ssa.FieldAddr:
		st := a.X.Type().Underlying().(*types.Pointer).Elem()
		field := st.Underlying().(*types.Struct).Field(a.Field).Name()
		return "a struct field set where crudmap cannot see (" + shortType(st) + "." + field + ")"
	case *ssa.IndexAddr:
		return "an element of a slice or array"
	}
	return "a variable set where crudmap cannot see"
}

// callCause describes the result of a call.
func (w *walker) callCause(c *ssa.CallCommon, seen map[ssa.Value]bool) string {
	if c.IsInvoke() {
		return "the result of an interface method (" + c.Method.Name() + ")"
	}
	callee := c.StaticCallee()
	if callee == nil {
		return "the result of a function value"
	}
	if obj, ok := callee.Object().(*types.Func); ok && callee.Blocks == nil && obj.Pkg() != nil {
		_, recv, name := calleeName(c)
		return "the result of " + obj.Pkg().Name() + "." + strings.TrimPrefix(recv+".", ".") + name
	}
	if w.frameCount[callee] >= maxFramesPerFunc {
		return w.framesCause(callee)
	}
	for _, a := range c.Args {
		if _, known := a.(*ssa.Const); isString(a.Type()) && !known {
			// A module function that rewrites the text it is given
			// (PrepareQuery(q)): the cause is where that text comes from.
			return w.valueCause(a, seen)
		}
	}
	return "the result of a module function (" + w.ix.name(callee) + ")"
}

// framesCause is the cause for a function called in more calling contexts
// than crudmap tells apart: past maxFramesPerFunc it is walked knowing
// nothing of its arguments.
func (w *walker) framesCause(fn *ssa.Function) string {
	return fmt.Sprintf("a function called in more than %d contexts, walked past them knowing nothing (%s)", maxFramesPerFunc, w.ix.name(fn))
}

// shortType names a type with its package's name: stuffbin.FileSystem.
func shortType(t types.Type) string {
	return types.TypeString(t, func(p *types.Package) string { return p.Name() })
}
