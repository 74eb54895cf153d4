package analyzer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// writeFiles writes files (slash paths to contents) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLocalModules checks which modules around the main one are the
// user's code: go.work modules, and directories that go.work or a go.mod
// replaces a module by; never a module replaced by another version.
func TestLocalModules(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.work":            "go 1.22\n\nuse (\n\t./app\n\t./store\n)\n\nreplace example.com/auth => ./auth\n",
		"app/go.mod":         "module example.com/app\n\ngo 1.22\n\nreplace example.com/mail => ../mail\n\nreplace example.com/log => example.com/log2 v1.0.0\n",
		"store/go.mod":       "module example.com/store\n\ngo 1.22\n\nreplace example.com/store/internal/cache => ./cache\n",
		"auth/go.mod":        "module example.com/auth\n",
		"mail/go.mod":        "module example.com/mail\n",
		"store/cache/go.mod": "module example.com/store/internal/cache\n",
	})
	t.Setenv("GOWORK", "")
	root := filepath.Join(dir, "app")
	got := map[string]string{}
	for _, m := range localModules(root) {
		got[m.path] = relPath(root, m.dir) + " (" + m.how + ")"
	}
	want := map[string]string{
		"example.com/store":                "../store (a go.work module)",
		"example.com/auth":                 "../auth (replaced in go.work)",
		"example.com/mail":                 "../mail (replaced in go.mod)",
		"example.com/store/internal/cache": "../store/cache (replaced in ../store/go.mod)",
	}
	for path, w := range want {
		if got[path] != w {
			t.Errorf("module %s: got %q, want %q", path, got[path], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got modules %v, want %v", got, want)
	}
	// A nested module owns its packages.
	if m, _ := moduleOf(localModules(root), "example.com/store/internal/cache/lru"); m.path != "example.com/store/internal/cache" {
		t.Errorf("moduleOf the nested module's package = %q", m.path)
	}
	if _, ok := moduleOf(localModules(root), "example.com/storefront"); ok {
		t.Error("example.com/storefront is not in module example.com/store")
	}

	// GOWORK=off: only the main module's replacements.
	t.Setenv("GOWORK", "off")
	var paths []string
	for _, m := range localModules(root) {
		paths = append(paths, m.path)
	}
	if !slices.Equal(paths, []string{"example.com/mail"}) {
		t.Errorf("with GOWORK=off, local modules %v, want [example.com/mail]", paths)
	}
}

// TestNewerGo checks that a module asking for a newer Go than crudmap was
// built with is type-checked as the newest Go crudmap knows, with a note,
// instead of failing in every package.
func TestNewerGo(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod":  "module example.com/newer\n\ngo 1.22\n",
		"main.go": "package main\n\nfunc main() {\n\tfor i := range 3 {\n\t\t_ = i\n\t}\n}\n",
	})
	pkgs, err := packages.Load(&packages.Config{Mode: loadMode, Dir: dir}, ".")
	if err != nil || len(pkgs) != 1 || pkgs[0].Module == nil {
		t.Fatalf("loading the module: %v", err)
	}
	p := pkgs[0]
	if got := goVersion(p); got != "go1.22" {
		t.Errorf("goVersion of a go 1.22 module = %q, want go1.22", got)
	}
	// What go/packages makes of a go.mod newer than crudmap's type checker.
	p.Module.GoVersion, p.IllTyped = "1.99", true
	if got := goVersion(p); got != "" {
		t.Errorf("goVersion of a go 1.99 module = %q, want \"\" (the newest known)", got)
	}
	ok, notes, skipped := recheckPackages(pkgs, dir)
	if len(ok) != 1 || len(notes) > 0 || len(skipped) > 0 || ok[0].IllTyped {
		t.Errorf("recheck of a go 1.99 module: %d packages, notes %q, skipped %q; want it whole", len(ok), notes, skipped)
	}
	if notes := newerGoNotes(pkgs); len(notes) != 1 || !strings.Contains(notes[0], "asks for go 1.99") {
		t.Errorf("newerGoNotes = %q, want one note naming go 1.99", notes)
	}
}
