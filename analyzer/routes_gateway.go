package analyzer

// grpc-gateway (PATTERNS R13): a generated RegisterXHandlerServer or
// RegisterXHandlerFromEndpoint registers one route per HTTP binding on a
// runtime.ServeMux; the verb and path come from the generated .pb.gw.go
// (mux.Handle("GET", pattern_X_Y_0, ...) and the pattern variables).

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// isGatewayRuntime reports whether path is grpc-gateway's runtime package.
func isGatewayRuntime(path string) bool {
	return path == "github.com/grpc-ecosystem/grpc-gateway/v2/runtime" ||
		path == "github.com/grpc-ecosystem/grpc-gateway/runtime"
}

// rpcRouterAPI describes the calls of RPC libraries that create a router:
// the gateway's runtime.NewServeMux, which the generated
// RegisterXHandlerServer functions register routes on.
func rpcRouterAPI(obj *types.Func) apiCall {
	if isGatewayRuntime(obj.Pkg().Path()) && obj.Name() == "NewServeMux" && obj.Type().(*types.Signature).Recv() == nil {
		return apiCall{op: opNew, methodA: -1, pathA: -1, handler: -1, mws: -1}
	}
	return apiCall{}
}

// isGatewayMuxNew reports whether call is the gateway's runtime.NewServeMux.
func isGatewayMuxNew(call *ssa.Call) bool {
	pkg, recv, name := calleeName(call.Common())
	return isGatewayRuntime(pkg) && recv == "" && name == "NewServeMux"
}

// gatewayMiddleware adds to the gateway mux a runtime.NewServeMux call in
// fn makes the middleware its runtime.WithMiddlewares options give: they
// wrap every binding registered on it.
func (rf *routeFinder) gatewayMiddleware(call *ssa.Call, fn *ssa.Function) {
	if len(call.Call.Args) != 1 {
		return
	}
	for _, f := range rf.contexts(fn, 0) {
		var mws []*closure
		for _, opt := range variadic(call.Call.Args[0]) {
			oc, ok := peel(opt).(*ssa.Call)
			if !ok || len(oc.Call.Args) != 1 {
				continue
			}
			if pkg, _, name := calleeName(oc.Common()); isGatewayRuntime(pkg) && name == "WithMiddlewares" {
				mws = append(mws, rf.middleware(oc.Call.Args, 0, f)...)
			}
		}
		for _, r := range rf.resolve(call, f).routers {
			r.mws = append(r.mws, mws...)
		}
	}
}

// gatewayRegistrar describes a generated grpc-gateway registration
// function: RegisterXHandlerServer(ctx, mux, server), or
// RegisterXHandlerFromEndpoint / RegisterXHandler / RegisterXHandlerClient,
// which forward to a gRPC server.
type gatewayRegistrar struct {
	mux     int // the *runtime.ServeMux parameter
	impl    int // the XServer or XClient parameter, or -1
	methods []gatewayMethod
}

// gatewayMethod is one HTTP binding of a gateway: its verb and path
// template, and the service method it calls through iface (the service's
// XServer or XClient interface).
type gatewayMethod struct {
	verb, path, name string
	iface            types.Type
}

// gatewayRegistrar returns what a generated gateway registration function
// registers, following the calls between the generated functions
// (FromEndpoint → Handler → HandlerClient), or nil when fn is none.
func (rf *routeFinder) gatewayRegistrar(fn *ssa.Function, depth int) *gatewayRegistrar {
	reg := &gatewayRegistrar{mux: -1, impl: -1}
	for i, p := range fn.Params {
		if isGatewayMux(p.Type()) {
			reg.mux = i
		}
	}
	if reg.mux < 0 || depth > 3 {
		return nil
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := ci.Common()
			if pkg, recv, name := calleeName(c); isGatewayRuntime(pkg) && recv == "ServeMux" && name == "Handle" {
				if m, ok := rf.gatewayMethod(c); ok {
					reg.methods = append(reg.methods, m)
				}
				continue
			}
			callee := c.StaticCallee()
			if len(reg.methods) == 0 && callee != nil && callee.Pkg == fn.Pkg && callee.Blocks != nil && strings.HasPrefix(callee.Name(), "Register") {
				if inner := rf.gatewayRegistrar(callee, depth+1); inner != nil {
					reg.methods = inner.methods
				}
			}
		}
	}
	if len(reg.methods) == 0 {
		return nil
	}
	for i, p := range fn.Params {
		if types.Identical(p.Type(), reg.methods[0].iface) {
			reg.impl = i
		}
	}
	return reg
}

