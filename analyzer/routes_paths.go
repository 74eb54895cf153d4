package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/go/ssa"
)

// maxPathVariants bounds the paths one route path argument may be.
const maxPathVariants = 8

// maxPathCallers bounds the call sites looked at for the value of a path
// parameter: past it, the parameter is a placeholder.
const maxPathCallers = 32

// pathTemplates returns the paths (or "METHOD /path" patterns) v may be
// in frame f. Constants are folded, through concatenation, path.Join,
// fmt.Sprintf and the strings trims; what is known only at run time is a
// named placeholder: the variable, field or global it is read from
// (cfg.BasePath + "/v1" is "{basePath}/v1"). A field is read from its own
// object only: a struct variable crudmap follows, or a placeholder, never
// the values stored into that field of other objects of the same type.
// row, when not nil, binds the row fields read in a registration loop
// over a table of routes.
func (r *resolver) pathTemplates(v ssa.Value, f *frame, row tableRow) []string {
	out := r.templates(v, f, row, 0)
	for i, t := range out {
		out[i] = placeholderBraces.Replace(t)
	}
	return out
}

// placeholderBraces spells the placeholders of a built path in braces.
var placeholderBraces = strings.NewReplacer(phOpen, "{", phClose, "}")

// phOpen and phClose delimit a placeholder while paths are built, apart
// from the braces of the path's own parameters ("/users/{id}").
const phOpen, phClose = "\x01", "\x02"

// templates is pathTemplates with placeholders between phOpen and
// phClose, depth values deep.
func (r *resolver) templates(v ssa.Value, f *frame, row tableRow, depth int) []string {
	if depth > maxResolveDepth {
		return []string{placeholder(v)}
	}
	if w, ok := row[v]; ok {
		return r.templates(w, frameOf(w, f), nil, depth+1)
	}
	rec := func(w ssa.Value) []string { return r.templates(w, f, row, depth+1) }
	switch x := v.(type) {
	case *ssa.Const:
		if x.Value != nil && x.Value.Kind() == constant.String {
			return []string{constant.StringVal(x.Value)}
		}
	case *ssa.ChangeType:
		return rec(x.X)
	case *ssa.MakeInterface:
		return rec(x.X)
	case *ssa.BinOp:
		if x.Op == token.ADD && isString(x.Type()) {
			return crossJoin(rec(x.X), rec(x.Y), func(a, b string) string { return a + b })
		}
	case *ssa.Phi:
		return r.phiTemplates(x, rec)
	case *ssa.Call:
		if ts, ok := r.callTemplates(x, rec); ok {
			return ts
		}
	case *ssa.UnOp:
		if x.Op == token.MUL {
			return r.loadTemplates(x, f, depth)
		}
	case *ssa.Extract:
		if call, ok := x.Tuple.(*ssa.Call); ok && x.Index == 0 {
			if pkg, _, name := calleeName(call.Common()); pkg == "net/url" && name == "JoinPath" {
				args := call.Common().Args
				return joinTemplates(append([]ssa.Value{args[0]}, variadic(args[1])...), rec)
			}
		}
	case *ssa.Parameter:
		if ts := constTexts(r.resolve(v, f)); len(ts) > 0 {
			return ts
		}
		return r.paramTemplates(x, f, depth)
	}
	if ts := constTexts(r.resolve(v, f)); len(ts) > 0 {
		return ts
	}
	return []string{placeholder(v)}
}

// paramTemplates resolves a parameter crudmap knows only in part from
// the arguments its callers pass (NewHandler(s, basePath+"v1")): those
// that resolve as the frame's binding does, or all of them.
func (r *resolver) paramTemplates(p *ssa.Parameter, f *frame, depth int) []string {
	callers := r.ix.callers[p.Parent()]
	if len(callers) > maxPathCallers || depth > maxResolveDepth/2 {
		return []string{placeholder(p)}
	}
	i := paramIndex(p)
	var want string
	if f != nil && f.fn == p.Parent() && i < len(f.params) && f.params[i] != nil {
		want = f.params[i].key()
	}
	var all, matching []string
	for _, c := range callers {
		if c.IsInvoke() || i >= len(c.Args) {
			continue
		}
		ts := r.templates(c.Args[i], nil, nil, depth+1)
		for _, t := range ts {
			all = appendUnique(all, t)
		}
		if want != "" && r.resolve(c.Args[i], nil).key() == want {
			matching = append(matching, ts...)
		}
	}
	switch {
	case len(matching) > 0:
		return matching
	case len(all) > 0 && len(all) <= maxPathVariants:
		return all
	}
	return []string{placeholder(p)}
}

