package analyzer

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// maxTrimRounds bounds how often recheck leaves out declarations: leaving
// one out can break the declarations that use it, which go in the next round.
const maxTrimRounds = 4

// recheckPackages type-checks again, in dependency order, the packages that
// did not type-check and every package that imports one of them, so that
// importers see the re-checked types and calls across packages stay intact.
// It drops the packages that still do not type-check, and returns the rest
// with a note per loss, and the paths of those dropped.
func recheckPackages(pkgs []*packages.Package, root string) (ok []*packages.Package, notes, skipped []string) {
	rechecked := map[string]*types.Package{} // by package ID
	for _, p := range dependencyOrder(pkgs) {
		if !p.IllTyped && !importsAny(p, rechecked) {
			ok = append(ok, p)
			continue
		}
		left, checked := recheck(p, root, rechecked)
		notes = append(notes, left...)
		if !checked {
			notes = append(notes, fmt.Sprintf("%s does not type-check and was skipped: its queries and the calls into it are not followed", p.PkgPath))
			skipped = append(skipped, p.PkgPath)
			continue
		}
		rechecked[p.ID] = p.Types
		ok = append(ok, p)
	}
	return ok, notes, skipped
}

// dependencyOrder orders pkgs so that each comes after those it imports.
func dependencyOrder(pkgs []*packages.Package) []*packages.Package {
	byID := map[string]*packages.Package{}
	for _, p := range pkgs {
		byID[p.ID] = p
	}
	seen := map[string]bool{}
	var out []*packages.Package
	var visit func(p *packages.Package)
	visit = func(p *packages.Package) {
		if seen[p.ID] {
			return
		}
		seen[p.ID] = true
		paths := make([]string, 0, len(p.Imports))
		for path := range p.Imports {
			paths = append(paths, path)
		}
		sort.Strings(paths)
		for _, path := range paths {
			if dep := byID[p.Imports[path].ID]; dep != nil {
				visit(dep)
			}
		}
		out = append(out, p)
	}
	for _, p := range pkgs {
		visit(p)
	}
	return out
}

// importsAny reports whether p imports one of the re-checked packages.
func importsAny(p *packages.Package, rechecked map[string]*types.Package) bool {
	for _, dep := range p.Imports {
		if rechecked[dep.ID] != nil {
			return true
		}
	}
	return false
}

// recheck type-checks p again, against the re-checked versions of its
// imports, so that its type errors cost only the declarations that hold
// them. Soft errors (an unused import or variable) cost nothing: the types
// are complete. A declaration holding a hard error is left out, except
// that a function whose body is broken keeps its signature, so its callers
// still type-check; as leaving one out can break others, this repeats a
// few rounds. Failing that, the files still holding errors are left out.
// It returns a note per error and per file left out, in part or whole, and
// whether p is now well typed; p is updated in place.
func recheck(p *packages.Package, root string, rechecked map[string]*types.Package) (notes []string, ok bool) {
	imp := recheckImporter{p, p.Types, rechecked}
	relFile := func(pos token.Pos) string {
		name := p.Fset.Position(pos).Filename
		if r, err := filepath.Rel(root, name); err == nil && !strings.HasPrefix(r, "..") {
			name = filepath.ToSlash(r)
		}
		return name
	}
	lost := map[*ast.File][]string{}
	files := p.Syntax
	errs := typeCheck(p, files, imp)
	for _, e := range errs {
		ps := p.Fset.Position(e.Pos)
		notes = append(notes, fmt.Sprintf("%s:%d:%d: %s", relFile(e.Pos), ps.Line, ps.Column, e.Msg))
	}
	for round := 0; len(errs) > 0 && round < maxTrimRounds && trimFiles(p.Fset, files, errs, lost); round++ {
		errs = typeCheck(p, files, imp)
	}
	if len(errs) == 0 {
		return append(notes, lostNotes(files, lost, relFile)...), true
	}
	// Leave out the files that still hold errors.
	var kept []*ast.File
	for _, f := range files {
		if holdsError(p.Fset, f, errs) {
			notes = append(notes, fmt.Sprintf("%s does not type-check and was left out of the analysis", relFile(f.Pos())))
		} else {
			kept = append(kept, f)
		}
	}
	if len(kept) == 0 || len(typeCheck(p, kept, imp)) > 0 {
		return notes, false
	}
	return append(notes, lostNotes(kept, lost, relFile)...), true
}

// trimFiles leaves out of files the declarations holding errs, recording
// their names in lost, and reports whether it left any out.
func trimFiles(fset *token.FileSet, files []*ast.File, errs []types.Error, lost map[*ast.File][]string) bool {
	trimmed := false
	for _, f := range files {
		tf := fset.File(f.Pos())
		var in []token.Pos
		for _, e := range errs {
			if fset.File(e.Pos) == tf {
				in = append(in, e.Pos)
			}
		}
		if names := trimDecls(f, in); len(names) > 0 {
			lost[f] = append(lost[f], names...)
			trimmed = true
		}
	}
	return trimmed
}

