package analyzer

// Plain gRPC services (PATTERNS R13): a generated RegisterXServer(s, svc)
// serves "gRPC /pkg.Service/Method" per method of the service's
// grpc.ServiceDesc, run by svc's method behind the server's unary or
// stream interceptors.

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

const grpcPkg = "google.golang.org/grpc"

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

// isServiceDesc reports whether t is grpc.ServiceDesc.
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

// keyed returns the fields a keyed composite literal sets.
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

// isNewServer reports whether call is grpc.NewServer.
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