func paramIndex(p *ssa.Parameter) int {
	for i, q := range p.Parent().Params {
		if q == p {
			return i
		}
	}
	return -1
}

// frameOf is the frame to resolve w in: f when w belongs to f's function,
// else no context (a table declared in another function).
func frameOf(w ssa.Value, f *frame) *frame {
	if in, ok := w.(ssa.Instruction); ok && f != nil && in.Parent() != f.fn {
		return nil
	}
	return f
}

// phiTemplates resolves a variable assigned in branches: every constant
// it may hold, or, when one branch assigns what is known only at run time,
// one placeholder named after the variable (webPath := "/"; if u != nil {
// webPath = u.Path } is "{webPath}").
func (r *resolver) phiTemplates(x *ssa.Phi, rec func(ssa.Value) []string) []string {
	var out []string
	for _, e := range x.Edges {
		for _, t := range rec(e) {
			if strings.Contains(t, phOpen) && token.IsIdentifier(x.Comment) {
				return []string{phOpen + x.Comment + phClose}
			}
			out = appendUnique(out, t)
		}
	}
	return out
}

// callTemplates folds the string functions paths are built with.
func (r *resolver) callTemplates(call *ssa.Call, rec func(ssa.Value) []string) ([]string, bool) {
	c := call.Common()
	pkg, _, name := calleeName(c)
	switch {
	case pkg == "path" && name == "Join" && len(c.Args) == 1:
		return joinTemplates(variadic(c.Args[0]), rec), true
	case pkg == "strings" && (name == "ToLower" || name == "ToUpper" || name == "TrimSpace") && len(c.Args) == 1:
		return rec(c.Args[0]), true
	case pkg == "fmt" && name == "Sprintf" && len(c.Args) == 2:
		out := rec(c.Args[0])
		for _, a := range variadic(c.Args[1]) {
			out = crossJoin(out, rec(a), replaceVerb)
		}
		return out, true
	case pkg == "strings" && trims[name] != nil && len(c.Args) == 2:
		return crossJoin(rec(c.Args[0]), rec(c.Args[1]), trims[name]), true
	}
	return nil, false
}

// joinTemplates joins the templates of elems as path.Join (and
// url.JoinPath on a path) does.
func joinTemplates(elems []ssa.Value, rec func(ssa.Value) []string) []string {
	out := []string{""}
	for i, e := range elems {
		out = crossJoin(out, rec(e), func(a, b string) string {
			if i == 0 {
				return b
			}
			return a + "\x00" + b
		})
	}
	for i, p := range out {
		out[i] = path.Join(strings.Split(p, "\x00")...)
	}
	return out
}

// replaceVerb replaces the first %s, %v or %d of format with arg.
func replaceVerb(format, arg string) string {
	for i := 0; i+1 < len(format); i++ {
		switch {
		case format[i] != '%':
		case format[i+1] == '%':
			i++
		case strings.IndexByte("svd", format[i+1]) >= 0:
			return format[:i] + arg + format[i+2:]
		}
	}
	return format
}

