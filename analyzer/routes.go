package analyzer

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// router is one router object: a root router, a group or sub-router
// derived from another with a path prefix and middleware, or a router
// mounted under another.
type router struct {
	key    string
	parent *router
	prefix string
	mws    []*closure // middleware added with Use or at derivation
	// wrappers wrap the whole router, outermost first:
	// http.ListenAndServe(addr, sessions(csrf(r))).
	wrappers []*closure
	mounts   []*router // where this router is mounted (each with a prefix)
	// lib is the router library of a root router ("chi", "http", ...).
	lib string
}

// route is one registered route before its queries are known.
type route struct {
	method, path string
	pos          token.Pos
	handler      *closure
	entries      []*closure // middleware outermost first, then the handler
}

// routeFinder finds every route the module registers.
type routeFinder struct {
	*walker
	routers map[string]*router
	routes  []*route
	seen    map[string]bool
}

func (w *walker) findRoutes() []*route {
	rf := &routeFinder{walker: w, routers: map[string]*router{}, seen: map[string]bool{}}
	var uses, mounts, regs, wraps []routerCall
	for _, fn := range w.ix.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				c := ci.Common()
				api := classifyRouter(c)
				rc := routerCall{fn: fn, instr: ci, c: c, api: api}
				switch api.op {
				case opUse:
					uses = append(uses, rc)
				case opMount:
					mounts = append(mounts, rc)
				case opRoute, opStatic, opFile:
					regs = append(regs, rc)
				case opNone:
					if wrapsHandler(c) {
						wraps = append(wraps, rc)
					}
				}
			}
		}
	}
	for _, rc := range uses {
		rf.use(rc)
	}
	for _, rc := range wraps {
		rf.wrap(rc)
	}
	for _, rc := range mounts {
		rf.mount(rc)
	}
	var routesOnly []routerCall
	for _, rc := range regs {
		if !rf.mountHandler(rc) {
			routesOnly = append(routesOnly, rc)
		}
	}
	for _, rc := range routesOnly {
		rf.register(rc)
	}
	rf.findRPCRoutes()
	rf.findEcho5Routes()
	sort.SliceStable(rf.routes, func(i, j int) bool {
		a, b := rf.routes[i], rf.routes[j]
		if a.path != b.path {
			return a.path < b.path
		}
		if a.method != b.method {
			return methodRank(a.method) < methodRank(b.method)
		}
		return w.ix.before(a.pos, b.pos)
	})
	return lastRegistrations(rf.routes)
}

// lastRegistrations keeps, of the routes registered twice with the same
// method, path and handler (e.File then e.Static on "/"), the last
// registration. Routes on the same method and path with different
// handlers (on two routers, or in branches) are all kept.
func lastRegistrations(routes []*route) []*route {
	var out []*route
	for _, rt := range routes {
		if i := sameRoute(out, rt); i >= 0 {
			out[i] = rt
			continue
		}
		out = append(out, rt)
	}
	return out
}

// sameRoute returns the index of the route of routes, sorted by method and
// path, with rt's method, path and handler, or -1.
func sameRoute(routes []*route, rt *route) int {
	for i := len(routes) - 1; i >= 0 && routes[i].method == rt.method && routes[i].path == rt.path; i-- {
		if handlerFn(routes[i]) == handlerFn(rt) {
			return i
		}
	}
	return -1
}

func handlerFn(rt *route) *ssa.Function {
	if rt.handler == nil {
		return nil
	}
	return rt.handler.fn
}

func methodRank(m string) int {
	for i, hm := range httpMethods {
		if hm == m {
			return i
		}
	}
	return len(httpMethods)
}

// routerCall is a router library call in a function.
type routerCall struct {
	fn    *ssa.Function
	instr ssa.CallInstruction
	c     *ssa.CallCommon
	api   apiCall
}

// use adds middleware to the routers the receiver may be.
func (rf *routeFinder) use(rc routerCall) {
	for _, f := range rf.contexts(rc.fn, 0) {
		args := callArgs(rc.c)
		mws := rf.middleware(args, rc.api.mws, f)
		for _, r := range rf.routersOf(args[0], f) {
			r.mws = append(r.mws, mws...)
		}
	}
}

