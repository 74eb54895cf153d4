package analyzer

// connect-go services (PATTERNS R13): mux.Handle(path, h) with path, h
// from a generated NewXServiceHandler(svc, opts...) serves one POST route
// per procedure, run by svc's method behind the handler's interceptors.

import (
	"go/constant"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

const connectPkg = "connectrpc.com/connect"

// connectProc is one procedure a connect handler serves.
type connectProc struct {
	procedure string // "/memo.v1.MemoService/ListMemos"
	stream    bool   // stream interceptors wrap it, not unary ones
	handlers  []*closure
}

// addConnect adds the routes of a connect-go handler registered at path
// on r (mux.Handle(memov1connect.NewMemoServiceHandler(svc, opts...))):
// POST and the procedure for each RPC method, wrapped in the handler's
// interceptors. It reports whether h was such a handler.
func (rf *routeFinder) addConnect(rc routerCall, f *frame, r *router, path string, h ssa.Value, routeMWs []*closure) bool {
	inner, prefixes := stripPrefix(h, rf, f)
	call := connectCall(inner, 0)
	if call == nil {
		return false
	}
	procs, opts := rf.connectProcs(call, f)
	if len(procs) == 0 {
		return false
	}
	_, wrappers := rf.handlers(h, f)
	unary, stream := rf.connectInterceptors(opts, f)
	for _, prefix := range prefixes {
		for _, p := range procs {
			mws := append(append([]*closure{}, routeMWs...), wrappers...)
			if p.stream {
				mws = append(mws, stream...)
			} else {
				mws = append(mws, unary...)
			}
			full := connectPath(path, prefix, p.procedure)
			for _, hd := range orNil(p.handlers) {
				rf.addEntry(rc, r, "POST", full, hd, mws)
			}
		}
	}
	return true
}

// orNil returns cs, or one nil closure when cs is empty: a route with no
// known handler is still a route.
func orNil(cs []*closure) []*closure {
	if len(cs) == 0 {
		return []*closure{nil}
	}
	return cs
}

// connectPath is the path a procedure is served at when its service's
// handler is registered at path (normally the service's own path,
// "/memo.v1.MemoService/") under an http.StripPrefix prefix.
func connectPath(path, prefix, procedure string) string {
	service := procedure[:strings.LastIndexByte(procedure, '/')+1]
	if strings.HasSuffix(path, service) {
		return strings.TrimSuffix(path, service) + procedure
	}
	return prefix + procedure
}

// connectCall returns the call that built a connect handler h: a
// generated NewXServiceHandler (whose result h is) or a
// connect.NewUnaryHandler and kin, looking through wrapper calls around
// it (cors(h)); nil when h is none.
func connectCall(h ssa.Value, depth int) *ssa.Call {
	switch v := peel(h).(type) {
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok && connectCtor(call.Common().StaticCallee()) != nil {
			return call
		}
	case *ssa.Call:
		if connectHandlerKind(v.Common()) != "" {
			return v
		}
		for _, a := range v.Common().Args {
			if depth < 4 && isHandlerIface(a.Type()) {
				if inner := connectCall(a, depth+1); inner != nil {
					return inner
				}
			}
		}
	}
	return nil
}

// connectHandlerKind returns "unary" or "stream" when c creates a
// connect handler for one procedure, or "".
func connectHandlerKind(c *ssa.CallCommon) string {
	pkg, recv, name := calleeName(c)
	if pkg != connectPkg || recv != "" {
		return ""
	}
	switch name {
	case "NewUnaryHandler", "NewUnaryHandlerSimple":
		return "unary"
	case "NewServerStreamHandler", "NewClientStreamHandler", "NewBidiStreamHandler",
		"NewServerStreamHandlerSimple", "NewClientStreamHandlerSimple", "NewBidiStreamHandlerSimple":
		return "stream"
	}
	return ""
}

// ctorProc is a procedure a generated connect constructor serves: the
// method of its implementation parameter param.
type ctorProc struct {
	procedure, method string
	stream            bool
	param             int
}

// connectCtor returns the procedures of a generated connect constructor
// (func NewXServiceHandler(svc XServiceHandler, opts ...connect.HandlerOption)
// (string, http.Handler)), or nil when fn is none.
func connectCtor(fn *ssa.Function) []ctorProc {
	if fn == nil || fn.Blocks == nil || fn.Signature.Results().Len() != 2 {
		return nil
	}
	var out []ctorProc
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			kind := connectHandlerKind(call.Common())
			args := call.Common().Args
			if kind == "" || len(args) < 2 {
				continue
			}
			proc, ok := args[0].(*ssa.Const)
			if !ok || proc.Value == nil || proc.Value.Kind() != constant.String {
				continue
			}
			mc, ok := args[1].(*ssa.MakeClosure)
			if !ok || len(mc.Bindings) != 1 {
				continue
			}
			param := paramOf(fn, mc.Bindings[0])
			method, ok := mc.Fn.(*ssa.Function).Object().(*types.Func)
			if param < 0 || !ok {
				continue
			}
			out = append(out, ctorProc{procedure: constant.StringVal(proc.Value), method: method.Name(), stream: kind == "stream", param: param})
		}
	}
	return out
}

