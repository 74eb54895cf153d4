package main

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestRealServiceRoutes runs crudmap on the four open-source services in
// ../shared/realapps, when they are there, and compares the routes it
// finds with the routes their code registers, listed from the source in
// testdata/realservices/<app>.routes ("METHOD PATH FILE:LINE"): every
// registered route found, at its registration, and no other. The
// handlers crudmap lists because no registration reaches them
// ("{handler pkg.Func}") are not compared.
func TestRealServiceRoutes(t *testing.T) {
	lists, _ := filepath.Glob(filepath.Join("testdata", "realservices", "*.routes"))
	for _, list := range lists {
		app := strings.TrimSuffix(filepath.Base(list), ".routes")
		dir := filepath.Join("..", "..", "..", "shared", "realapps", app)
		t.Run(app, func(t *testing.T) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
				t.Skip("../shared/realapps/" + app + " is not beside the repository")
			}
			if testing.Short() {
				t.Skip("downloads the app's dependencies")
			}
			want := registeredRoutes(t, list)
			var got []string
			for _, rt := range analyse(t, dir).Routes {
				if strings.HasPrefix(rt.Path, "{handler ") {
					continue // a handler no registration reaches (R15), not a route
				}
				got = append(got, rt.Method+" "+rt.Path+" "+fileLine(rt.Pos))
			}
			missing, extra := multisetDiff(want, got)
			for _, r := range missing {
				t.Errorf("registered, not found: %s", r)
			}
			for _, r := range extra {
				t.Errorf("found, not registered: %s", r)
			}
		})
	}
}

// registeredRoutes reads a .routes list: one route a line, # comments.
func registeredRoutes(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// multisetDiff returns the elements of want not in got and of got not in
// want, counting repeats, sorted.
func multisetDiff(want, got []string) (missing, extra []string) {
	count := map[string]int{}
	for _, w := range want {
		count[w]++
	}
	for _, g := range got {
		count[g]--
	}
	for k, n := range count {
		for ; n > 0; n-- {
			missing = append(missing, k)
		}
		for ; n < 0; n++ {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return missing, extra
}