// isGatewayMux reports whether t is the gateway's *runtime.ServeMux.
func isGatewayMux(t types.Type) bool {
	ptr, ok := t.(*types.Pointer)
	if !ok {
		return false
	}
	named, ok := types.Unalias(ptr.Elem()).(*types.Named)
	return ok && named.Obj().Name() == "ServeMux" && named.Obj().Pkg() != nil && isGatewayRuntime(named.Obj().Pkg().Path())
}

// gatewayMethod reads one generated mux.Handle("GET", pattern_X_Y_0,
// func(w, req, pathParams) {...}): the verb, the path template the
// pattern variable decodes to, and the service method the function
// calls.
func (rf *routeFinder) gatewayMethod(c *ssa.CallCommon) (gatewayMethod, bool) {
	args := callArgs(c)
	if len(args) != 4 {
		return gatewayMethod{}, false
	}
	verb, ok := args[1].(*ssa.Const)
	load, ok2 := args[2].(*ssa.UnOp)
	mc, ok3 := peel(args[3]).(*ssa.MakeClosure)
	if !ok || !ok2 || !ok3 || verb.Value == nil || verb.Value.Kind() != constant.String {
		return gatewayMethod{}, false
	}
	g, ok := load.X.(*ssa.Global)
	if !ok {
		return gatewayMethod{}, false
	}
	e, info := rf.globalInit(g.Object())
	path, ok := gatewayPattern(e, info)
	if !ok {
		return gatewayMethod{}, false
	}
	name, iface := invokedMethod(mc.Fn.(*ssa.Function), 0)
	if name == "" {
		return gatewayMethod{}, false
	}
	return gatewayMethod{verb: strings.ToUpper(constant.StringVal(verb.Value)), path: path, name: name, iface: iface}, true
}

// invokedMethod returns the service method a generated gateway handler
// calls: the method called on a parameter whose interface the generated
// package declares (XServer or XClient, not runtime.Marshaler), in fn
// or the generated functions it calls.
func invokedMethod(fn *ssa.Function, depth int) (string, types.Type) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			c := ci.Common()
			if c.IsInvoke() {
				_, param := c.Value.(*ssa.Parameter)
				if named, ok := types.Unalias(c.Value.Type()).(*types.Named); param && ok && named.Obj().Pkg() == fn.Pkg.Pkg {
					return c.Method.Name(), c.Value.Type()
				}
				continue
			}
			if callee := c.StaticCallee(); callee != nil && callee.Pkg == fn.Pkg && callee.Blocks != nil && depth < 2 {
				if name, iface := invokedMethod(callee, depth+1); name != "" {
					return name, iface
				}
			}
		}
	}
	return "", nil
}

// The opcodes of grpc-gateway's path patterns (utilities.OpCode).
const (
	gwNop = iota
	gwPush
	gwLitPush
	gwPushM
	gwConcatN
	gwCapture
)

// gatewayPattern decodes the initializer of a generated pattern variable,
// runtime.MustPattern(runtime.NewPattern(1, ops, pool, verb)), into the
// path template it matches: "/api/v1/memos/{id}".
func gatewayPattern(e ast.Expr, info *types.Info) (string, bool) {
	must, ok := e.(*ast.CallExpr)
	if !ok || len(must.Args) != 1 {
		return "", false
	}
	np, ok := must.Args[0].(*ast.CallExpr)
	if !ok || len(np.Args) != 4 {
		return "", false
	}
	ops, ok1 := constList(np.Args[1], info)
	pool, ok2 := constList(np.Args[2], info)
	verb, ok3 := constString(np.Args[3], info)
	if !ok1 || !ok2 || !ok3 {
		return "", false
	}
	return decodePattern(ops, pool, verb)
}

