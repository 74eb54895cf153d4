package analyzer

import (
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/ssa"
)

// loadMode loads syntax and types for the target packages only; their
// dependencies come from export data, with types but no function bodies.
const loadMode = packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
	packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports | packages.NeedModule

// program is a loaded module: its packages, their SSA, and where it lives.
type program struct {
	fset    *token.FileSet
	pkgs    []*packages.Package // the module's packages that loaded
	prog    *ssa.Program
	ssaPkgs []*ssa.Package
	root    string // module root directory
	module  string // module path
	notes   []string
	// packages counts the packages loaded, outside vendor/; broken lists
	// those that did not load, could not import a package, or did not
	// type-check: when most are, the analysis is hollow.
	packages int
	broken   []brokenPackage
	// relNames caches the module-relative names of files (see position).
	relNames sync.Map
}

// brokenPackage is a package that did not load or type-check, and why.
type brokenPackage struct{ path, why string }

// errNoModule is returned when the directory is not inside a Go module.
var errNoModule = errors.New("no go.mod found")

// load loads patterns in dir and creates SSA for every package of the
// module they belong to that they reach; p.build builds their bodies.
// Packages that do not type-check are left out with a note; the rest is
// analysed.
func load(dir string, patterns []string, tests bool) (*program, error) {
	root, err := moduleRoot(dir)
	if err != nil {
		return nil, err
	}
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	cfg := &packages.Config{Mode: loadMode, Dir: dir, Tests: tests}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, goCommandError(err)
	}
	// The patterns may name only the main package; the module's other
	// packages it imports, at any depth, need bodies too, and so do those
	// of the local modules beside it.
	local := localModules(root)
	for extra := patterns; ; {
		missing := missingModulePackages(pkgs, local)
		if len(missing) == 0 {
			break
		}
		extra = append(extra, missing...)
		if pkgs, err = packages.Load(cfg, extra...); err != nil {
			return nil, goCommandError(err)
		}
	}
	p := &program{root: root, module: mainModule(pkgs, root)}
	p.usablePackages(pkgs)
	p.notes = append(p.notes, localModuleNotes(p.pkgs, local, root)...)
	p.notes = append(p.notes, newerGoNotes(p.pkgs)...)
	if len(p.pkgs) == 0 {
		if cmds := mainPackagesBelow(root); len(cmds) > 0 && slices.Equal(patterns, []string{"."}) {
			p.notes = append(p.notes, fmt.Sprintf("the module's commands are in %s: run crudmap ./... to analyse them", strings.Join(cmds, ", ")))
		}
		if len(p.notes) > 0 {
			return nil, errors.New(strings.Join(p.notes, "; "))
		}
		return nil, fmt.Errorf("no Go packages match %s in %s", strings.Join(patterns, " "), dir)
	}
	p.fset = p.pkgs[0].Fset
	p.prog, p.ssaPkgs = buildSSA(p.pkgs)
	return p, nil
}

// build builds the SSA bodies of p's packages.
func (p *program) build() {
	p.notes = append(p.notes, buildBodies(p.ssaPkgs)...)
}

// moduleRoot returns the directory of the go.mod governing dir.
func moduleRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("%s: not a directory", dir)
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if mods := goModsBelow(abs); len(mods) > 0 {
		return "", fmt.Errorf("%s: %w in it or above: crudmap analyses a Go module, and below are %s; run crudmap -C %s ./...", dir, errNoModule, strings.Join(mods, ", "), filepath.Join(dir, filepath.Dir(mods[0])))
	}
	return "", fmt.Errorf("%s: %w: crudmap analyses a Go module; run 'go mod init <module>' there (and 'go mod tidy'), or point -C at the directory holding go.mod", dir, errNoModule)
}

// mainModule returns the path of the module at root, else of the first
// package's module.
func mainModule(pkgs []*packages.Package, root string) string {
	path := ""
	for _, pkg := range pkgs {
		switch {
		case pkg.Module == nil:
		case pkg.Module.Dir == root:
			return pkg.Module.Path
		case path == "":
			path = pkg.Module.Path
		}
	}
	return path
}

// goCommandError turns the error of a go command that failed into one
// line: what the go command said, and how to get past a Go too old for
// the module.
func goCommandError(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, "stderr: "); i >= 0 {
		msg = msg[i+len("stderr: "):]
	}
	msg = strings.Join(strings.Fields(msg), " ")
	if strings.Contains(msg, "requires go >=") {
		return fmt.Errorf("the go command cannot load the module, so nothing was analysed: %s; install that Go, or let the go command fetch it (GOTOOLCHAIN=auto)", msg)
	}
	return fmt.Errorf("the go command cannot load the module: %s", msg)
}

// missingModulePackages lists the packages of the loaded packages' modules
// and of the local modules that they import but that were not loaded from
// source.
func missingModulePackages(pkgs []*packages.Package, local []localModule) []string {
	loaded := map[string]bool{}
	for _, p := range pkgs {
		loaded[p.PkgPath] = true
	}
	seen := map[string]bool{}
	var missing []string
	for _, p := range pkgs {
		if p.Module == nil {
			continue
		}
		for path := range p.Imports {
			_, isLocal := moduleOf(local, path)
			inModule := path == p.Module.Path || strings.HasPrefix(path, p.Module.Path+"/")
			if (inModule || isLocal) && !loaded[path] && !seen[path] {
				seen[path] = true
				missing = append(missing, path)
			}
		}
	}
	sort.Strings(missing)
	return missing
}

