package analyzer

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
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
