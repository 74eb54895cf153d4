package analyzer

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// wrapsHandler reports whether c may wrap a handler in middleware: it
// takes an http.Handler and returns one (sessions(csrf(mux)),
// Middleware(store)(api)), or hands it to a negroni stack.
func wrapsHandler(c *ssa.CallCommon) bool {
	if _, ok := negroniStack(c); ok {
		return true
	}
	res := c.Signature().Results()
	if res.Len() != 1 || !isHandlerIface(res.At(0).Type()) {
		return false
	}
	for _, a := range c.Args {
		if isHandlerIface(a.Type()) {
			return true
		}
	}
	return false
}

// isHandlerIface reports whether t is an interface with a ServeHTTP
// method (http.Handler).
func isHandlerIface(t types.Type) bool {
	_, ok := t.Underlying().(*types.Interface)
	return ok && isHandlerType(t)
}

// wrap records the middleware a call wraps around whole routers: every
// route of a router handed to sessions(csrf(r)) runs sessions and csrf
// first, outermost first.
func (rf *routeFinder) wrap(rc routerCall) {
	if mws, ok := negroniStack(rc.c); ok {
		rf.wrapNegroni(rc, mws)
		return
	}
	call, ok := rc.instr.(*ssa.Call)
	if !ok {
		return
	}
	for _, f := range rf.contexts(rc.fn, 0) {
		routers, inner := rf.wrapped(call, f, 0)
		if len(routers) == 0 {
			continue
		}
		chain := append(rf.wrapperFuncs(call, f), inner...)
		for _, r := range routers {
			r.wrappers = prependClosures(r.wrappers, chain)
		}
	}
}

// wrapped returns the routers a wrapper call's handler arguments lead to
// and the wrappers between (csrf in sessions(csrf(r))). A library wrapper
// (otelhttp.NewHandler(mux, name)) is looked through: it runs no module
// code of its own.
func (rf *routeFinder) wrapped(call *ssa.Call, f *frame, depth int) ([]*router, []*closure) {
	for _, a := range call.Call.Args {
		if !isHandlerIface(a.Type()) {
			continue
		}
		if rs, ws := rf.routersBehind(a, f, depth+1); len(rs) > 0 {
			return rs, ws
		}
	}
	return nil, nil
}

// routersBehind returns the routers a handler value serves, through the
// wrappers around them and the module functions that build and return
// them (api.NewHandler(store) returning apiKey(mux)), and those wrappers,
// outermost first.
func (rf *routeFinder) routersBehind(v ssa.Value, f *frame, depth int) ([]*router, []*closure) {
	if rs := rf.resolve(v, f).routers; len(rs) > 0 || depth > 4 {
		return rs, nil
	}
	call, ok := peel(v).(*ssa.Call)
	if !ok {
		return nil, nil
	}
	if rs, ws := rf.wrapped(call, f, depth); len(rs) > 0 {
		return rs, append(rf.wrapperFuncs(call, f), ws...)
	}
	var routers []*router
	var wrappers []*closure
	for _, cf := range rf.calleeFrames(call, f) {
		for _, res := range returnedValues(cf.fn, 0) {
			rs, ws := rf.routersBehind(res, cf, depth+1)
			routers = union(routers, rs, func(a, b *router) bool { return a == b })
			wrappers = prependClosures(wrappers, ws)
		}
	}
	return routers, wrappers
}

// calleeFrames returns the frames a call runs module code in: its static
// callee's, or those of the closures a dynamic call may call
// (Middleware(store)(h) calls what Middleware(store) returns).
func (rf *routeFinder) calleeFrames(call *ssa.Call, f *frame) []*frame {
	c := call.Common()
	if c.IsInvoke() {
		return nil
	}
	args := make([]*value, len(c.Args))
	for i, a := range c.Args {
		args[i] = rf.resolve(a, f)
	}
	if callee := c.StaticCallee(); callee != nil {
		if callee.Blocks == nil {
			return nil
		}
		var free []*value
		if mc, ok := c.Value.(*ssa.MakeClosure); ok {
			for _, b := range mc.Bindings {
				free = append(free, rf.resolve(b, f))
			}
		}
		return []*frame{rf.newFrame(callee, args, free)}
	}
	var out []*frame
	for _, cl := range rf.resolve(c.Value, f).funcs {
		if cl.fn.Blocks == nil {
			continue
		}
		var free []*value
		if cl.env != nil {
			free = cl.env.free
		}
		out = append(out, rf.newFrame(cl.fn, args, free))
	}
	return out
}

// callFuncs returns the functions a call returns: the handler a
// middleware call wraps its argument in.
func (rf *routeFinder) callFuncs(call *ssa.Call, f *frame) []*closure {
	var out []*closure
	for _, cf := range rf.calleeFrames(call, f) {
		for _, res := range returnedValues(cf.fn, 0) {
			out = union(out, rf.resolve(res, cf).funcs, func(a, b *closure) bool { return a.fn == b.fn && a.key() == b.key() })
		}
	}
	return out
}