// connectProcs returns the procedures a connect handler call serves in
// frame f, with their handlers, and the handler options passed to it.
func (rf *routeFinder) connectProcs(call *ssa.Call, f *frame) ([]connectProc, []ssa.Value) {
	c := call.Common()
	last := func() []ssa.Value {
		if c.Signature().Variadic() && len(c.Args) > 0 {
			return variadic(c.Args[len(c.Args)-1])
		}
		return nil
	}
	if kind := connectHandlerKind(c); kind != "" {
		var out []connectProc
		for _, p := range rf.pathTemplates(c.Args[0], f, nil) {
			out = append(out, connectProc{procedure: p, stream: kind == "stream", handlers: rf.resolve(c.Args[1], f).funcs})
		}
		return out, last()
	}
	ctor := c.StaticCallee()
	var out []connectProc
	for _, p := range connectCtor(ctor) {
		impl := rf.resolve(c.Args[p.param], f)
		hs := rf.implMethods(impl, ctor.Params[p.param].Type(), p.method)
		out = append(out, connectProc{procedure: p.procedure, stream: p.stream, handlers: hs})
	}
	return out, last()
}

// connectInterceptors returns the interceptors that connect.WithInterceptors
// options add (also inside connect.WithHandlerOptions), as the middleware
// of unary and of streaming procedures: a connect.UnaryInterceptorFunc
// wraps unary calls only; an Interceptor type wraps unary calls with its
// WrapUnary and streams with its WrapStreamingHandler.
func (rf *routeFinder) connectInterceptors(opts []ssa.Value, f *frame) (unary, stream []*closure) {
	for _, opt := range opts {
		call, ok := peel(opt).(*ssa.Call)
		if !ok {
			continue
		}
		pkg, _, name := calleeName(call.Common())
		if pkg != connectPkg || len(call.Call.Args) != 1 {
			continue
		}
		if name == "WithHandlerOptions" {
			u, s := rf.connectInterceptors(variadic(call.Call.Args[0]), f)
			unary, stream = append(unary, u...), append(stream, s...)
			continue
		}
		if name != "WithInterceptors" {
			continue
		}
		for _, iv := range variadic(call.Call.Args[0]) {
			val := rf.resolve(iv, f)
			if len(val.funcs) > 0 {
				unary = append(unary, val.funcs...)
				continue
			}
			unary = append(unary, rf.moduleMethods(val, "WrapUnary")...)
			stream = append(stream, rf.moduleMethods(val, "WrapStreamingHandler")...)
		}
	}
	return unary, stream
}

// moduleMethods returns the module methods named name of the concrete
// types val may hold, bound to val.
func (rf *routeFinder) moduleMethods(val *value, name string) []*closure {
	var out []*closure
	for _, fn := range rf.ix.methodsOf(val.dyn, name) {
		if fn.Pkg != nil && rf.ix.inModule[fn.Pkg] {
			out = append(out, &closure{fn: fn, env: rf.newFrame(fn, []*value{val}, nil)})
		}
	}
	return out
}
