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

// TestRealAppsNPlusOne runs crudmap on every real app in ../shared/realapps
// (the contest apps and the four services) and checks each n+1 finding
// against the review in testdata/realapps/nplusone-review.tsv: a finding
// nobody reviewed fails (review it and add its line), a reviewed finding
// crudmap no longer makes fails, and at least 90 % of the findings must be
// true N+1 queries.
func TestRealAppsNPlusOne(t *testing.T) {
	const root = "../../../shared/realapps"
	dirs := realAppDirs(root)
	if len(dirs) == 0 {
		t.Skip("../shared/realapps is not beside the repository")
	}
	if testing.Short() {
		t.Skip("downloads the apps' dependencies")
	}
	review := readReview(t, filepath.Join("testdata", "realapps", "nplusone-review.tsv"))
	found, right := 0, 0
	for app, dir := range dirs {
		t.Run(app, func(t *testing.T) {
			made := map[string]bool{}
			for _, f := range analyse(t, dir).Findings {
				if f.Kind != graph.KindNPlusOne {
					continue
				}
				k := f.Pos + " " + f.Loop
				made[k] = true
				verdict, ok := review[app][k]
				switch {
				case !ok:
					t.Errorf("unreviewed n+1 finding %s (loop %s): %s", f.Pos, f.Loop, f.Message)
				case verdict:
					right++
				}
				found++
			}
			for k := range review[app] {
				if !made[k] {
					t.Errorf("reviewed n+1 finding %s is no longer made", k)
				}
			}
		})
	}
	if found > 0 && right*10 < found*9 {
		t.Errorf("%d of %d n+1 findings are true N+1 queries, want at least 90 %%", right, found)
	}
}

// realAppDirs returns each real app's module directory by name: the
// folder itself for the services, webapp/go or webapp/golang for the
// contest apps.
func realAppDirs(root string) map[string]string {
	mods, _ := filepath.Glob(filepath.Join(root, "*", "go.mod"))
	contest, _ := filepath.Glob(filepath.Join(root, "*", "webapp", "go*", "go.mod"))
	dirs := map[string]string{}
	for _, gomod := range append(mods, contest...) {
		dir := filepath.Dir(gomod)
		rel, _ := filepath.Rel(root, dir)
		dirs[strings.Split(filepath.ToSlash(rel), "/")[0]] = dir
	}
	return dirs
}

// readReview reads the review table: per app, "query loop" → whether the
// finding is a true N+1. Lines starting with # are comments.
func readReview(t *testing.T, path string) map[string]map[string]bool {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	review := map[string]map[string]bool{}
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 6 || (cols[4] != "true" && cols[4] != "false") {
			t.Fatalf("%s:%d: want app, query, loop, severity, true|false, why; got %q", path, i+1, line)
		}
		if review[cols[0]] == nil {
			review[cols[0]] = map[string]bool{}
		}
		review[cols[0]][cols[1]+" "+cols[2]] = cols[4] == "true"
	}
	return review
}