// mount records that a sub-router is mounted under the receiver; a
// mounted handler that is not a router becomes a route of its own.
func (rf *routeFinder) mount(rc routerCall) {
	for _, f := range rf.contexts(rc.fn, 0) {
		args := callArgs(rc.c)
		subs := rf.routersOf(args[rc.api.handler], f)
		for _, parent := range rf.routersOf(args[0], f) {
			for _, prefix := range rf.pathTemplates(args[rc.api.pathA], f, nil) {
				for _, sub := range subs {
					// chi routes a mounted chi router on the rest of the
					// path; any other handler sees the whole path.
					at := prefix
					if sub.root().lib != "chi" {
						at = ""
					}
					sub.mounts = append(sub.mounts, &router{key: parent.key + "|mount", parent: parent, prefix: at})
				}
				if len(subs) == 0 {
					rf.add(rc, f, parent, "ANY", strings.TrimSuffix(prefix, "/")+"/*", args[rc.api.handler], nil)
				}
			}
		}
	}
}

// mountHandler mounts a router registered as the handler of another
// (mux.Handle("/", chiRouter)), which sees the whole path, and reports
// whether rc was such a registration.
func (rf *routeFinder) mountHandler(rc routerCall) bool {
	args := callArgs(rc.c)
	if rc.api.op != opRoute || rc.api.handler < 0 || rc.api.handler >= len(args) {
		return false
	}
	mounted := false
	for _, f := range rf.contexts(rc.fn, 0) {
		handler, prefixes := stripPrefix(args[rc.api.handler], rf, f)
		subs, _ := rf.routersBehind(handler, f, 0)
		for _, sub := range subs {
			for _, parent := range rf.routersOf(args[0], f) {
				for _, prefix := range prefixes {
					sub.mounts = append(sub.mounts, &router{key: parent.key + "|mount", parent: parent, prefix: prefix})
				}
			}
			mounted = true
		}
	}
	return mounted
}

// stripPrefix looks through http.StripPrefix(prefix, h): it returns h and
// the prefixes its router's routes are under, or v and no prefix.
func stripPrefix(v ssa.Value, rf *routeFinder, f *frame) (ssa.Value, []string) {
	if c, ok := v.(*ssa.MakeInterface); ok {
		v = c.X
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return v, []string{""}
	}
	if pkg, _, name := calleeName(&call.Call); pkg != "net/http" || name != "StripPrefix" {
		return v, []string{""}
	}
	var prefixes []string
	for _, p := range rf.pathTemplates(call.Call.Args[0], f, nil) {
		prefixes = append(prefixes, strings.TrimSuffix(p, "/"))
	}
	return call.Call.Args[1], prefixes
}

// register adds the routes a registration call makes: one set per row
// when it runs in a loop over a table of routes.
func (rf *routeFinder) register(rc routerCall) {
	args := callArgs(rc.c)
	rows := rf.tableRows(args)
	for _, f := range rf.contexts(rc.fn, 0) {
		for _, row := range rows {
			rf.registerRow(rc, args, f, row)
		}
	}
}

// registerRow adds the routes a registration makes in frame f for one row
// of a table (nil: no table).
func (rf *routeFinder) registerRow(rc routerCall, args []ssa.Value, f *frame, row tableRow) {
	target, paths := rf.routeTarget(rc, args, f, row)
	handler, mws := rf.handlerArgs(rc, args, f)
	if handler != nil {
		handler = row.value(handler)
	}
	for _, r := range rf.routersOf(target, f) {
		for _, p := range paths {
			for _, m := range rf.methods(rc, args, f, row) {
				method, path := splitPattern(m, p, rc.api)
				switch rc.api.op {
				case opStatic:
					rf.add(rc, f, r, "GET", path, nil, nil)
					rf.add(rc, f, r, "GET", strings.TrimSuffix(path, "/")+"/*", nil, nil)
				case opFile:
					rf.add(rc, f, r, "GET", path, nil, nil)
				default:
					rf.add(rc, frameOf(handler, f), r, method, path, handler, mws)
				}
			}
		}
	}
}

