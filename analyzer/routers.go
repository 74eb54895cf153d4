package analyzer

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// apiOp is what a router library call does.
type apiOp int

const (
	opNone      apiOp = iota
	opNew             // creates a router
	opRoute           // registers a route
	opGroup           // derives a router with a path prefix and middleware
	opUse             // adds middleware to a router
	opRouteFn         // chi Route(prefix, fn): fn registers on a derived router
	opGroupFn         // chi Group(fn)
	opMount           // chi Mount(prefix, handler)
	opStatic          // echo Static: GET prefix and prefix/*
	opFile            // echo File, gin StaticFile: GET path
	opSubrouter       // gorilla (*Route).Subrouter
	opSame            // gorilla (*Router).StrictSlash and kin: the same router
)

// apiCall describes a call of a router library. Argument indexes count
// the receiver as 0 (see callArgs).
type apiCall struct {
	op      apiOp
	method  string // HTTP method; "" when it comes from an argument or the pattern
	methodA int    // argument holding the method(s), or -1
	pathA   int    // argument holding the path or prefix, or -1
	handler int    // argument holding the handler, or -1
	mws     int    // first middleware argument (variadic), or -1
	// handlerLast: the handler is the last of the variadic arguments
	// from mws on (gin), the others middleware.
	handlerLast bool
}

var httpMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"}

// library returns the router library of a package path: "echo", "chi",
// "gin", "gorilla", "http", "goji", or "".
func library(path string) string {
	switch {
	case path == "github.com/labstack/echo" || strings.HasPrefix(path, "github.com/labstack/echo/v"):
		return "echo"
	case path == "github.com/go-chi/chi" || strings.HasPrefix(path, "github.com/go-chi/chi/v"):
		return "chi"
	case path == "github.com/gin-gonic/gin":
		return "gin"
	case path == "github.com/gorilla/mux":
		return "gorilla"
	case path == "net/http":
		return "http"
	case path == "goji.io":
		return "goji"
	case path == "goji.io/pat":
		return "gojipat"
	}
	return ""
}

// classifyRouter describes c when it is a router library call.
func classifyRouter(c *ssa.CallCommon) apiCall {
	var obj *types.Func
	if c.IsInvoke() {
		obj = c.Method
	} else if callee := c.StaticCallee(); callee != nil {
		obj, _ = callee.Object().(*types.Func)
	}
	if obj == nil || obj.Pkg() == nil {
		return apiCall{}
	}
	lib := library(obj.Pkg().Path())
	if lib == "" {
		return rpcRouterAPI(obj)
	}
	recv := ""
	if r := obj.Type().(*types.Signature).Recv(); r != nil {
		recv = recvTypeName(r.Type())
	}
	if !routerType[lib+"."+recv] {
		return apiCall{}
	}
	if obj.Pkg().Path() == echoV5 {
		return echo5API(recv, obj.Name())
	}
	return routerAPI(lib, recv, obj.Name())
}

// routerType lists the receiver types whose methods register routes; ""
// is for package functions. Other types of these libraries (echo.Context,
// gin.Context, ...) have methods of the same names that do not.
var routerType = setOf("echo.", "echo.Echo", "echo.Group", "chi.", "chi.Mux", "chi.Router", "chi.Routes",
	"gin.", "gin.Engine", "gin.RouterGroup", "gin.IRoutes", "gin.IRouter", "gorilla.", "gorilla.Router", "gorilla.Route",
	"http.", "http.ServeMux", "goji.", "goji.Mux", "gojipat.")

