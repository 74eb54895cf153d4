package analyzer

// RPC entry points (PATTERNS R13): the methods of the services a module
// serves with connect-go, grpc-gateway or plain gRPC. Each method is a
// route whose handler is the implementation's method and whose middleware
// are the interceptors that wrap it. The generated code that wires them
// up is read for names, HTTP verbs and patterns; it is never a route.

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

const (
	connectPkg = "connectrpc.com/connect"
	grpcPkg    = "google.golang.org/grpc"
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

// entryFrame is the frame an entry closure runs in: a method bound to its
// receiver (an RPC service's implementation) keeps it.
func (w *walker) entryFrame(cl *closure) *frame {
	if cl.env != nil && cl.env.fn == cl.fn && len(cl.env.params) > 0 {
		return cl.env
	}
	return w.closureFrame(cl, nil)
}

// addEntry records a route on router r whose handler and middleware are
// known, expanded over r's prefixes and whole-router middleware.
func (rf *routeFinder) addEntry(rc routerCall, r *router, method, path string, handler *closure, mws []*closure) {
	lib := r.root().lib
	for _, chain := range r.chains() {
		full := cleanRoutePath(joinPath(lib, chain.prefix, path))
		entries := append(append([]*closure{}, chain.mws...), mws...)
		id := "-"
		if handler != nil {
			entries = append(entries, handler)
			id = fmt.Sprintf("%p %s", handler.fn, handler.key())
		}
		key := fmt.Sprintf("%s %s %d %s", method, full, rc.c.Pos(), id)
		if rf.seen[key] {
			continue
		}
		rf.seen[key] = true
		rf.routes = append(rf.routes, &route{method: method, path: full, pos: rf.ix.callPos(rc.c), handler: handler, entries: entries})
	}
}

// implMethods returns the methods named name of the implementation impl
// of interface iface, bound to impl; when impl's concrete type is not
// known, every module implementation of iface, unbound.
func (rf *routeFinder) implMethods(impl *value, iface types.Type, name string) []*closure {
	var out []*closure
	for _, fn := range rf.ix.methodsOf(impl.dyn, name) {
		out = append(out, &closure{fn: fn, env: rf.newFrame(fn, []*value{impl}, nil)})
	}
	if len(out) > 0 {
		return out
	}
	for _, fn := range rf.ix.implementations(iface, name) {
		out = append(out, &closure{fn: fn})
	}
	return out
}

// ---- connect-go

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

// paramOf returns the index of v among fn's parameters, or -1.
func paramOf(fn *ssa.Function, v ssa.Value) int {
	if p, ok := v.(*ssa.Parameter); ok && p.Parent() == fn {
		return paramIndex(p)
	}
	return -1
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
// options add, as the middleware of unary and of streaming procedures:
// a connect.UnaryInterceptorFunc wraps unary calls only; an Interceptor
// type wraps unary calls with its WrapUnary and streams with its
// WrapStreamingHandler.
func (rf *routeFinder) connectInterceptors(opts []ssa.Value, f *frame) (unary, stream []*closure) {
	for _, opt := range opts {
		call, ok := peel(opt).(*ssa.Call)
		if !ok {
			continue
		}
		if pkg, _, name := calleeName(call.Common()); pkg != connectPkg || name != "WithInterceptors" || len(call.Call.Args) != 1 {
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

// ---- plain gRPC and grpc-gateway

// rpcMethod is one method of a gRPC service.
type rpcMethod struct {
	name   string
	stream bool
}

// grpcRegistrar describes a generated RegisterXServer(s, srv) function:
// its service's full name and methods, and its parameters.
type grpcRegistrar struct {
	service  string
	methods  []rpcMethod
	server   int // the grpc.ServiceRegistrar parameter
	impl     int // the implementation parameter, or -1
	implType types.Type
	// funcs is the parameter of the older generator's struct of method
	// functions (srv *BenchmarkQueueService{ReceiveBenchmarkJob: f}),
	// or -1.
	funcs int
}

// grpcEntry is a registered gRPC method: its handlers and interceptors.
type grpcEntry struct {
	handlers, mws []*closure
}

// rpcCall is a call of a generated registration function.
type rpcCall struct {
	routerCall
	grpc    *grpcRegistrar
	gateway *gatewayRegistrar
}

// findRPCRoutes adds the routes of the gRPC services the module registers
// (memov1.RegisterMemoServiceServer(s, svc): "gRPC /memo.v1.MemoService/ListMemos")
// and of their REST gateways (memov1.RegisterMemoServiceHandlerServer(ctx,
// gwmux, svc) and ...FromEndpoint: "GET /api/v1/memos"). A gateway
// that forwards to a gRPC endpoint runs the method the module registers
// for that service, behind that server's interceptors.
func (rf *routeFinder) findRPCRoutes() {
	generated := generatedFiles(rf.ix.program)
	var calls []rpcCall
	for _, fn := range rf.ix.funcs {
		if generated[rf.ix.fset.File(fn.Pos())] {
			continue // generated registrations call one another
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				ci, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				callee := ci.Common().StaticCallee()
				if callee == nil || callee.Blocks == nil || !strings.HasPrefix(callee.Name(), "Register") {
					continue
				}
				rc := rpcCall{routerCall: routerCall{fn: fn, instr: ci, c: ci.Common()}}
				if rc.grpc = rf.grpcRegistrar(callee); rc.grpc == nil {
					rc.gateway = rf.gatewayRegistrar(callee, 0)
				}
				if rc.grpc != nil || rc.gateway != nil {
					calls = append(calls, rc)
				}
			}
		}
	}
	served := map[types.Type]map[string][]grpcEntry{}
	for _, rc := range calls {
		if rc.grpc != nil {
			rf.registerGRPC(rc, served)
		}
	}
	for _, rc := range calls {
		if rc.gateway != nil {
			rf.registerGateway(rc, served)
		}
	}
}

// generatedFiles returns the files of the module that say they are
// generated ("Code generated ... DO NOT EDIT.").
func generatedFiles(p *program) map[*token.File]bool {
	out := map[*token.File]bool{}
	for _, pkg := range p.pkgs {
		for _, f := range pkg.Syntax {
			if ast.IsGenerated(f) {
				out[p.fset.File(f.Pos())] = true
			}
		}
	}
	return out
}

// grpcRegistrar returns what a generated RegisterXServer function
// registers, or nil when fn does not call RegisterService.
func (rf *routeFinder) grpcRegistrar(fn *ssa.Function) *grpcRegistrar {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok || !isRegisterService(ci.Common()) {
				continue
			}
			args := callArgs(ci.Common())
			if len(args) != 3 {
				continue
			}
			lit, info := rf.serviceDescLit(fn, args[1])
			if lit == nil {
				continue
			}
			reg := &grpcRegistrar{server: paramOf(fn, peel(args[0])), impl: paramOf(fn, peel(args[2])), funcs: -1}
			reg.service, reg.methods = parseServiceDesc(lit, info)
			if reg.impl >= 0 {
				reg.implType = fn.Params[reg.impl].Type()
			} else {
				reg.funcs = funcsParam(fn, reg.methods)
			}
			if reg.service != "" {
				return reg
			}
		}
	}
	return nil
}

// isRegisterService reports whether c is grpc's RegisterService, on a
// grpc.ServiceRegistrar or a *grpc.Server.
func isRegisterService(c *ssa.CallCommon) bool {
	if c.IsInvoke() {
		return c.Method.Name() == "RegisterService" && c.Method.Pkg() != nil && c.Method.Pkg().Path() == grpcPkg
	}
	pkg, _, name := calleeName(c)
	return pkg == grpcPkg && name == "RegisterService"
}

// serviceDescLit returns the grpc.ServiceDesc literal desc points to: a
// package variable's initializer, or a literal in fn.
func (rf *routeFinder) serviceDescLit(fn *ssa.Function, desc ssa.Value) (*ast.CompositeLit, *types.Info) {
	if g, ok := desc.(*ssa.Global); ok {
		e, info := rf.globalInit(g.Object())
		lit, _ := e.(*ast.CompositeLit)
		return lit, info
	}
	info := rf.ix.infoOf[fn.Pkg.Pkg]
	var found *ast.CompositeLit
	if fn.Syntax() == nil || info == nil {
		return nil, nil
	}
	ast.Inspect(fn.Syntax(), func(n ast.Node) bool {
		if lit, ok := n.(*ast.CompositeLit); ok && found == nil && isServiceDesc(info.TypeOf(lit)) {
			found = lit
		}
		return found == nil
	})
	return found, info
}

func isServiceDesc(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Name() == "ServiceDesc" && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == grpcPkg
}

// globalInit returns the initializer of a package variable and its
// package's type information, or nil.
func (rf *routeFinder) globalInit(obj types.Object) (ast.Expr, *types.Info) {
	for _, pkg := range rf.ix.pkgs {
		if pkg.Types != obj.Pkg() {
			continue
		}
		for _, file := range pkg.Syntax {
			if obj.Pos() < file.FileStart || obj.Pos() > file.FileEnd {
				continue
			}
			for _, d := range file.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.VAR {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, name := range vs.Names {
						if name.Pos() == obj.Pos() && i < len(vs.Values) {
							return vs.Values[i], pkg.TypesInfo
						}
					}
				}
			}
		}
	}
	return nil, nil
}

// parseServiceDesc reads a grpc.ServiceDesc literal: the service's full
// name and its unary methods and streams.
func parseServiceDesc(lit *ast.CompositeLit, info *types.Info) (string, []rpcMethod) {
	service := ""
	var methods []rpcMethod
	for _, kv := range keyed(lit) {
		switch kv.key {
		case "ServiceName":
			service, _ = constString(kv.value, info)
		case "Methods", "Streams":
			list, ok := kv.value.(*ast.CompositeLit)
			if !ok {
				continue
			}
			for _, e := range list.Elts {
				m, ok := e.(*ast.CompositeLit)
				if !ok {
					continue
				}
				for _, f := range keyed(m) {
					if f.key == "MethodName" || f.key == "StreamName" {
						if name, ok := constString(f.value, info); ok {
							methods = append(methods, rpcMethod{name: name, stream: kv.key == "Streams"})
						}
					}
				}
			}
		}
	}
	return service, methods
}

// keyedElt is a field of a keyed composite literal.
type keyedElt struct {
	key   string
	value ast.Expr
}

func keyed(lit *ast.CompositeLit) []keyedElt {
	var out []keyedElt
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				out = append(out, keyedElt{id.Name, kv.Value})
			}
		}
	}
	return out
}

