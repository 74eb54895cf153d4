package analyzer

// echo v5 (PATTERNS R14): v4's API with handlers on *echo.Context, plus
// NewWithConfig, the QUERY method, RouteNotFound and FileFS. Its Static
// and StaticFS register one route, prefix+"*" (v4 registers prefix and
// prefix/*).

import "golang.org/x/tools/go/ssa"

const echoV5 = "github.com/labstack/echo/v5"

// echo5API describes a call of echo v5's Echo or Group (recv "" for a
// package function). Static and StaticFS are left to findEcho5Routes.
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
	case recv != "" && (name == "Static" || name == "StaticFS"):
		return apiCall{}
	}
	return routerAPI("echo", recv, name)
}

// findEcho5Routes adds the routes of echo v5's Static and StaticFS:
// GET prefix+"*", behind the call's middleware.
func (rf *routeFinder) findEcho5Routes() {
	for _, fn := range rf.ix.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok || !isEcho5Static(ci.Common()) {
					continue
				}
				rc := routerCall{fn: fn, instr: ci, c: ci.Common()}
				args := callArgs(rc.c)
				for _, f := range rf.contexts(fn, 0) {
					mws := rf.middleware(args, 3, f)
					for _, r := range rf.routersOf(args[0], f) {
						for _, p := range rf.pathTemplates(args[1], f, nil) {
							rf.addEntry(rc, r, "GET", p+"*", nil, mws)
						}
					}
				}
			}
		}
	}
}

// isEcho5Static reports whether c is echo v5's Static or StaticFS.
func isEcho5Static(c *ssa.CallCommon) bool {
	pkg, recv, name := calleeName(c)
	return pkg == echoV5 && (recv == "Echo" || recv == "Group") && (name == "Static" || name == "StaticFS") && len(c.Args) >= 3
}
