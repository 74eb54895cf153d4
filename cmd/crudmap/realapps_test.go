package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/analyzer"
	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render"
)

// TestRealApps runs crudmap on the contest apps in ../shared/realapps,
// which others wrote, when they are there: no error, a route for every
// registration line, a query for every line that calls a database method
// with a literal SQL text, the same report twice, and the text report of
// testdata/realapps (go test -update rewrites it; review the diff).
func TestRealApps(t *testing.T) {
	mods, _ := filepath.Glob("../../../shared/realapps/*/webapp/go*/go.mod")
	if len(mods) == 0 {
		t.Skip("../shared/realapps is not beside the repository")
	}
	if testing.Short() {
		t.Skip("downloads the apps' dependencies")
	}
	for _, gomod := range mods {
		dir := filepath.Dir(gomod)
		name := strings.Split(strings.TrimPrefix(dir, "../../../shared/realapps/"), "/")[0]
		t.Run(name, func(t *testing.T) {
			r := analyse(t, dir)
			routes, queries := positions(r)
			regs, calls := sourceLines(t, dir)
			for _, line := range regs {
				if !routes[line] {
					t.Errorf("%s: route registration without a route", line)
				}
			}
			for _, line := range calls {
				if !queries[line] {
					t.Errorf("%s: database call without a query", line)
				}
			}
			if !bytes.Equal(jsonOf(t, r), jsonOf(t, analyse(t, dir))) {
				t.Error("two runs gave different reports")
			}
			// The text report is pinned too, so that a change in what
			// crudmap finds on code nobody here wrote shows up as a diff.
			var text bytes.Buffer
			if err := render.Write(&text, render.Text, r, render.Options{}); err != nil {
				t.Fatal(err)
			}
			compareGolden(t, filepath.Join("testdata", "realapps", name+".txt"), text.Bytes())
		})
	}
}

func analyse(t *testing.T, dir string) *graph.Report {
	r, err := analyzer.Run(analyzer.Config{Dir: dir, Patterns: []string{"./..."}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func jsonOf(t *testing.T, r *graph.Report) []byte {
	var buf bytes.Buffer
	if err := render.Write(&buf, render.JSON, r, render.Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// positions returns the "file:line" of every route and query.
func positions(r *graph.Report) (routes, queries map[string]bool) {
	routes, queries = map[string]bool{}, map[string]bool{}
	for _, rt := range r.Routes {
		routes[fileLine(rt.Pos)] = true
	}
	for _, q := range r.Queries {
		queries[fileLine(q.Pos)] = true
	}
	return routes, queries
}

func fileLine(pos string) string {
	return pos[:strings.LastIndex(pos, ":")]
}

var (
	registration = regexp.MustCompile(`^\s*\w+\.(GET|POST|PUT|PATCH|DELETE)\("/`)
	dbCall       = regexp.MustCompile(`\b(db|tx|DB|dbx|adminDB)\.(Get|Select|Exec|Query|QueryRow|Queryx|QueryRowx)(Context)?\((ctx, )?(&\w+, )?"(SELECT|INSERT|UPDATE|DELETE)`)
)

// sourceLines finds, by text, the lines that register a route with a
// literal path and the lines that run a literal SQL statement.
func sourceLines(t *testing.T, dir string) (regs, calls []string) {
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return nil
		}
		defer f.Close()
		rel, _ := filepath.Rel(dir, path)
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := filepath.ToSlash(rel) + ":" + strconv.Itoa(n)
			if registration.MatchString(sc.Text()) {
				regs = append(regs, line)
			}
			if dbCall.MatchString(sc.Text()) {
				calls = append(calls, line)
			}
		}
		return nil
	})
	return regs, calls
}
