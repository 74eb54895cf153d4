package analyzer

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// TestGatewayPattern decodes grpc-gateway pattern variables, as
// protoc-gen-grpc-gateway writes them, into path templates: literals,
// a captured segment, a captured multi-segment run, "**", and a verb.
func TestGatewayPattern(t *testing.T) {
	tests := []struct{ init, want string }{
		{`runtime.MustPattern(runtime.NewPattern(1, []int{2, 0, 2, 1, 2, 2}, []string{"api", "v1", "memos"}, ""))`, "/api/v1/memos"},
		{`runtime.MustPattern(runtime.NewPattern(1, []int{2, 0, 2, 1, 2, 2, 1, 0, 4, 1, 5, 3}, []string{"api", "v1", "memos", "id"}, ""))`, "/api/v1/memos/{id}"},
		{`runtime.MustPattern(runtime.NewPattern(1, []int{2, 0, 2, 1, 1, 0, 2, 2, 1, 0, 4, 4, 5, 3}, []string{"v1", "projects", "memos", "name"}, ""))`, "/v1/{name=projects/*/memos/*}"},
		{`runtime.MustPattern(runtime.NewPattern(1, []int{2, 0, 3, 0, 4, 1, 5, 1}, []string{"files", "path"}, ""))`, "/files/{path=**}"},
		{`runtime.MustPattern(runtime.NewPattern(1, []int{2, 0, 2, 1, 1, 0, 4, 1, 5, 2}, []string{"v1", "jobs", "id"}, "cancel"))`, "/v1/jobs/{id}:cancel"},
	}
	for _, tt := range tests {
		e, info := typedExpr(t, tt.init)
		got, ok := gatewayPattern(e, info)
		if !ok || got != tt.want {
			t.Errorf("%s: got %q, %v; want %q", tt.init, got, ok, tt.want)
		}
	}
}

// TestGatewayPatternBad rejects programs that do not decode.
func TestGatewayPatternBad(t *testing.T) {
	for _, init := range []string{
		`runtime.MustPattern(runtime.NewPattern(1, []int{2, 5}, []string{"api"}, ""))`,    // literal out of the pool
		`runtime.MustPattern(runtime.NewPattern(1, []int{4, 2}, []string{"api"}, ""))`,    // concatenates an empty stack
		`runtime.MustPattern(runtime.NewPattern(1, []int{9, 0}, []string{"api"}, ""))`,    // unknown opcode
		`runtime.MustPattern(runtime.NewPattern(1, []int{2, 0, 2}, []string{"api"}, ""))`, // odd length
		`runtime.MustPattern(runtime.NewPattern(1, ops, []string{"api"}, ""))`,            // not literal
	} {
		e, info := typedExpr(t, init)
		if got, ok := gatewayPattern(e, info); ok {
			t.Errorf("%s: got %q, want no pattern", init, got)
		}
	}
}

// typedExpr type-checks init as the initializer of a package variable,
// with stand-ins for the gateway runtime's functions.
func typedExpr(t *testing.T, init string) (ast.Expr, *types.Info) {
	t.Helper()
	src := `package p
type pattern struct{}
type rt struct{}
func (rt) NewPattern(int, []int, []string, string) (pattern, error) { return pattern{}, nil }
func (rt) MustPattern(p pattern, err error) pattern { return p }
var runtime rt
var ops []int
var x = ` + init + "\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	decl := f.Decls[len(f.Decls)-1].(*ast.GenDecl)
	return decl.Specs[0].(*ast.ValueSpec).Values[0], info
}

// TestConnectPath places a procedure where a connect handler is
// registered: at its service's path, under an http.StripPrefix prefix, or
// at the root.
func TestConnectPath(t *testing.T) {
	tests := []struct{ path, prefix, want string }{
		{"/memo.v1.MemoService/", "", "/memo.v1.MemoService/List"},
		{"/rpc/memo.v1.MemoService/", "", "/rpc/memo.v1.MemoService/List"},
		{"/rpc/", "/rpc", "/rpc/memo.v1.MemoService/List"},
		{"/", "", "/memo.v1.MemoService/List"},
	}
	for _, tt := range tests {
		if got := connectPath(tt.path, tt.prefix, "/memo.v1.MemoService/List"); got != tt.want {
			t.Errorf("connectPath(%q, %q) = %q, want %q", tt.path, tt.prefix, got, tt.want)
		}
	}
}
