package analyzer

import (
	"strings"

	"golang.org/x/tools/go/ssa"
)

// gorillaChain is what a chain of gorilla/mux calls sets up, read back from
// its last call to the router it starts from:
// r.PathPrefix("/api").Methods("GET").HandlerFunc(h).
type gorillaChain struct {
	router  ssa.Value   // the *mux.Router the chain starts from
	path    ssa.Value   // the Path or PathPrefix argument, or nil
	prefix  bool        // path is a PathPrefix: it matches what follows too
	methods []ssa.Value // the Methods arguments
}

// gorillaChainOf reads the chain of gorilla/mux calls that ends in v, a
// *mux.Route; ok is false when v is not such a chain.
func gorillaChainOf(v ssa.Value) (ch gorillaChain, ok bool) {
	for depth := 0; depth < 16; depth++ {
		call, isCall := v.(*ssa.Call)
		if !isCall || call.Call.IsInvoke() {
			return ch, false
		}
		pkg, recv, name := calleeName(&call.Call)
		args := call.Call.Args
		if library(pkg) != "gorilla" || len(args) == 0 {
			return ch, false
		}
		switch name {
		case "Path", "PathPrefix":
			if ch.path == nil && len(args) > 1 {
				ch.path, ch.prefix = args[1], name == "PathPrefix"
			}
		case "Methods":
			if len(args) > 1 {
				ch.methods = append(ch.methods, args[1])
			}
		}
		if recv == "Router" {
			ch.router = args[0]
			return ch, true
		}
		v = args[0]
	}
	return ch, false
}

// subrouter resolves route.Subrouter(): a router under the route's router
// with the route's path as prefix.
func (r *resolver) subrouter(c *ssa.CallCommon, route ssa.Value, f *frame) *value {
	ch, ok := gorillaChainOf(route)
	if !ok {
		return &value{routers: r.resolve(route, f).routers}
	}
	prefix := ""
	if ch.path != nil {
		if ps := r.pathTemplates(ch.path, f, nil); len(ps) > 0 {
			prefix = ps[0]
		}
	}
	return r.derived(c, r.resolve(ch.router, f).routers, ch.router, prefix, nil)
}

// gorillaMethods returns the methods a gorilla registration names: with
// .Methods(...) before it in its chain, or on the route it returns.
func (rf *routeFinder) gorillaMethods(rc routerCall, f *frame, row tableRow) []string {
	call, ok := rc.instr.(*ssa.Call)
	if pkg, _, _ := calleeName(rc.c); !ok || library(pkg) != "gorilla" {
		return nil
	}
	var ms []string
	if len(call.Call.Args) > 0 {
		if ch, ok := gorillaChainOf(call.Call.Args[0]); ok {
			for _, m := range ch.methods {
				ms = append(ms, rf.stringList(m, f, row)...)
			}
		}
	}
	for _, m := range gorillaAfter(call, "Methods") {
		ms = append(ms, rf.stringList(m.Call.Args[1], f, row)...)
	}
	return ms
}

// gorillaAfter returns the calls named name chained on the route call
// returns (r.HandleFunc(p, h).Name("x").Methods("GET")).
func gorillaAfter(call *ssa.Call, name string) []*ssa.Call {
	var out []*ssa.Call
	for depth := 0; call != nil && depth < 8; depth++ {
		var next *ssa.Call
		for _, ref := range *call.Referrers() {
			m, ok := ref.(*ssa.Call)
			if !ok || len(m.Call.Args) < 2 || m.Call.Args[0] != call {
				continue
			}
			pkg, recv, n := calleeName(m.Common())
			if library(pkg) != "gorilla" || recv != "Route" {
				continue
			}
			if n == name {
				out = append(out, m)
			}
			next = m
		}
		call = next
	}
	return out
}

// gorillaTarget returns the router a gorilla (*Route).Handler call
// registers on, its path and whether the path is a prefix.
func gorillaTarget(rc routerCall, args []ssa.Value) (ch gorillaChain, ok bool) {
	if pkg, recv, _ := calleeName(rc.c); library(pkg) != "gorilla" || recv != "Route" || len(args) == 0 {
		return ch, false
	}
	return gorillaChainOf(args[0])
}

// joinPath joins a router's prefix and a path under it as the router's
// library does: gorilla/mux drops the prefix's trailing slashes
// ("/api/" + "/users" is "/api/users"); the others concatenate.
func joinPath(lib, prefix, path string) string {
	if lib == "gorilla" && prefix != "" {
		return strings.TrimRight(prefix, "/") + path
	}
	return prefix + path
}
