package analyzer

// echo v5 (PATTERNS R14): v4's API with handlers on *echo.Context, plus
// NewWithConfig, the QUERY method, RouteNotFound and FileFS. Its Static
// and StaticFS register one route, prefix+"*" (v4 registers prefix and
// prefix/*).

import (
	"go/types"

	"golang.org/x/tools/go/ssa"
)

const echoV5 = "github.com/labstack/echo/v5"

// echo5API describes a call of echo v5's Echo or Group (recv "" for a
// package function). Static, StaticFS and AddRoute are left to
// findEcho5Routes.
func echo5API(recv, name string) apiCall {
	route := func(method string) apiCall {
		return apiCall{op: opRoute, method: method, methodA: -1, pathA: 1, handler: 2, mws: 3}
	}
	switch {
	case recv == "" && name == "NewWithConfig":
		return apiCall{op: opNew, methodA: -1, pathA: -1, handler: -1, mws: -1}
	case recv != "" && name == "QUERY":
		return route("QUERY")
	case recv != "" && name == "RouteNotFound":
		return route("ANY")
	case recv != "" && name == "FileFS":
		return apiCall{op: opFile, method: "GET", methodA: -1, pathA: 1, handler: -1, mws: 4}
	case recv != "" && (name == "Static" || name == "StaticFS" || name == "AddRoute"):
		return apiCall{}
	}
	return routerAPI("echo", recv, name)
}

// findEcho5Routes adds the routes of echo v5's Static and StaticFS
// (GET prefix+"*", behind the call's middleware) and of AddRoute
// (e.AddRoute(echo.Route{Method: m, Path: p, Handler: h, Middlewares: mws})).
func (rf *routeFinder) findEcho5Routes() {
	for _, fn := range rf.ix.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				pkg, recv, name := calleeName(ci.Common())
				if pkg != echoV5 || recv != "Echo" && recv != "Group" {
					continue
				}
				rc := routerCall{fn: fn, instr: ci, c: ci.Common()}
				switch args := callArgs(rc.c); {
				case (name == "Static" || name == "StaticFS") && len(args) == 4:
					rf.echo5Static(rc, args)
				case name == "AddRoute" && len(args) == 2:
					rf.echo5AddRoute(rc, args)
				}
			}
		}
	}
}

// echo5Static adds the route of e.Static(prefix, root, mws...).
func (rf *routeFinder) echo5Static(rc routerCall, args []ssa.Value) {
	for _, f := range rf.contexts(rc.fn, 0) {
		mws := rf.middleware(args, 3, f)
		for _, r := range rf.routersOf(args[0], f) {
			for _, p := range rf.pathTemplates(args[1], f, nil) {
				rf.addEntry(rc, r, "GET", p+"*", nil, mws)
			}
		}
	}
}

// echo5AddRoute adds the route of e.AddRoute(echo.Route{...}), read from
// the fields the literal sets.
func (rf *routeFinder) echo5AddRoute(rc routerCall, args []ssa.Value) {
	load, ok := args[1].(*ssa.UnOp)
	if !ok {
		return
	}
	alloc, ok := load.X.(*ssa.Alloc)
	if !ok {
		return
	}
	fields := map[string]ssa.Value{}
	st, _ := alloc.Type().Underlying().(*types.Pointer).Elem().Underlying().(*types.Struct)
	for _, ref := range *alloc.Referrers() {
		fa, ok := ref.(*ssa.FieldAddr)
		if !ok || st == nil {
			continue
		}
		for _, use := range *fa.Referrers() {
			if store, ok := use.(*ssa.Store); ok && store.Addr == fa {
				fields[st.Field(fa.Field).Name()] = store.Val
			}
		}
	}
	if fields["Path"] == nil || fields["Method"] == nil {
		return
	}
	for _, f := range rf.contexts(rc.fn, 0) {
		var handler *closure
		var mws []*closure
		if h := fields["Handler"]; h != nil {
			hs, wrappers := rf.handlers(h, f)
			if len(hs) > 0 {
				handler = hs[0]
			}
			mws = wrappers
		}
		if m := fields["Middlewares"]; m != nil {
			mws = append(rf.middleware([]ssa.Value{m}, 0, f), mws...)
		}
		for _, r := range rf.routersOf(args[0], f) {
			for _, p := range rf.pathTemplates(fields["Path"], f, nil) {
				for _, m := range rf.stringList(fields["Method"], f, nil) {
					rf.addEntry(rc, r, m, p, handler, mws)
				}
			}
		}
	}
}
