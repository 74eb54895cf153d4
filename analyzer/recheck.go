package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"
	"regexp"
	"strconv"

	"golang.org/x/tools/go/packages"
)

// recheck type-checks an ill-typed package again so that its type errors
// cost only the declarations that hold them: first with those
// declarations left out (a function whose body is broken keeps its
// signature, so its callers still type-check), then, failing that, without
// the files that hold errors. It returns a note per file left out, in part
// or whole, and whether p is now well typed; p is updated in place.
func recheck(p *packages.Package, root string) (notes []string, ok bool) {
	errs := errorPositions(p)
	rel := func(f *ast.File) string {
		r, _ := filepath.Rel(root, p.Fset.Position(f.Pos()).Filename)
		return filepath.ToSlash(r)
	}
	var trimmed []*ast.File
	for _, f := range p.Syntax {
		switch n := trimDecls(f, errs[p.Fset.File(f.Pos())]); {
		case n == 1:
			notes = append(notes, fmt.Sprintf("%s: 1 declaration does not type-check and was left out of the analysis", rel(f)))
		case n > 1:
			notes = append(notes, fmt.Sprintf("%s: %d declarations do not type-check and were left out of the analysis", rel(f), n))
		}
		trimmed = append(trimmed, f)
	}
	if typeCheck(p, trimmed) {
		return notes, true
	}
	notes = nil
	var kept []*ast.File
	for _, f := range p.Syntax {
		if len(errs[p.Fset.File(f.Pos())]) > 0 {
			notes = append(notes, fmt.Sprintf("%s does not type-check and was left out of the analysis", rel(f)))
		} else {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 || !typeCheck(p, kept) {
		return nil, false
	}
	return notes, true
}

// errorPositions returns the positions of p's errors, per file.
func errorPositions(p *packages.Package) map[*token.File][]token.Pos {
	byName := map[string]*token.File{}
	for _, f := range p.Syntax {
		tf := p.Fset.File(f.Pos())
		byName[tf.Name()] = tf
	}
	out := map[*token.File][]token.Pos{}
	for _, e := range p.Errors {
		m := posRE.FindStringSubmatch(e.Pos)
		if m == nil || byName[m[1]] == nil {
			continue
		}
		tf := byName[m[1]]
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		if line < 1 || line > tf.LineCount() {
			continue
		}
		out[tf] = append(out[tf], tf.LineStart(line)+token.Pos(max(col-1, 0)))
	}
	return out
}

// trimDecls drops the declarations of f that hold one of errs, keeping the
// signature of a function whose error is in its body, and returns how
// many it dropped or emptied.
func trimDecls(f *ast.File, errs []token.Pos) int {
	within := func(n ast.Node) bool {
		for _, e := range errs {
			if n.Pos() <= e && e < n.End() {
				return true
			}
		}
		return false
	}
	n := 0
	var decls []ast.Decl
	for _, d := range f.Decls {
		if !within(d) {
			decls = append(decls, d)
			continue
		}
		n++
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil && within(fd.Body) && !within(fd.Type) {
			fd.Body = nil
			decls = append(decls, fd)
		}
	}
	f.Decls = decls
	return n
}

// typeCheck type-checks files as package p, with p's imports as loaded,
// and on success makes them p's syntax and types.
func typeCheck(p *packages.Package, files []*ast.File) bool {
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		Instances:    map[*ast.Ident]types.Instance{},
		FileVersions: map[*ast.File]string{},
	}
	conf := types.Config{Importer: importerOf{p.Types}, Error: func(error) {}}
	pkg, err := conf.Check(p.PkgPath, p.Fset, files, info)
	if err != nil {
		return false
	}
	p.Types, p.TypesInfo, p.Syntax, p.IllTyped = pkg, info, files, false
	return true
}

// importerOf imports the packages pkg imported, as already loaded.
type importerOf struct{ pkg *types.Package }

func (imp importerOf) Import(path string) (*types.Package, error) {
	for _, dep := range imp.pkg.Imports() {
		if dep.Path() == path {
			return dep, nil
		}
	}
	return nil, fmt.Errorf("package %s not loaded", path)
}

var posRE = regexp.MustCompile(`^(.*?):(\d+)(?::(\d+))?$`)