// routeTarget returns the router a registration registers on and the
// paths it registers: its path argument, or for gorilla's
// r.Path(p).HandlerFunc(h) the chain's router and path (a PathPrefix
// route serves everything under it: "/client/*").
func (rf *routeFinder) routeTarget(rc routerCall, args []ssa.Value, f *frame, row tableRow) (ssa.Value, []string) {
	if rc.api.pathA >= 0 && rc.api.pathA < len(args) {
		return args[0], rf.routePaths(args[rc.api.pathA], f, row)
	}
	ch, ok := gorillaTarget(rc, args)
	if !ok {
		return args[0], []string{""}
	}
	paths := []string{""}
	if ch.path != nil {
		paths = rf.pathTemplates(ch.path, f, row)
	}
	if ch.prefix {
		for i, p := range paths {
			paths[i] = strings.TrimSuffix(p, "/") + "/*"
		}
	}
	return ch.router, paths
}

// handlerArgs returns a registration's handler argument and its
// per-route middleware.
func (rf *routeFinder) handlerArgs(rc routerCall, args []ssa.Value, f *frame) (ssa.Value, []*closure) {
	if rc.api.handlerLast {
		if rc.api.mws >= len(args) {
			return nil, nil
		}
		hs := variadic(args[rc.api.mws])
		if len(hs) == 0 {
			return nil, nil
		}
		var mws []*closure
		for _, h := range hs[:len(hs)-1] {
			mws = append(mws, rf.resolve(h, f).funcs...)
		}
		return hs[len(hs)-1], mws
	}
	if rc.api.handler < 0 || rc.api.handler >= len(args) {
		return nil, nil
	}
	return args[rc.api.handler], rf.middleware(args, rc.api.mws, f)
}

// methods returns the HTTP methods a registration names: fixed by the
// library function, from a method argument (a string or a []string), from
// gorilla's .Methods(...) on the result, or "" to take from the pattern.
func (rf *routeFinder) methods(rc routerCall, args []ssa.Value, f *frame, row tableRow) []string {
	if rc.api.method != "" {
		return []string{rc.api.method}
	}
	if rc.api.methodA >= 0 && rc.api.methodA < len(args) {
		if ms := rf.stringList(args[rc.api.methodA], f, row); len(ms) > 0 {
			return ms
		}
	}
	if ms := rf.gorillaMethods(rc, f, row); len(ms) > 0 {
		return ms
	}
	return []string{""}
}

// splitPattern applies a Go 1.22 "METHOD /path" pattern; method "" is ANY.
func splitPattern(method, pattern string, api apiCall) (string, string) {
	if i := strings.IndexByte(pattern, ' '); i > 0 && method == "" {
		if m := strings.ToUpper(pattern[:i]); methodRank(m) < len(httpMethods) {
			return m, strings.TrimSpace(pattern[i+1:])
		}
	}
	if method == "" {
		method = "ANY"
	}
	return strings.ToUpper(method), pattern
}

// add records a route on router r, expanded over r's prefixes.
func (rf *routeFinder) add(rc routerCall, f *frame, r *router, method, path string, h ssa.Value, routeMWs []*closure) {
	if h != nil && rf.addConnect(rc, f, r, path, h, routeMWs) {
		return
	}
	var handler *closure
	var wrappers []*closure
	if h != nil {
		hs, ws := rf.handlers(h, f)
		if len(hs) > 0 {
			handler = hs[0]
		}
		wrappers = ws
	}
	lib := r.root().lib
	for _, chain := range r.chains() {
		full := cleanRoutePath(joinPath(lib, chain.prefix, path))
		if full == "" && lib == "gorilla" {
			full = "/*" // a route with no path matcher matches every path
		}
		entries := append(append(append([]*closure{}, chain.mws...), routeMWs...), wrappers...)
		if handler != nil {
			entries = append(entries, handler)
		}
		key := fmt.Sprintf("%s %s %d %p", method, full, rc.c.Pos(), handler)
		if rf.seen[key] {
			continue
		}
		rf.seen[key] = true
		rf.routes = append(rf.routes, &route{method: method, path: full, pos: rf.ix.callPos(rc.c), handler: handler, entries: entries})
	}
}

