package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"path/filepath"
	"regexp"

	"golang.org/x/tools/go/packages"
)

// recheckWithoutBrokenFiles type-checks p again without the files that hold
// its type errors, so that one broken file costs only itself. It reports
// whether p is now well typed; p is updated in place.
func recheckWithoutBrokenFiles(p *packages.Package, root string) bool {
	broken := map[string]bool{}
	for _, e := range p.Errors {
		if file, ok := splitPos(e.Pos); ok {
			broken[file] = true
		}
	}
	var files []*ast.File
	for _, f := range p.Syntax {
		if !broken[p.Fset.Position(f.Pos()).Filename] {
			files = append(files, f)
		}
	}
	if len(files) == 0 || len(files) == len(p.Syntax) {
		return false
	}
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
	for file := range broken {
		rel, _ := filepath.Rel(root, file)
		p.Errors = append(p.Errors, packages.Error{Msg: fmt.Sprintf("%s left out of the analysis: it does not type-check", rel)})
	}
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

// splitPos returns the file of a "file:line:col" or "file:line" position.
func splitPos(pos string) (file string, ok bool) {
	m := posRE.FindStringSubmatch(pos)
	if m == nil {
		return "", false
	}
	return m[1], true
}
