package analyzer

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
)

// maxModFileSize bounds the go.mod and go.work files read.
const maxModFileSize = 1 << 20

// localModule is a module whose code is the user's, beside the main one: a
// go.work workspace module or a module replaced by a local directory. Its
// packages are analysed from source like the main module's; modules from
// the module proxy stay known by their types only.
type localModule struct {
	path string // module path, as imported
	dir  string // absolute directory
	how  string // "a go.work module" or "replaced in go.mod"
}

// localModules lists the local modules around the module at root: those
// the go.work file governing it uses, and those replaced by a directory in
// go.work or in the go.mod files of the main and workspace modules.
func localModules(root string) []localModule {
	var mods []localModule
	seen := map[string]bool{}
	add := func(m localModule) {
		if m.dir != root && !seen[m.path] {
			seen[m.path] = true
			mods = append(mods, m)
		}
	}
	moduleDirs := []string{root}
	if work := goWorkFile(root); work != "" {
		wf, err := parseModFile(work, modfile.ParseWork)
		if err == nil {
			base := filepath.Dir(work)
			for _, r := range wf.Replace {
				if modfile.IsDirectoryPath(r.New.Path) {
					add(localModule{r.Old.Path, absDir(base, r.New.Path), "replaced in go.work"})
				}
			}
			for _, u := range wf.Use {
				dir := absDir(base, u.Path)
				if mf, err := parseModFile(filepath.Join(dir, "go.mod"), modfile.Parse); err == nil && mf.Module != nil {
					add(localModule{mf.Module.Mod.Path, dir, "a go.work module"})
					moduleDirs = append(moduleDirs, dir)
				}
			}
		}
	}
	for _, dir := range moduleDirs {
		mf, err := parseModFile(filepath.Join(dir, "go.mod"), modfile.Parse)
		if err != nil {
			continue
		}
		for _, r := range mf.Replace {
			if modfile.IsDirectoryPath(r.New.Path) {
				add(localModule{r.Old.Path, absDir(dir, r.New.Path), "replaced in " + relPath(root, filepath.Join(dir, "go.mod"))})
			}
		}
	}
	// The longest path first: a nested module owns its packages.
	sort.Slice(mods, func(i, j int) bool { return len(mods[i].path) > len(mods[j].path) })
	return mods
}

// goWorkFile returns the go.work file the go command uses for the module
// at root, as it finds it: $GOWORK unless "off", else the first go.work in
// root or above.
func goWorkFile(root string) string {
	switch env := os.Getenv("GOWORK"); env {
	case "off":
		return ""
	case "":
	default:
		return env
	}
	for d := root; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(filepath.Join(d, "go.work")); err == nil && fi.Mode().IsRegular() {
			return filepath.Join(d, "go.work")
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// parseModFile reads the regular file name, of bounded size, and parses it.
func parseModFile[F any](name string, parse func(string, []byte, modfile.VersionFixer) (F, error)) (F, error) {
	var zero F
	data, err := readRegular(name, maxModFileSize)
	if err != nil {
		return zero, fmt.Errorf("%s: %v", name, err)
	}
	return parse(name, data, nil)
}

// absDir resolves a directory path of a go.mod or go.work file in base.
func absDir(base, dir string) string {
	if filepath.IsAbs(dir) {
		return filepath.Clean(dir)
	}
	return filepath.Join(base, filepath.FromSlash(dir))
}

// relPath names path relative to root, with slashes.
func relPath(root, path string) string {
	if rel, err := filepath.Rel(root, path); err == nil {
		return filepath.ToSlash(rel)
	}
	return path
}

// moduleOf returns the local module that holds the package at importPath.
func moduleOf(mods []localModule, importPath string) (localModule, bool) {
	for _, m := range mods {
		if importPath == m.path || strings.HasPrefix(importPath, m.path+"/") {
			return m, true
		}
	}
	return localModule{}, false
}
