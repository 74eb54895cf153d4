package analyzer_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/analyzer"
	"github.com/crudmap/crudmap/graph"
)

// TestApps runs crudmap on each sample app in testdata/apps and compares
// its routes and findings with the // want comments in the app's source
// (see testdata/apps/README.md for the format).
func TestApps(t *testing.T) {
	apps := sampleApps(t, "..")
	for _, gomod := range apps {
		dir := filepath.Dir(gomod)
		t.Run(appName(dir), func(t *testing.T) {
			r, err := analyzer.Run(analyzer.Config{Dir: dir, Patterns: []string{"./..."}})
			if err != nil {
				t.Fatal(err)
			}
			checkWants(t, dir, diagnostics(r), wants(t, dir))
		})
	}
}

// appName is the sample app's folder under testdata/apps.
func appName(dir string) string {
	rel, _ := filepath.Rel(filepath.Join("..", "testdata", "apps"), dir)
	return strings.Split(filepath.ToSlash(rel), "/")[0]
}

// sampleApps returns the module directories of the sample apps under
// root/testdata/apps: the app's directory, or its go/ or golang/
// subdirectory when it keeps its schema beside the code, as contest apps do.
func sampleApps(t *testing.T, root string) []string {
	mods, _ := filepath.Glob(filepath.Join(root, "testdata", "apps", "*", "go.mod"))
	nested, _ := filepath.Glob(filepath.Join(root, "testdata", "apps", "*", "*", "go.mod"))
	mods = append(mods, nested...)
	if len(mods) == 0 {
		t.Fatal("no sample apps found")
	}
	sort.Strings(mods)
	return mods
}

// diagnostics returns what r reports, per "file:line": routes as
// "route: METHOD PATH table:OPS ..." and findings as "kind: message".
func diagnostics(r *graph.Report) map[string][]string {
	out := map[string][]string{}
	add := func(pos, msg string) {
		key := lineOf(pos)
		for _, m := range out[key] {
			if m == msg {
				return
			}
		}
		out[key] = append(out[key], msg)
	}
	for _, rt := range r.Routes {
		add(rt.Pos, routeDiagnostic(rt))
	}
	for _, f := range r.Findings {
		add(f.Pos, f.Kind+": "+f.Message)
	}
	return out
}

// routeDiagnostic is "route: METHOD PATH table:OPS ...".
func routeDiagnostic(rt *graph.Route) string {
	parts := []string{"route:", rt.Method, rt.Path}
	for _, t := range rt.Tables {
		ops := append([]graph.Op{}, t.Ops...)
		sort.Slice(ops, func(i, j int) bool { return ops[i].Rank() < ops[j].Rank() })
		letters := ""
		for _, op := range ops {
			letters += op.Letter()
		}
		parts = append(parts, t.Table+":"+letters)
	}
	return strings.Join(parts, " ")
}

// lineOf turns "file:line:col" into "file:line".
func lineOf(pos string) string {
	if i := strings.LastIndex(pos, ":"); i > 0 {
		return pos[:i]
	}
	return pos
}

// wants returns the // want strings of every .go file under dir, per
// "file:line" relative to dir.
func wants(t *testing.T, dir string) map[string][]string {
	out := map[string][]string{}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan(); line++ {
			i := strings.Index(sc.Text(), "// want ")
			if i < 0 {
				continue
			}
			ws, err := parseWants(sc.Text()[i+len("// want "):])
			if err != nil {
				t.Errorf("%s:%d: bad want comment: %v", rel, line, err)
			}
			key := fmt.Sprintf("%s:%d", filepath.ToSlash(rel), line)
			out[key] = append(out[key], ws...)
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// parseWants parses a sequence of Go string literals.
func parseWants(s string) ([]string, error) {
	var out []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return out, err
		}
		w, _ := strconv.Unquote(q)
		out = append(out, w)
		s = s[len(q):]
	}
	return out, nil
}

// matches reports whether diagnostic d satisfies want w: route wants
// compare exactly, others as a substring.
func matches(d, w string) bool {
	if strings.HasPrefix(w, "route: ") {
		return d == w
	}
	return strings.Contains(d, w)
}

// checkWants fails on a want no diagnostic matches and on a diagnostic
// no want matches.
func checkWants(t *testing.T, dir string, diags, want map[string][]string) {
	lines := map[string]bool{}
	for k := range diags {
		lines[k] = true
	}
	for k := range want {
		lines[k] = true
	}
	var keys []string
	for k := range lines {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, w := range want[k] {
			if !anyMatch(diags[k], func(d string) bool { return matches(d, w) }) {
				t.Errorf("%s: missing %q; got %q", k, w, diags[k])
			}
		}
		for _, d := range diags[k] {
			if !anyMatch(want[k], func(w string) bool { return matches(d, w) }) {
				t.Errorf("%s: unexpected %q", k, d)
			}
		}
	}
}

func anyMatch(ss []string, f func(string) bool) bool {
	for _, s := range ss {
		if f(s) {
			return true
		}
	}
	return false
}