// constString returns the string constant e is.
func constString(e ast.Expr, info *types.Info) (string, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// registerGRPC adds a route per method of a registered gRPC service,
// named "gRPC /pkg.Service/Method", behind the server's unary or stream
// interceptors, and records what serves each method for the gateways.
func (rf *routeFinder) registerGRPC(rc rpcCall, served map[types.Type]map[string][]grpcEntry) {
	reg, args := rc.grpc, rc.c.Args
	r := rf.rootRouter("grpc")
	for _, f := range rf.contexts(rc.fn, 0) {
		var unary, stream []*closure
		if reg.server >= 0 {
			unary, stream = rf.grpcInterceptors(args[reg.server], f)
		}
		for _, m := range reg.methods {
			var hs []*closure
			switch {
			case reg.impl >= 0:
				hs = rf.implMethods(rf.resolve(args[reg.impl], f), reg.implType, m.name)
			case reg.funcs >= 0:
				hs = rf.fieldFuncs(rf.resolve(args[reg.funcs], f), m.name)
			}
			mws := unary
			if m.stream {
				mws = stream
			}
			for _, h := range orNil(hs) {
				rf.addEntry(rc.routerCall, r, "gRPC", "/"+reg.service+"/"+m.name, h, mws)
			}
			if reg.implType != nil {
				if served[reg.implType] == nil {
					served[reg.implType] = map[string][]grpcEntry{}
				}
				served[reg.implType][m.name] = append(served[reg.implType][m.name], grpcEntry{handlers: hs, mws: mws})
			}
		}
	}
}

// funcsParam returns the parameter of fn that points to a struct with a
// function field per method, or -1.
func funcsParam(fn *ssa.Function, methods []rpcMethod) int {
	for i, p := range fn.Params {
		st := structOf(p.Type())
		if st == nil || len(methods) == 0 {
			continue
		}
		all := true
		for _, m := range methods {
			all = all && funcField(st, m.name) >= 0
		}
		if all {
			return i
		}
	}
	return -1
}

// structOf returns the struct t points to, or nil.
func structOf(t types.Type) *types.Struct {
	ptr, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	st, _ := ptr.Elem().Underlying().(*types.Struct)
	return st
}

// funcField returns the index of st's function field name, or -1.
func funcField(st *types.Struct, name string) int {
	for i := 0; i < st.NumFields(); i++ {
		if f := st.Field(i); f.Name() == name {
			if _, ok := f.Type().Underlying().(*types.Signature); ok {
				return i
			}
		}
	}
	return -1
}

// fieldFuncs returns the functions stored in the field name of the
// structs v may point to.
func (rf *routeFinder) fieldFuncs(v *value, name string) []*closure {
	var out []*closure
	for _, c := range v.cells {
		st := structOf(c.alloc.Type())
		if st == nil {
			continue
		}
		field := funcField(st, name)
		for _, ref := range *c.alloc.Referrers() {
			fa, ok := ref.(*ssa.FieldAddr)
			if !ok || fa.Field != field {
				continue
			}
			for _, use := range *fa.Referrers() {
				if st, ok := use.(*ssa.Store); ok && st.Addr == fa {
					out = append(out, rf.resolve(st.Val, c.frame).funcs...)
				}
			}
		}
	}
	return out
}

// grpcInterceptors returns the unary and stream interceptors of the gRPC
// server v is: the options of the grpc.NewServer call that made it (or of
// the module's only one).
func (rf *routeFinder) grpcInterceptors(v ssa.Value, f *frame) (unary, stream []*closure) {
	call, ok := peel(v).(*ssa.Call)
	if !ok || !isNewServer(call) {
		call = rf.onlyNewServer()
	}
	if call == nil || len(call.Call.Args) == 0 {
		return nil, nil
	}
	if call.Parent() != f.fn {
		f = rf.newFrame(call.Parent(), nil, nil)
	}
	for _, opt := range variadic(call.Call.Args[len(call.Call.Args)-1]) {
		oc, ok := peel(opt).(*ssa.Call)
		if !ok || len(oc.Call.Args) == 0 {
			continue
		}
		pkg, _, name := calleeName(oc.Common())
		if pkg != grpcPkg {
			continue
		}
		vals := oc.Call.Args[:1]
		if strings.HasPrefix(name, "Chain") {
			vals = variadic(oc.Call.Args[0])
		}
		for _, x := range vals {
			switch name {
			case "UnaryInterceptor", "ChainUnaryInterceptor":
				unary = append(unary, rf.resolve(x, f).funcs...)
			case "StreamInterceptor", "ChainStreamInterceptor":
				stream = append(stream, rf.resolve(x, f).funcs...)
			}
		}
	}
	return unary, stream
}

func isNewServer(call *ssa.Call) bool {
	pkg, recv, name := calleeName(call.Common())
	return pkg == grpcPkg && recv == "" && name == "NewServer"
}

// onlyNewServer returns the module's grpc.NewServer call when there is
// exactly one.
func (rf *routeFinder) onlyNewServer() *ssa.Call {
	var found *ssa.Call
	for _, fn := range rf.ix.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(*ssa.Call); ok && isNewServer(call) {
					if found != nil {
						return nil
					}
					found = call
				}
			}
		}
	}
	return found
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
	if methods, ok := served[server]; ok {
		return methods[m.name]
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