func routerAPI(lib, recv, name string) apiCall {
	none := apiCall{methodA: -1, pathA: -1, handler: -1, mws: -1}
	route := func(method string, methodA, pathA, handler, mws int) apiCall {
		return apiCall{op: opRoute, method: method, methodA: methodA, pathA: pathA, handler: handler, mws: mws}
	}
	upper := strings.ToUpper(name)
	isMethod := false
	for _, m := range httpMethods {
		isMethod = isMethod || upper == m
	}
	switch lib {
	case "echo":
		switch {
		case recv == "" && name == "New":
			none.op = opNew
			return none
		case isMethod && name == upper:
			return route(upper, -1, 1, 2, 3)
		case name == "Any":
			return route("ANY", -1, 1, 2, 3)
		case name == "Add":
			return route("", 1, 2, 3, 4)
		case name == "Match":
			return route("", 1, 2, 3, 4)
		case name == "Group":
			return apiCall{op: opGroup, methodA: -1, pathA: 1, handler: -1, mws: 2}
		case name == "Use" || name == "Pre":
			return apiCall{op: opUse, methodA: -1, pathA: -1, handler: -1, mws: 1}
		case name == "Static":
			return apiCall{op: opStatic, method: "GET", methodA: -1, pathA: 1, handler: -1, mws: -1}
		case name == "File":
			return apiCall{op: opFile, method: "GET", methodA: -1, pathA: 1, handler: -1, mws: 3}
		}
	case "chi":
		switch {
		case recv == "" && (name == "NewRouter" || name == "NewMux"):
			none.op = opNew
			return none
		case isMethod && name != upper:
			return route(upper, -1, 1, 2, -1)
		case name == "Handle" || name == "HandleFunc":
			return route("", -1, 1, 2, -1)
		case name == "Method" || name == "MethodFunc":
			return route("", 1, 2, 3, -1)
		case name == "Use":
			return apiCall{op: opUse, methodA: -1, pathA: -1, handler: -1, mws: 1}
		case name == "With":
			return apiCall{op: opGroup, methodA: -1, pathA: -1, handler: -1, mws: 1}
		case name == "Route":
			return apiCall{op: opRouteFn, methodA: -1, pathA: 1, handler: 2, mws: -1}
		case name == "Group":
			return apiCall{op: opGroupFn, methodA: -1, pathA: -1, handler: 1, mws: -1}
		case name == "Mount":
			return apiCall{op: opMount, methodA: -1, pathA: 1, handler: 2, mws: -1}
		}
	case "gin":
		switch {
		case recv == "" && (name == "New" || name == "Default"):
			none.op = opNew
			return none
		case isMethod && name == upper:
			return apiCall{op: opRoute, method: upper, methodA: -1, pathA: 1, handler: -1, mws: 2, handlerLast: true}
		case name == "Any":
			return apiCall{op: opRoute, method: "ANY", methodA: -1, pathA: 1, handler: -1, mws: 2, handlerLast: true}
		case name == "Handle":
			return apiCall{op: opRoute, methodA: 1, pathA: 2, handler: -1, mws: 3, handlerLast: true}
		case name == "Group":
			return apiCall{op: opGroup, methodA: -1, pathA: 1, handler: -1, mws: 2}
		case name == "Use":
			return apiCall{op: opUse, methodA: -1, pathA: -1, handler: -1, mws: 1}
		case name == "Static" || name == "StaticFS":
			return apiCall{op: opStatic, method: "GET", methodA: -1, pathA: 1, handler: -1, mws: -1}
		case name == "StaticFile":
			return apiCall{op: opFile, method: "GET", methodA: -1, pathA: 1, handler: -1, mws: -1}
		}
	case "gorilla":
		switch {
		case recv == "" && name == "NewRouter":
			none.op = opNew
			return none
		case recv == "Router" && (name == "Handle" || name == "HandleFunc"):
			return route("", -1, 1, 2, -1)
		case recv == "Route" && (name == "Handler" || name == "HandlerFunc"):
			// r.Path(p).Methods(m).HandlerFunc(h): path and methods
			// come from the chain (see gorillaChainOf).
			return route("", -1, -1, 1, -1)
		case recv == "Router" && name == "Use":
			return apiCall{op: opUse, methodA: -1, pathA: -1, handler: -1, mws: 1}
		case recv == "Router" && (name == "StrictSlash" || name == "SkipClean" || name == "UseEncodedPath"):
			none.op = opSame
			return none
		case recv == "Route" && name == "Subrouter":
			return apiCall{op: opSubrouter, methodA: -1, pathA: -1, handler: -1, mws: -1}
		}
	case "http":
		switch {
		case recv == "" && name == "NewServeMux":
			none.op = opNew
			return none
		case (recv == "" || recv == "ServeMux") && (name == "Handle" || name == "HandleFunc"):
			return route("", -1, 1, 2, -1)
		}
	case "goji":
		switch {
		case recv == "" && (name == "NewMux" || name == "SubMux"):
			none.op = opNew
			return none
		case recv == "Mux" && (name == "Handle" || name == "HandleFunc" || name == "HandleC" || name == "HandleFuncC"):
			return route("", -1, 1, 2, -1)
		case recv == "Mux" && name == "Use":
			return apiCall{op: opUse, methodA: -1, pathA: -1, handler: -1, mws: 1}
		}
	}
	return apiCall{}
}