// isWrapperCall reports whether a call around a handler runs module code
// (auth(h), Middleware(store)(h)) or an alice chain.
func (rf *routeFinder) isWrapperCall(call *ssa.Call, f *frame) bool {
	if _, ok := aliceChain(call); ok {
		return true
	}
	return len(rf.calleeFrames(call, f)) > 0
}

// wrapperFuncs returns the middleware a wrapper call puts around its
// handler argument: what a module function returns, or the constructors
// of an alice chain (alice.New(sessions, csrf).Then(mux)), outermost
// first.
func (rf *routeFinder) wrapperFuncs(call *ssa.Call, f *frame) []*closure {
	if ctors, ok := aliceChain(call); ok {
		var out []*closure
		for _, c := range ctors {
			out = append(out, rf.resolve(c, f).funcs...)
		}
		return out
	}
	return rf.callFuncs(call, f)
}

// aliceChain returns the constructors of the alice chain whose Then or
// ThenFunc method call is, read back through Append to alice.New; ok is
// false for any other call.
func aliceChain(call *ssa.Call) (ctors []ssa.Value, ok bool) {
	pkg, recv, name := calleeName(call.Common())
	if pkg != "github.com/justinas/alice" || recv != "Chain" || (name != "Then" && name != "ThenFunc") {
		return nil, false
	}
	v := call.Common().Args[0]
	for depth := 0; depth < 8; depth++ {
		c, isCall := v.(*ssa.Call)
		if !isCall {
			return ctors, true
		}
		pkg, _, name := calleeName(c.Common())
		args := c.Common().Args
		switch {
		case pkg != "github.com/justinas/alice":
			return ctors, true
		case name == "New" && len(args) == 1:
			return append(variadic(args[0]), ctors...), true
		case name == "Append" && len(args) == 2:
			ctors = append(variadic(args[1]), ctors...)
			v = args[0]
		default:
			return ctors, true
		}
	}
	return ctors, true
}

// negroniStack returns, for n.UseHandler(mux) on a negroni stack, the
// middleware handed to the same stack: negroni.New(h...) and n.Use(h),
// n.UseFunc(fn) on the same variable; ok is false for any other call.
func negroniStack(c *ssa.CallCommon) (mws []ssa.Value, ok bool) {
	pkg, recv, name := calleeName(c)
	if !isNegroni(pkg) || recv != "Negroni" || (name != "UseHandler" && name != "UseHandlerFunc") || len(c.Args) < 2 {
		return nil, false
	}
	n := c.Args[0]
	if call, ok := n.(*ssa.Call); ok {
		if pkg, _, name := calleeName(call.Common()); isNegroni(pkg) && name == "New" && len(call.Common().Args) == 1 {
			mws = append(mws, variadic(call.Common().Args[0])...)
		}
	}
	for _, ref := range *n.Referrers() {
		use, ok := ref.(*ssa.Call)
		if !ok || len(use.Call.Args) < 2 || use.Call.Args[0] != n {
			continue
		}
		if pkg, _, name := calleeName(use.Common()); isNegroni(pkg) && (name == "Use" || name == "UseFunc") {
			mws = append(mws, use.Call.Args[1])
		}
	}
	return mws, true
}

func isNegroni(pkg string) bool {
	return pkg == "github.com/urfave/negroni" || pkg == "github.com/urfave/negroni/v3" || pkg == "github.com/codegangsta/negroni"
}

// wrapNegroni records a negroni stack's middleware (functions of
// (w, r, next)) around the routers handed to UseHandler.
func (rf *routeFinder) wrapNegroni(rc routerCall, mws []ssa.Value) {
	for _, f := range rf.contexts(rc.fn, 0) {
		routers, inner := rf.routersBehind(rc.c.Args[1], f, 0)
		if len(routers) == 0 {
			continue
		}
		var chain []*closure
		for _, mw := range mws {
			chain = append(chain, rf.resolve(mw, f).funcs...)
		}
		for _, r := range routers {
			r.wrappers = prependClosures(r.wrappers, append(chain, inner...))
		}
	}
}

// returnedValues returns result i of every return statement of fn.
func returnedValues(fn *ssa.Function, i int) []ssa.Value {
	var out []ssa.Value
	for _, b := range fn.Blocks {
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok && i < len(ret.Results) {
			out = append(out, ret.Results[i])
		}
	}
	return out
}

// prependClosures puts the closures of outer not in list before list.
func prependClosures(list, outer []*closure) []*closure {
	var out []*closure
	for _, c := range outer {
		if !containsClosure(list, c) && !containsClosure(out, c) {
			out = append(out, c)
		}
	}
	return append(out, list...)
}

func containsClosure(list []*closure, c *closure) bool {
	for _, x := range list {
		if x.fn == c.fn && x.key() == c.key() {
			return true
		}
	}
	return false
}