// localModuleNotes names the local modules whose packages were analysed
// with the main module's.
func localModuleNotes(pkgs []*packages.Package, local []localModule, root string) []string {
	count := map[string]int{}
	for _, p := range pkgs {
		if m, ok := moduleOf(local, p.PkgPath); ok {
			count[m.path]++
		}
	}
	var notes []string
	for _, m := range local {
		if n := count[m.path]; n > 0 {
			notes = append(notes, fmt.Sprintf("also analysed module %s in %s (%s): %d of its packages", m.path, relPath(root, m.dir), m.how, n))
		}
	}
	sort.Strings(notes)
	return notes
}

// usablePackages drops packages that failed to load, test variants'
// duplicates and vendored code, re-checks those that do not type-check
// (see recheckPackages), and describes each error once as a note. It
// counts the packages left out, or whose imports failed, in p.broken.
func (p *program) usablePackages(pkgs []*packages.Package) {
	var candidates []*packages.Package
	var notes []string
	loaded := map[string]bool{}
	for _, pkg := range pkgs {
		loaded[pkg.ID] = true
	}
	for _, pkg := range pkgs {
		var errs []string
		for _, e := range pkg.Errors {
			// recheck reports the type errors it could not get around.
			if !pkg.IllTyped || !isTypeError(e, pkg) {
				errs = append(errs, relErrors(e, p.root)...)
			}
		}
		// Why an import failed (a missing module) is told by the import.
		for _, dep := range pkg.Imports {
			for _, e := range dep.Errors {
				if !loaded[dep.ID] {
					errs = append(errs, relErrors(e, p.root)...)
				}
			}
		}
		notes = append(notes, errs...)
		if strings.Contains(pkg.PkgPath, "/vendor/") {
			continue
		}
		p.packages++
		if len(errs) > 0 || pkg.Types == nil || len(pkg.Syntax) == 0 {
			p.broken = append(p.broken, brokenPackage{pkg.PkgPath, firstOf(errs)})
		}
		if pkg.Types != nil && len(pkg.Syntax) > 0 {
			candidates = append(candidates, pkg)
		}
	}
	ok, left, skipped := recheckPackages(candidates, p.root)
	for _, path := range skipped {
		if !slices.ContainsFunc(p.broken, func(b brokenPackage) bool { return b.path == path }) {
			p.broken = append(p.broken, brokenPackage{path, path + " does not type-check"})
		}
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i].ID < ok[j].ID })
	p.pkgs, p.notes = ok, dedupe(append(notes, left...))
}

// firstOf returns the first of ss, or "".
func firstOf(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}

// isTypeError reports whether e is a type error of p: from the type
// checker, or the compiler's report of them through the go command.
func isTypeError(e packages.Error, p *packages.Package) bool {
	return e.Kind == packages.TypeError || e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# "+p.PkgPath+"\n")
}

// relErrors turns a package error into one-line notes with positions
// relative to the module root. The go command's report of the compiler's
// errors repeats the type checker's, as "# pkg" followed by
// "./file:line:col: msg" lines: a note per line; other messages become one
// line.
func relErrors(e packages.Error, root string) []string {
	if e.Kind == packages.ListError && strings.HasPrefix(e.Msg, "# ") {
		var out []string
		for _, line := range strings.Split(e.Msg, "\n") {
			if line != "" && !strings.HasPrefix(line, "# ") {
				out = append(out, strings.TrimPrefix(line, "./"))
			}
		}
		return out
	}
	msg := strings.Join(strings.Fields(e.Msg), " ")
	if e.Pos != "" {
		pos := e.Pos
		if rel, err := filepath.Rel(root, pos); err == nil && !strings.HasPrefix(rel, "..") {
			pos = rel
		}
		msg = pos + ": " + msg
	}
	return []string{msg}
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// buildSSA creates and builds SSA for the module's packages only; functions
// of other packages stay bodiless, known by their types.
func buildSSA(pkgs []*packages.Package) (*ssa.Program, []*ssa.Package) {
	prog := ssa.NewProgram(pkgs[0].Fset, ssa.InstantiateGenerics)
	var out []*ssa.Package
	created := map[*types.Package]bool{}
	for _, p := range pkgs {
		out = append(out, prog.CreatePackage(p.Types, p.Syntax, p.TypesInfo, true))
		created[p.Types] = true
	}
	// Package initializers call their imports' init: those packages must
	// exist, from types alone.
	var createDeps func(*types.Package)
	createDeps = func(tp *types.Package) {
		for _, imp := range tp.Imports() {
			if !created[imp] {
				created[imp] = true
				prog.CreatePackage(imp, nil, nil, true)
				createDeps(imp)
			}
		}
	}
	for _, p := range pkgs {
		createDeps(p.Types)
	}
	return prog, out
}

// buildBodies builds the SSA bodies of the module's packages, in parallel.
// The SSA builder panics on code it does not expect: that costs only the
// package, named in a note.
func buildBodies(pkgs []*ssa.Package) []string {
	notes := make([]string, len(pkgs))
	var wg sync.WaitGroup
	for i, p := range pkgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					notes[i] = fmt.Sprintf("%s: building SSA failed (%v); its code may be missing from the report", p.Pkg.Path(), r)
				}
			}()
			p.Build()
		}()
	}
	wg.Wait()
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}