// constList returns the constants of a slice literal.
func constList(e ast.Expr, info *types.Info) ([]constant.Value, bool) {
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, false
	}
	var out []constant.Value
	for _, el := range lit.Elts {
		tv, ok := info.Types[el]
		if !ok || tv.Value == nil {
			return nil, false
		}
		out = append(out, tv.Value)
	}
	return out, true
}

// decodePattern runs a gateway pattern's stack program: literals and
// wildcards are pushed, concatenated into a segment run, and captured as
// a named variable.
func decodePattern(ops, pool []constant.Value, verb string) (string, bool) {
	if len(ops)%2 != 0 {
		return "", false
	}
	str := func(i int64) (string, bool) {
		if i < 0 || i >= int64(len(pool)) || pool[i].Kind() != constant.String {
			return "", false
		}
		return constant.StringVal(pool[i]), true
	}
	var stack []string
	for i := 0; i < len(ops); i += 2 {
		code, _ := constant.Int64Val(ops[i])
		arg, _ := constant.Int64Val(ops[i+1])
		switch code {
		case gwNop:
		case gwPush:
			stack = append(stack, "*")
		case gwPushM:
			stack = append(stack, "**")
		case gwLitPush:
			s, ok := str(arg)
			if !ok {
				return "", false
			}
			stack = append(stack, s)
		case gwConcatN:
			if arg <= 0 || arg > int64(len(stack)) {
				return "", false
			}
			n := len(stack) - int(arg)
			stack = append(stack[:n], strings.Join(stack[n:], "/"))
		case gwCapture:
			name, ok := str(arg)
			if !ok || len(stack) == 0 {
				return "", false
			}
			top := &stack[len(stack)-1]
			if *top == "*" {
				*top = "{" + name + "}"
			} else {
				*top = "{" + name + "=" + *top + "}"
			}
		default:
			return "", false
		}
	}
	path := "/" + strings.Join(stack, "/")
	if verb != "" {
		path += ":" + verb
	}
	return path, true
}

// registerGateway adds a route per HTTP binding of a gateway registration
// on the gateway mux it names. A binding served in process
// (RegisterXHandlerServer) runs the implementation's method alone; one
// forwarded to a gRPC endpoint runs what the module's gRPC server runs
// for that method, interceptors included.
func (rf *routeFinder) registerGateway(rc rpcCall, served map[types.Type]map[string][]grpcEntry) {
	reg, args := rc.gateway, rc.c.Args
	for _, f := range rf.contexts(rc.fn, 0) {
		var impl *value
		if reg.impl >= 0 {
			impl = rf.resolve(args[reg.impl], f)
		}
		for _, r := range rf.routersOf(args[reg.mux], f) {
			for _, m := range reg.methods {
				for _, e := range rf.gatewayEntries(m, impl, served) {
					for _, h := range orNil(e.handlers) {
						rf.addEntry(rc.routerCall, r, m.verb, m.path, h, e.mws)
					}
				}
			}
		}
	}
}

// gatewayEntries returns what serves a gateway binding: the method of the
// in-process implementation impl, or the gRPC registrations of the
// service a client forwards to (any module implementation when there is
// none).
func (rf *routeFinder) gatewayEntries(m gatewayMethod, impl *value, served map[types.Type]map[string][]grpcEntry) []grpcEntry {
	server := serverIface(m.iface)
	if server == nil {
		if impl == nil {
			impl = &value{}
		}
		return []grpcEntry{{handlers: rf.implMethods(impl, m.iface, m.name)}}
	}
	if entries := served[server][m.name]; len(entries) > 0 {
		return entries
	}
	return []grpcEntry{{handlers: rf.implMethods(&value{}, server, m.name)}}
}

// serverIface returns the XServer interface beside a generated XClient
// interface, or nil when iface is not a client.
func serverIface(iface types.Type) types.Type {
	named, ok := types.Unalias(iface).(*types.Named)
	if !ok || !strings.HasSuffix(named.Obj().Name(), "Client") || named.Obj().Pkg() == nil {
		return nil
	}
	obj := named.Obj().Pkg().Scope().Lookup(strings.TrimSuffix(named.Obj().Name(), "Client") + "Server")
	if obj == nil {
		return nil
	}
	return obj.Type()
}