// root returns the router r derives from.
func (r *router) root() *router {
	for depth := 0; r.parent != nil && depth < 64; depth++ {
		r = r.parent
	}
	return r
}

// chain is one way down to a router: the full prefix and middleware.
type chain struct {
	prefix string
	mws    []*closure
}

// chains returns every prefix and middleware chain that leads to r,
// through parents and mounts.
func (r *router) chains() []chain {
	return r.chainsDepth(0)
}

func (r *router) chainsDepth(depth int) []chain {
	if depth > 16 {
		return []chain{{prefix: r.prefix, mws: append(append([]*closure{}, r.wrappers...), r.mws...)}}
	}
	var ups []*router
	if r.parent != nil {
		ups = append(ups, r.parent)
	}
	ups = append(ups, r.mounts...)
	own := append(append([]*closure{}, r.wrappers...), r.mws...)
	if len(ups) == 0 {
		return []chain{{prefix: r.prefix, mws: own}}
	}
	lib := r.root().lib
	var out []chain
	for _, up := range ups {
		for _, c := range up.chainsDepth(depth + 1) {
			mws := append(append([]*closure{}, c.mws...), own...)
			out = append(out, chain{prefix: joinPath(lib, c.prefix, r.prefix), mws: mws})
		}
	}
	return out
}

// middleware resolves the variadic middleware arguments from index i on.
func (rf *routeFinder) middleware(args []ssa.Value, i int, f *frame) []*closure {
	if i < 0 || i >= len(args) {
		return nil
	}
	var out []*closure
	vals := variadic(args[i])
	if len(vals) == 0 && !isSliceType(args[i].Type()) {
		vals = args[i:] // goji's Use takes one middleware, not a slice
	}
	for _, v := range vals {
		out = append(out, rf.resolve(v, f).funcs...)
	}
	return out
}

func isSliceType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Slice)
	return ok
}

// routePaths returns the paths or patterns v may be in f (see
// pathTemplates), goji's pat.Get("/path") included.
func (rf *routeFinder) routePaths(v ssa.Value, f *frame, row tableRow) []string {
	if p := rf.gojiPattern(v, f); p != "" {
		return []string{p}
	}
	return rf.pathTemplates(v, f, row)
}

// gojiPattern returns "METHOD /path" for goji's pat.Get("/path") and its
// kin, or "".
func (rf *routeFinder) gojiPattern(v ssa.Value, f *frame) string {
	for {
		mi, ok := v.(*ssa.MakeInterface)
		if !ok {
			break
		}
		v = mi.X
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return ""
	}
	pkg, _, name := calleeName(call.Common())
	if library(pkg) != "gojipat" || len(call.Common().Args) == 0 {
		return ""
	}
	path := "/{dynamic}"
	if ts := rf.resolve(call.Common().Args[len(call.Common().Args)-1], f).texts; len(ts) > 0 {
		path = ts[0].text
	}
	if name == "New" {
		return path
	}
	return strings.ToUpper(name) + " " + path
}

// stringList returns the constant strings in a []string literal, a
// variadic argument, or a single string.
func (rf *routeFinder) stringList(v ssa.Value, f *frame, row tableRow) []string {
	vals := variadic(v)
	if len(vals) == 0 {
		vals = []ssa.Value{v}
	}
	var out []string
	for _, e := range vals {
		for _, t := range rf.pathTemplates(e, f, row) {
			if !strings.Contains(t, "{") {
				out = append(out, strings.ToUpper(t))
			}
		}
	}
	return out
}

