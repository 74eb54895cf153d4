package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/analyzer"
	"github.com/crudmap/crudmap/render"
)

var update = flag.Bool("update", false, "rewrite the golden reports in testdata/golden")

// TestGoldenReports renders each sample app's report as Markdown, JSON,
// DOT and text, checks that a second run gives the same bytes, and
// compares them with testdata/golden/<app>.<ext>. Review every diff that
// go test ./cmd/crudmap -update writes.
func TestGoldenReports(t *testing.T) {
	apps, _ := filepath.Glob("../../testdata/apps/*/go.mod")
	nested, _ := filepath.Glob("../../testdata/apps/*/*/go.mod") // app/go, app/golang
	apps = append(apps, nested...)
	if len(apps) == 0 {
		t.Fatal("no sample apps")
	}
	for _, gomod := range apps {
		dir := filepath.Dir(gomod)
		app := strings.Split(strings.TrimPrefix(filepath.ToSlash(dir), "../../testdata/apps/"), "/")[0]
		t.Run(app, func(t *testing.T) {
			first := renderAll(t, dir)
			second := renderAll(t, dir)
			for ext, got := range first {
				if !bytes.Equal(got, second[ext]) {
					t.Errorf("%s: two runs gave different %s reports", app, ext)
				}
				compareGolden(t, filepath.Join("testdata", "golden", app+"."+ext), got)
			}
		})
	}
}

// renderAll analyses dir and renders the report in each golden format.
func renderAll(t *testing.T, dir string) map[string][]byte {
	r, err := analyzer.Run(analyzer.Config{Dir: dir, Patterns: []string{"./..."}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for ext, f := range map[string]render.Format{"md": render.Markdown, "json": render.JSON, "txt": render.Text, "dot": render.DOT} {
		var buf bytes.Buffer
		if err := render.Write(&buf, f, r, render.Options{Graph: "compact", Version: "test"}); err != nil {
			t.Fatal(err)
		}
		out[ext] = buf.Bytes()
	}
	return out
}

func compareGolden(t *testing.T, path string, got []byte) {
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/crudmap -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the report; run go test ./cmd/crudmap -update and review the diff", path)
	}
}
