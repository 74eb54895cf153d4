package analyzer

// Handlers of routers crudmap does not know (PATTERNS R15): httprouter,
// fiber, a hand-written switch on r.URL.Path. The functions with a
// handler's shape that run SQL and that no route reaches are entry points
// of their own, listed as handlers with a placeholder path, so that the
// map is never empty while handlers that query exist.

import (
	"fmt"
	"go/types"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

// handlerEntries adds a route "ANY {handler main.listUsers}" for each
// function with a handler's shape that no route reached and that runs
// SQL, and a note naming the router they are likely registered with. A
// hand-written dispatcher whose queries all run in two or more such
// handlers is left out: the handlers it calls are listed. Without a main
// package, the handlers are a library's: the commands that register them
// are elsewhere (commandsHint says where), so none is listed.
func (a *analysis) handlerEntries() {
	ix := a.w.ix
	if !slices.ContainsFunc(ix.pkgs, func(p *packages.Package) bool { return p.Name == "main" }) {
		return
	}
	generated := generatedFiles(ix.program)
	var shaped []*handlerEntry
	for _, fn := range ix.funcs {
		if a.w.walked[fn] || ix.unused(fn) || generated[ix.fset.File(fn.Pos())] {
			continue
		}
		if pkg, ok := handlerShape(fn); ok {
			shaped = append(shaped, &handlerEntry{fn: fn, router: pkg})
		}
	}
	var found []*handlerEntry
	for _, h := range shaped {
		s := &summary{index: map[eventKey]int{}}
		for _, e := range a.w.walkEntry(&closure{fn: h.fn}) {
			s.add(e)
		}
		if h.events = s.events; queries(h.events) {
			found = append(found, h)
		}
	}
	var kept []*handlerEntry
	for _, h := range found {
		if !dispatcher(h, found) {
			kept = append(kept, h)
		}
	}
	if len(kept) == 0 {
		return
	}
	sort.Slice(kept, func(i, j int) bool { return ix.before(kept[i].fn.Pos(), kept[j].fn.Pos()) })
	var routers []string
	for _, h := range kept {
		cl := &closure{fn: h.fn}
		rt := &route{method: "ANY", path: "{handler " + qualifiedName(ix, h.fn) + "}", pos: h.fn.Pos(), handler: cl, entries: []*closure{cl}}
		a.routes = append(a.routes, rt)
		a.events[rt] = h.events
		if h.router != "" && !contains(routers, h.router) {
			routers = append(routers, h.router)
		}
	}
	a.notes = append(a.notes, handlerNote(ix, kept[0].fn, len(kept), routers))
}

// handlerEntry is a function with a handler's shape that runs SQL.
type handlerEntry struct {
	fn     *ssa.Function
	router string // the router package its shape names, or ""
	events []*event
}

// queries reports whether events run SQL.
func queries(events []*event) bool {
	for _, e := range events {
		if e.site != nil {
			return true
		}
	}
	return false
}

// dispatcher reports whether every query of h runs in another of the
// handlers found, and they are two or more: h routes requests to them.
func dispatcher(h *handlerEntry, found []*handlerEntry) bool {
	via := map[*ssa.Function]bool{}
	for _, e := range h.events {
		if e.site == nil {
			continue
		}
		inner := innerHandler(e.path, h.fn, found)
		if inner == nil {
			return false
		}
		via[inner] = true
	}
	return len(via) >= 2
}

// innerHandler returns the first function of path after its start that
// is one of the handlers found, or nil.
func innerHandler(path []*ssa.Function, self *ssa.Function, found []*handlerEntry) *ssa.Function {
	for _, fn := range path {
		if fn == self {
			continue
		}
		for _, h := range found {
			if h.fn == fn {
				return fn
			}
		}
	}
	return nil
}

// handlerShape reports whether fn looks like an HTTP handler:
// func(http.ResponseWriter, *http.Request), with one more parameter of a
// router's own (httprouter.Params), or a router's handler type on a
// context (func(*fiber.Ctx) error). It returns the router package the
// shape names, if any.
func handlerShape(fn *ssa.Function) (string, bool) {
	sig := fn.Signature
	params := sig.Params()
	switch {
	case params.Len() >= 2 && params.Len() <= 3 && sig.Results().Len() == 0 &&
		isNamed(params.At(0).Type(), "net/http", "ResponseWriter") && isNamed(params.At(1).Type(), "net/http", "Request"):
		if params.Len() == 3 {
			return thirdPartyPkg(params.At(2).Type()), true
		}
		return "", true
	case params.Len() == 1 && sig.Results().Len() <= 1:
		pkg := thirdPartyPkg(params.At(0).Type())
		if pkg == "" || sig.Results().Len() == 1 && !types.Identical(sig.Results().At(0).Type(), types.Universe.Lookup("error").Type()) {
			return "", false
		}
		name := namedOf(params.At(0).Type()).Obj().Name()
		return pkg, name == "Ctx" || name == "Context" || name == "RequestCtx"
	}
	return "", false
}

// isNamed reports whether t is (a pointer to) the named type pkg.name.
func isNamed(t types.Type, pkg, name string) bool {
	n := namedOf(t)
	return n != nil && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

// namedOf returns the named type t is or points to, or nil.
func namedOf(t types.Type) *types.Named {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := types.Unalias(t).(*types.Named)
	return n
}

// thirdPartyPkg returns the package of the named type t is or points
// to when it is neither the standard library's nor the module's own
// (a guess: a module path starts with a domain).
func thirdPartyPkg(t types.Type) string {
	n := namedOf(t)
	if n == nil || n.Obj().Pkg() == nil {
		return ""
	}
	path := n.Obj().Pkg().Path()
	if !strings.Contains(strings.Split(path, "/")[0], ".") {
		return ""
	}
	return path
}

// qualifiedName is fn's report name, qualified by its package also in
// package main: main.listUsers.
func qualifiedName(ix *index, fn *ssa.Function) string {
	name := ix.name(fn)
	if fn.Pkg != nil && fn.Pkg.Pkg.Name() == "main" {
		name = "main." + name
	}
	return name
}

// handlerNote tells that n handlers were listed as entry points, naming
// the router packages their shapes name or the module imports, and
// saying which of them crudmap does not read routes from.
func handlerNote(ix *index, first *ssa.Function, n int, routers []string) string {
	for _, r := range unknownRouters(ix) {
		if !contains(routers, r) {
			routers = append(routers, r)
		}
	}
	sort.Strings(routers)
	var named []string
	for _, r := range routers {
		if library(r) == "" {
			r += ", a router crudmap does not read"
		}
		named = append(named, r)
	}
	by := ""
	if len(named) > 0 {
		by = " (" + strings.Join(named, "; ") + ")"
	}
	pos := ix.position(first.Pos())
	if i := strings.LastIndexByte(pos, ':'); i > 0 {
		pos = pos[:i] // file:line
	}
	what := "1 function with a handler's shape runs SQL but no route crudmap found reaches it"
	if n > 1 {
		what = fmt.Sprintf("%d functions with a handler's shape run SQL but no route crudmap found reaches them", n)
	}
	return fmt.Sprintf("%s: %s%s: listed as entry points ANY {handler name}, paths unknown", pos, what, by)
}

// knownRouterPkgs are router packages crudmap does not read routes from.
var knownRouterPkgs = []string{
	"github.com/julienschmidt/httprouter", "github.com/gofiber/fiber", "github.com/go-zoo/bone",
	"github.com/bmizerany/pat", "github.com/gorilla/pat", "github.com/go-martini/martini",
	"github.com/beego/beego", "github.com/astaxie/beego", "github.com/kataras/iris", "github.com/fasthttp/router",
	"github.com/cloudwego/hertz", "github.com/zeromicro/go-zero/rest", "github.com/dimfeld/httptreemux",
	"github.com/emicklei/go-restful", "github.com/uptrace/bunrouter", "github.com/gocraft/web",
}

// unknownRouters returns the router packages of knownRouterPkgs that the
// module's packages import.
func unknownRouters(ix *index) []string {
	var out []string
	for _, pkg := range ix.pkgs {
		for _, imp := range pkg.Types.Imports() {
			for _, r := range knownRouterPkgs {
				if (imp.Path() == r || strings.HasPrefix(imp.Path(), r+"/")) && !contains(out, imp.Path()) {
					out = append(out, imp.Path())
				}
			}
		}
	}
	return out
}
