package analyzer

import (
	"fmt"
	"go/parser"
	"go/token"
	"go/version"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/crudmap/crudmap/graph"
	"golang.org/x/tools/go/packages"
)

// A hollow analysis is one whose report would look healthy over a mostly
// empty map: the code did not load, or the routes found reach none of the
// queries found. crudmap says so in warnings, and when the user pointed it
// at the wrong directory, where to point it.

// Bounds of the directory walks that look for what the user meant.
const (
	maxHintDepth   = 4    // directory levels below the start
	maxHintEntries = 5000 // directory entries visited
	maxHintFound   = 3    // results named
)

// hollowWarnings returns a warning per sign that the report is hollow:
// most packages did not load or type-check, or routes and queries were
// found but no route reaches a query.
func hollowWarnings(p *program, r *graph.Report) []string {
	var ws []string
	if n := len(p.broken); n > 0 && 2*n > p.packages {
		why := p.broken[0].why
		if why == "" {
			why = p.broken[0].path + " did not load"
		}
		ws = append(ws, fmt.Sprintf("%d of %d packages did not load or type-check (%s): the map is incomplete; see the notes", n, p.packages, why))
	}
	reaches := func(rt *graph.Route) bool { return len(rt.Queries) > 0 }
	if len(r.Routes) > 0 && len(r.Queries) > 0 && !slices.ContainsFunc(r.Routes, reaches) {
		why := "the handlers reach them through code crudmap does not follow, or only workers run them"
		if len(p.broken) > 0 {
			why = "packages did not load or type-check: see the notes"
		}
		ws = append(ws, fmt.Sprintf("no route reaches any of the %d queries found (%s): the map is incomplete", len(r.Queries), why))
	}
	return ws
}

// schemaWarnings warns when the schema the user named (-schema), or the
// schema files crudmap found, gave no table: the index check then read no
// schema, which is not what the user meant.
func schemaWarnings(named []string, sr schemaResult) []string {
	if sr.schema != nil && len(sr.schema.Tables) > 0 {
		return nil
	}
	switch {
	case len(named) > 0:
		return []string{fmt.Sprintf("-schema %s gave no table (see the notes): the index check ran without a schema", strings.Join(named, " "))}
	case len(sr.files) > 0:
		return []string{fmt.Sprintf("the schema files %s gave no table (see the notes): the index check ran without a schema", strings.Join(sr.files, ", "))}
	}
	return nil
}

// newerGoNotes names the modules that ask for a newer Go than crudmap was
// built with: their code was type-checked as the newest Go crudmap knows.
func newerGoNotes(pkgs []*packages.Package) []string {
	current := version.Lang(runtime.Version())
	if current == "" {
		return nil // a development build knows the newest Go
	}
	var notes []string
	seen := map[string]bool{}
	for _, p := range pkgs {
		m := p.Module
		if m == nil || m.GoVersion == "" || seen[m.Path] || version.Compare(version.Lang("go"+m.GoVersion), current) <= 0 {
			continue
		}
		seen[m.Path] = true
		notes = append(notes, fmt.Sprintf("module %s asks for go %s, newer than the %s crudmap was built with: its code was type-checked as %s; install crudmap with a newer Go if declarations were left out", m.Path, m.GoVersion, runtime.Version(), current))
	}
	return notes
}

// commandsHint tells, when the default pattern "." found no routes and no
// main package, where the module's main packages are.
func commandsHint(p *program, patterns []string, r *graph.Report) []string {
	if len(r.Routes) > 0 || !slices.Equal(patterns, []string{"."}) && len(patterns) > 0 {
		return nil
	}
	for _, pkg := range p.pkgs {
		if pkg.Name == "main" {
			return nil
		}
	}
	if cmds := mainPackagesBelow(p.root); len(cmds) > 0 {
		return []string{fmt.Sprintf("no main package in .: the module's commands are in %s; run crudmap ./... to analyse them", strings.Join(cmds, ", "))}
	}
	return nil
}

// mainPackagesBelow returns the directories below root, relative to it,
// that hold a main package, up to maxHintFound, nested modules aside.
func mainPackagesBelow(root string) []string {
	var found []string
	walkBelow(root, func(dir string, entries []fs.DirEntry) bool {
		if len(found) == maxHintFound || dir != root && slices.ContainsFunc(entries, isGoMod) {
			return false // enough, or another module
		}
		for _, e := range entries {
			if name := e.Name(); strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && e.Type().IsRegular() {
				if dir != root && packageName(filepath.Join(dir, name)) == "main" {
					found = append(found, relPath(root, dir))
				}
				break
			}
		}
		return true
	})
	return found
}

// goModsBelow returns the go.mod files below dir, relative to it, up to
// maxHintFound.
func goModsBelow(dir string) []string {
	var found []string
	walkBelow(dir, func(d string, entries []fs.DirEntry) bool {
		if len(found) == maxHintFound {
			return false
		}
		if slices.ContainsFunc(entries, isGoMod) {
			found = append(found, relPath(dir, filepath.Join(d, "go.mod")))
			return false // a module's own modules are its business
		}
		return true
	})
	return found
}

// isGoMod reports whether e is a go.mod file.
func isGoMod(e fs.DirEntry) bool { return e.Name() == "go.mod" && e.Type().IsRegular() }

// walkBelow calls visit with each directory below start, start included,
// breadth first, down to maxHintDepth levels and until maxHintEntries
// entries were seen, skipping hidden, vendor, testdata and node_modules
// directories and unreadable ones. visit returns whether to go into the
// directory's subdirectories.
func walkBelow(start string, visit func(dir string, entries []fs.DirEntry) bool) {
	level := []string{start}
	seen := 0
	for depth := 0; depth <= maxHintDepth && len(level) > 0; depth++ {
		var next []string
		for _, dir := range level {
			entries, err := os.ReadDir(dir)
			if err != nil {
				continue
			}
			if seen += len(entries); seen > maxHintEntries {
				return
			}
			if !visit(dir, entries) {
				continue
			}
			for _, e := range entries {
				name := e.Name()
				if e.IsDir() && !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "_") && name != "vendor" && name != "testdata" && name != "node_modules" {
					next = append(next, filepath.Join(dir, name))
				}
			}
		}
		level = next
	}
}

// packageName reads the package clause of the Go file at path, or "".
func packageName(path string) string {
	src, err := readRegular(path, maxGoFileBytes)
	if err != nil {
		return ""
	}
	file, err := parser.ParseFile(token.NewFileSet(), path, src, parser.PackageClauseOnly)
	if err != nil {
		return ""
	}
	return file.Name.Name
}
