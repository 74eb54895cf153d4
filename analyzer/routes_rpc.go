package analyzer

// RPC entry points (PATTERNS R13): the methods of the services a module
// serves with connect-go, grpc-gateway or plain gRPC. Each method is a
// route whose handler is the implementation's method and whose middleware
// are the interceptors that wrap it. The generated code that wires them
// up is read for names, HTTP verbs and patterns; it is never a route.

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ssa"
)

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

// paramOf returns the index of v among fn's parameters, or -1.
func paramOf(fn *ssa.Function, v ssa.Value) int {
	if p, ok := v.(*ssa.Parameter); ok && p.Parent() == fn {
		return paramIndex(p)
	}
	return -1
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
	known := map[*ssa.Function]rpcCall{} // what each Register function registers
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
				if call, ok := ci.(*ssa.Call); ok && isGatewayMuxNew(call) {
					rf.gatewayMiddleware(call, fn)
					continue
				}
				callee := ci.Common().StaticCallee()
				if callee == nil || callee.Blocks == nil || !strings.HasPrefix(callee.Name(), "Register") {
					continue
				}
				reg, ok := known[callee]
				if !ok {
					if reg.grpc = rf.grpcRegistrar(callee); reg.grpc == nil {
						reg.gateway = rf.gatewayRegistrar(callee, 0)
					}
					known[callee] = reg
				}
				if reg.grpc != nil || reg.gateway != nil {
					rc := rpcCall{routerCall: routerCall{fn: fn, instr: ci, c: ci.Common()}, grpc: reg.grpc, gateway: reg.gateway}
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