// loadTemplates resolves a variable read through a pointer: a global
// (its constant stores, or a placeholder named after it when one store is
// not constant), or a field of the struct crudmap knows it is in.
func (r *resolver) loadTemplates(x *ssa.UnOp, f *frame, depth int) []string {
	switch a := x.X.(type) {
	case *ssa.Global:
		var out []string
		for _, s := range r.ix.globalStores[a] {
			for _, t := range r.templates(s, nil, nil, depth+1) {
				if strings.Contains(t, phOpen) {
					return []string{placeholder(x)}
				}
				out = appendUnique(out, t)
			}
		}
		if len(out) == 0 {
			return []string{placeholder(x)}
		}
		return out
	case *ssa.FieldAddr:
		cells := r.resolve(a.X, f).cells
		if len(cells) == 0 || anyEscapes(cells) {
			return []string{placeholder(x)}
		}
	case *ssa.Alloc:
		// A variable a closure captures: what the function stores in it.
		var out []string
		for _, ref := range *a.Referrers() {
			if st, ok := ref.(*ssa.Store); ok && st.Addr == a {
				for _, t := range r.templates(st.Val, f, nil, depth+1) {
					if strings.Contains(t, phOpen) && token.IsIdentifier(a.Comment) {
						return []string{phOpen + a.Comment + phClose}
					}
					out = appendUnique(out, t)
				}
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	if ts := constTexts(r.resolve(x, f)); len(ts) > 0 {
		return ts
	}
	return []string{placeholder(x)}
}

// constTexts returns v's texts when all are constant.
func constTexts(v *value) []string {
	var out []string
	for _, t := range v.texts {
		if t.dynamic {
			return nil
		}
		out = appendUnique(out, t.text)
	}
	return out
}

// placeholder names what v is read from: "{basePath}" for a field
// BasePath, a global or a parameter basePath; "{dynamic}" when v has no
// name.
func placeholder(v ssa.Value) string {
	name := selectorName(v, 0)
	if name == "" {
		if p, ok := v.(*ssa.Parameter); ok {
			name = p.Name()
		} else {
			name = "dynamic"
		}
	}
	return phOpen + name + phClose
}

// selectorName names a global or a field read, with the fields and the
// global it is read through (util.WebHostURL.Path is
// "webHostURL.path"); "" for anything else.
func selectorName(v ssa.Value, depth int) string {
	if depth > 4 {
		return ""
	}
	qualify := func(base ssa.Value, name string) string {
		if b := selectorName(base, depth+1); b != "" {
			return b + "." + lowerFirst(name)
		}
		return lowerFirst(name)
	}
	switch x := v.(type) {
	case *ssa.UnOp:
		switch a := x.X.(type) {
		case *ssa.FreeVar: // a variable captured by a closure
			return a.Name()
		case *ssa.Global:
			return lowerFirst(a.Name())
		case *ssa.FieldAddr:
			return qualify(a.X, fieldName(a.X.Type(), a.Field))
		}
	case *ssa.Field:
		return qualify(x.X, fieldName(x.X.Type(), x.Field))
	}
	return ""
}

// fieldName is the name of field i of the struct t is or points to.
func fieldName(t types.Type, i int) string {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	if s, ok := t.Underlying().(*types.Struct); ok && i < s.NumFields() {
		return s.Field(i).Name()
	}
	return ""
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// crossJoin combines every a with every b, up to maxPathVariants results.
func crossJoin(as, bs []string, join func(a, b string) string) []string {
	var out []string
	for _, a := range as {
		for _, b := range bs {
			if len(out) < maxPathVariants {
				out = appendUnique(out, join(a, b))
			}
		}
	}
	return out
}

func appendUnique(xs []string, s string) []string {
	for _, x := range xs {
		if x == s {
			return xs
		}
	}
	return append(xs, s)
}

// cleanRoutePath writes a route path as the report shows it: a path that
// starts with a placeholder for a base path has a slash after it
// ("{webroot}api/v1" is "{webroot}/api/v1"), and every path starts with
// a slash or a placeholder.
func cleanRoutePath(p string) string {
	if strings.HasPrefix(p, "{") {
		if i := strings.IndexByte(p, '}'); i > 0 && i+1 < len(p) && p[i+1] != '/' {
			p = p[:i+1] + "/" + p[i+1:]
		}
		return p
	}
	if !strings.HasPrefix(p, "/") && p != "" {
		return "/" + p
	}
	return p
}