// contexts returns the frames fn registers routes in: one per way its
// callers bind its parameters (and, for a closure, its free variables).
// A closure passed to chi's Route or Group gets the derived router.
func (rf *routeFinder) contexts(fn *ssa.Function, depth int) []*frame {
	if len(fn.Params) == 0 && len(fn.FreeVars) == 0 || depth > 4 {
		return []*frame{rf.newFrame(fn, nil, nil)}
	}
	var out []*frame
	seen := map[string]bool{}
	add := func(f *frame) {
		if !seen[f.key] && len(out) < 32 {
			seen[f.key] = true
			out = append(out, f)
		}
	}
	for _, mc := range rf.ix.closures[fn] {
		for _, g := range rf.contexts(mc.Parent(), depth+1) {
			free := make([]*value, len(mc.Bindings))
			for i, b := range mc.Bindings {
				free[i] = rf.resolve(b, g)
			}
			add(rf.newFrame(fn, rf.closureParams(mc, g), free))
		}
	}
	for _, c := range rf.ix.callers[fn] {
		for _, g := range rf.contexts(rf.ix.callerFn[c], depth+1) {
			args := make([]*value, len(c.Args))
			for i, a := range c.Args {
				args[i] = rf.resolve(a, g)
			}
			add(rf.newFrame(fn, args, nil))
		}
	}
	if len(out) == 0 {
		add(rf.newFrame(fn, nil, nil))
	}
	return out
}

// closureParams binds the router parameter of a closure that mc passes
// to chi's Route or Group.
func (rf *routeFinder) closureParams(mc *ssa.MakeClosure, g *frame) []*value {
	for _, ref := range *mc.Referrers() {
		call, ok := ref.(*ssa.Call)
		if !ok {
			continue
		}
		api := classifyRouter(call.Common())
		if api.op != opRouteFn && api.op != opGroupFn {
			continue
		}
		return []*value{{routers: rf.resolve(call, g).routers}}
	}
	return nil
}

// routersOf returns the routers v may be; an unknown router is a root of
// its own, so its routes are still found.
func (rf *routeFinder) routersOf(v ssa.Value, f *frame) []*router {
	if v == nil {
		return []*router{rf.rootRouter("net/http.DefaultServeMux")}
	}
	if rs := rf.resolve(v, f).routers; len(rs) > 0 {
		return rs
	}
	return []*router{rf.rootRouter(fmt.Sprintf("unknown %p", v))}
}

// handlers returns the handler functions h may be, and the middleware a
// wrapper call around the handler (auth(http.HandlerFunc(h))) adds.
func (rf *routeFinder) handlers(h ssa.Value, f *frame) (handlers, wrappers []*closure) {
	v := peel(h)
	if call, ok := v.(*ssa.Call); ok {
		// A wrapper runs module code around the handler (auth(h));
		// a library one (http.TimeoutHandler(h, d, msg)) only passes
		// the request on.
		module := rf.isWrapperCall(call, f)
		for _, a := range call.Common().Args {
			if isHandlerType(a.Type()) && (module || isHandlerIface(call.Type())) {
				inner, innerWrappers := rf.handlers(a, f)
				if module {
					innerWrappers = append(rf.wrapperFuncs(call, f), innerWrappers...)
				}
				return inner, innerWrappers
			}
		}
	}
	if fs := rf.resolve(h, f).funcs; len(fs) > 0 {
		return fs, nil
	}
	if fn := rf.serveHTTP(v.Type()); fn != nil {
		return []*closure{{fn: fn}}, nil
	}
	return nil, nil
}

// serveHTTP returns t's ServeHTTP method when t is a module type.
func (rf *routeFinder) serveHTTP(t types.Type) *ssa.Function {
	sel := lookupMethod(rf.ix.prog.MethodSets.MethodSet(t), "ServeHTTP")
	if sel == nil {
		return nil
	}
	if fn := rf.ix.prog.MethodValue(sel); fn != nil && fn.Blocks != nil {
		return fn
	}
	return nil
}

// peel strips conversions and interface boxing from v.
func peel(v ssa.Value) ssa.Value {
	for {
		switch x := v.(type) {
		case *ssa.MakeInterface:
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Convert:
			v = x.X
		case *ssa.ChangeInterface:
			v = x.X
		default:
			return v
		}
	}
}

// isHandlerType reports whether t is a function type or an interface with
// a ServeHTTP method.
func isHandlerType(t types.Type) bool {
	switch u := t.Underlying().(type) {
	case *types.Signature:
		return true
	case *types.Interface:
		for i := 0; i < u.NumMethods(); i++ {
			if u.Method(i).Name() == "ServeHTTP" {
				return true
			}
		}
	}
	return false
}