// callArgs lists a call's arguments with the receiver first: nil for a
// package function, the interface value for an invoke.
func callArgs(c *ssa.CallCommon) []ssa.Value {
	if c.IsInvoke() {
		return append([]ssa.Value{c.Value}, c.Args...)
	}
	if c.Signature().Recv() != nil {
		return c.Args
	}
	return append([]ssa.Value{nil}, c.Args...)
}

// variadic returns the values passed in a variadic argument: the elements
// stored into the array the compiler built for it.
func variadic(v ssa.Value) []ssa.Value {
	s, ok := v.(*ssa.Slice)
	if !ok {
		return nil
	}
	alloc, ok := s.X.(*ssa.Alloc)
	if !ok {
		return nil
	}
	return arrayValues(alloc)
}

// arrayValues returns the values stored into the elements of an array.
func arrayValues(alloc *ssa.Alloc) []ssa.Value {
	var out []ssa.Value
	for _, ref := range *alloc.Referrers() {
		ia, ok := ref.(*ssa.IndexAddr)
		if !ok {
			continue
		}
		for _, iref := range *ia.Referrers() {
			if st, ok := iref.(*ssa.Store); ok && st.Addr == ia {
				out = append(out, st.Val)
			}
		}
	}
	return out
}

// rootRouter returns the root router with key.
func (r *resolver) rootRouter(key string) *router {
	if rt, ok := r.routers[key]; ok {
		return rt
	}
	rt := &router{key: key}
	r.routers[key] = rt
	return rt
}

// routerCall resolves a call that creates or derives a router, or
// returns nil for any other call.
func (r *resolver) routerCall(c *ssa.CallCommon, f *frame) *value {
	api := classifyRouter(c)
	args := callArgs(c)
	switch api.op {
	case opNew:
		rt := r.rootRouter(fmt.Sprintf("%p", c))
		if pkg, _, _ := calleeName(c); pkg != "" {
			rt.lib = library(pkg)
		}
		return &value{routers: []*router{rt}}
	case opSame:
		return &value{routers: r.resolve(args[0], f).routers}
	case opSubrouter:
		return r.subrouter(c, args[0], f)
	case opGroup, opRouteFn, opGroupFn:
	default:
		return nil
	}
	prefix := ""
	if api.pathA >= 0 && api.pathA < len(args) {
		if ps := r.pathTemplates(args[api.pathA], f, nil); len(ps) > 0 {
			prefix = ps[0]
		}
	}
	var mws []*closure
	if api.mws >= 0 && api.mws < len(args) {
		for _, v := range variadic(args[api.mws]) {
			mws = append(mws, r.resolve(v, f).funcs...)
		}
	}
	return r.derived(c, r.resolve(args[0], f).routers, args[0], prefix, mws)
}

// derived returns the routers call c derives from parents (or from an
// unknown router, the receiver v) with a prefix and middleware: one per
// parent and call site.
func (r *resolver) derived(c *ssa.CallCommon, parents []*router, v ssa.Value, prefix string, mws []*closure) *value {
	if len(parents) == 0 {
		parents = []*router{r.rootRouter(fmt.Sprintf("unknown %p", v))}
	}
	out := &value{}
	for _, p := range parents {
		key := fmt.Sprintf("%p|%s", c, p.key)
		rt, ok := r.routers[key]
		if !ok {
			rt = &router{key: key, parent: p, prefix: prefix, mws: mws}
			r.routers[key] = rt
		}
		out.routers = append(out.routers, rt)
	}
	return out
}