// holdsError reports whether one of errs is in f.
func holdsError(fset *token.FileSet, f *ast.File, errs []types.Error) bool {
	for _, e := range errs {
		if fset.File(e.Pos) == fset.File(f.Pos()) {
			return true
		}
	}
	return false
}

// lostNotes returns a note per file of files that lost declarations,
// naming them.
func lostNotes(files []*ast.File, lost map[*ast.File][]string, relFile func(token.Pos) string) []string {
	var notes []string
	for _, f := range files {
		switch names := lost[f]; {
		case len(names) == 1:
			notes = append(notes, fmt.Sprintf("%s: 1 declaration does not type-check and was left out of the analysis: %s", relFile(f.Pos()), names[0]))
		case len(names) > 1:
			notes = append(notes, fmt.Sprintf("%s: %d declarations do not type-check and were left out of the analysis: %s", relFile(f.Pos()), len(names), strings.Join(names, ", ")))
		}
	}
	return notes
}

// trimDecls drops the declarations of f that hold one of errs, keeping the
// signature of a function whose error is in its body, and returns the names
// of those it dropped or emptied. In an import, var, const or type
// declaration only the specs holding an error go.
func trimDecls(f *ast.File, errs []token.Pos) []string {
	within := func(n ast.Node) bool {
		for _, e := range errs {
			if n.Pos() <= e && e < n.End() {
				return true
			}
		}
		return false
	}
	var names []string
	var decls []ast.Decl
	for _, d := range f.Decls {
		if !within(d) {
			decls = append(decls, d)
			continue
		}
		switch d := d.(type) {
		case *ast.FuncDecl:
			names = append(names, funcDeclName(d))
			if d.Body != nil && within(d.Body) && !within(d.Type) && (d.Recv == nil || !within(d.Recv)) {
				d.Body = nil
				decls = append(decls, d)
			}
		case *ast.GenDecl:
			var specs []ast.Spec
			for _, s := range d.Specs {
				if within(s) {
					names = append(names, specNames(s)...)
				} else {
					specs = append(specs, s)
				}
			}
			if len(specs) > 0 {
				d.Specs = specs
				decls = append(decls, d)
			}
		}
	}
	f.Decls = decls
	return names
}

// funcDeclName names a function declaration: F, or T.M for a method.
func funcDeclName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + d.Name.Name
		}
		return d.Name.Name
	}
}

// specNames names what a spec declares: the import path, or the names.
func specNames(s ast.Spec) []string {
	switch s := s.(type) {
	case *ast.ImportSpec:
		return []string{"import " + s.Path.Value}
	case *ast.TypeSpec:
		return []string{s.Name.Name}
	case *ast.ValueSpec:
		var names []string
		for _, n := range s.Names {
			names = append(names, n.Name)
		}
		return names
	}
	return nil
}

// typeCheck type-checks files as package p, with imp for its imports, and
// returns the hard errors. Without any, it makes files p's syntax and the
// result p's types: soft errors (an unused variable or import) leave the
// type information complete.
func typeCheck(p *packages.Package, files []*ast.File, imp types.Importer) []types.Error {
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
	var hard []types.Error
	conf := types.Config{
		Importer:  imp,
		GoVersion: goVersion(p),
		Error: func(err error) {
			if e, ok := err.(types.Error); ok && !e.Soft {
				hard = append(hard, e)
			}
		},
	}
	pkg, _ := conf.Check(p.PkgPath, p.Fset, files, info)
	if len(hard) == 0 {
		p.Types, p.TypesInfo, p.Syntax, p.IllTyped = pkg, info, files, false
	}
	return hard
}

// goVersion is the Go version p's module asks for, or "" (the newest the
// type checker knows) when that is newer than the Go crudmap was built
// with: its code is better checked as the newest known than not at all.
func goVersion(p *packages.Package) string {
	if p.Module == nil || p.Module.GoVersion == "" {
		return ""
	}
	v := "go" + p.Module.GoVersion
	if version.Compare(version.Lang(v), version.Lang(runtime.Version())) > 0 {
		return ""
	}
	return v
}

// recheckImporter imports what pkg (p's types as loaded) imported, or its
// re-checked version; never a package that failed to import, which the
// type checker stands in for with an empty one.
type recheckImporter struct {
	p         *packages.Package
	pkg       *types.Package
	rechecked map[string]*types.Package
}

func (imp recheckImporter) Import(path string) (*types.Package, error) {
	if dep := imp.p.Imports[path]; dep != nil && imp.rechecked[dep.ID] != nil {
		return imp.rechecked[dep.ID], nil
	}
	for _, dep := range imp.pkg.Imports() {
		if dep.Path() == path && dep.Complete() {
			return dep, nil
		}
	}
	return nil, errors.New("it did not load")
}
