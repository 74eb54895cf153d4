package analyzer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
)

// writeTree writes files (path → content) under a new temporary directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, src := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

const suppressMain = `package main

func a() {
	q() //crudmap:ignore n+1 -- the loop runs at most 3 times
	//crudmap:ignore unindexed,n+1 -- tiny lookup table
	q()
	q() //crudmap:ignore n+1
	q() //crudmap:ignore bogus -- why not
	q() //crudmap:ignore readonly-tx something is off
	//crudmap:ignore all -- generated code
	q()
	q() // crudmap:ignore n+1 , schema -- blanks as people type them
	s := "//crudmap:ignore n+1 -- in a string"
	q() //crudmap:ignored n+1 -- another word
	q() //crudmap:ignore N+1 -- kinds are case-insensitive

	q()
	/* //crudmap:ignore n+1 -- block comments are not directives */
	q()
	q() //crudmap:ignore -- no kind
	q() //crudmap:ignore schema --
}
`

func finding(kind, pos string) *graph.Finding {
	return &graph.Finding{Kind: kind, Severity: graph.Warning, Pos: pos, Message: kind + " at " + pos}
}

func kindsAt(fs []*graph.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Kind+"@"+f.Pos)
	}
	return out
}

func TestSuppress(t *testing.T) {
	root := writeTree(t, map[string]string{
		"main.go":           suppressMain,
		"sub/pkg/a.go":      "package pkg\n\n//crudmap:ignore sql-error -- MySQL 8 syntax\nvar x = q()\n",
		"vendor/v.go":       "package v // //crudmap:ignore bogus\n//crudmap:ignore bogus\n",
		"testdata/t.go":     "//crudmap:ignore bogus\n",
		".hidden/h.go":      "//crudmap:ignore bogus\n",
		"_skip/s.go":        "//crudmap:ignore bogus\n",
		"nested/go.mod":     "module example.com/nested\n",
		"nested/n.go":       "//crudmap:ignore bogus\n",
		"notgo.txt":         "//crudmap:ignore bogus\n",
		"sub/pkg/b_test.go": "package pkg\n\nfunc f() { q() } //crudmap:ignore unindexed -- test helper\n",
	})
	r := &graph.Report{Findings: []*graph.Finding{
		finding(graph.KindNPlusOne, "main.go:4:2"),      // trailing n+1: suppressed
		finding(graph.KindNPlusOne, "main.go:4:9"),      // same line, another column: suppressed too
		finding(graph.KindUnindexed, "main.go:4:2"),     // trailing n+1 does not cover unindexed
		finding(graph.KindUnindexed, "main.go:6:2"),     // line above, unindexed: suppressed
		finding(graph.KindUnindexed, "main.go:5:2"),     // the comment's own line: not covered
		finding(graph.KindNPlusOne, "main.go:7:2"),      // no reason: not suppressed
		finding(graph.KindNPlusOne, "main.go:8:2"),      // unknown kind: not suppressed
		finding(graph.KindReadOnlyTx, "main.go:9:2"),    // reason without --: suppressed
		finding(graph.KindSchema, "main.go:11:2"),       // all: suppressed
		finding(graph.KindIgnore, "main.go:11:2"),       // ignore findings are never suppressed
		finding(graph.KindNPlusOne, "main.go:12:2"),     // "// crudmap:ignore n+1 , schema": suppressed
		finding(graph.KindNPlusOne, "main.go:14:2"),     // //crudmap:ignored: not a directive
		finding(graph.KindNPlusOne, "main.go:15:2"),     // N+1: suppressed
		finding(graph.KindNPlusOne, "main.go:17:2"),     // the line above is blank: not covered
		finding(graph.KindNPlusOne, "main.go:19:2"),     // block comment above: not covered
		finding(graph.KindSQLError, "sub/pkg/a.go:4:9"), // in a subdirectory: suppressed
		finding(graph.KindUnindexed, "sub/pkg/b_test.go:3:12"),
	}}
	Suppress(r, root, false)
	want := []string{
		"unindexed@main.go:4:2",
		"unindexed@main.go:5:2",
		"n+1@main.go:7:2",
		"n+1@main.go:8:2",
		"ignore@main.go:11:2",
		"n+1@main.go:14:2",
		"n+1@main.go:17:2",
		"n+1@main.go:19:2",
		// the malformed comments, in position order
		"ignore@main.go:7:6",
		"ignore@main.go:8:6",
		"ignore@main.go:20:6",
		"ignore@main.go:21:6",
	}
	if got := kindsAt(r.Findings); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings after Suppress:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	msgs := map[string]string{}
	for _, f := range r.Findings {
		if f.Kind == graph.KindIgnore && strings.Contains(f.Message, "suppression") {
			msgs[f.Pos] = f.Message
			if f.Severity != graph.Warning || f.Fix == "" {
				t.Errorf("%s: severity %s, fix %q", f.Pos, f.Severity, f.Fix)
			}
		}
	}
	for pos, sub := range map[string]string{
		"main.go:7:6":  "gives no reason",
		"main.go:8:6":  `unknown kind "bogus"`,
		"main.go:20:6": "names no kind",
		"main.go:21:6": "suppression of schema gives no reason",
	} {
		if !strings.Contains(msgs[pos], sub) {
			t.Errorf("%s: message %q lacks %q", pos, msgs[pos], sub)
		}
	}
	if len(r.Notes) != 1 || r.Notes[0] != "9 findings suppressed by //crudmap:ignore comments" {
		t.Errorf("notes = %q", r.Notes)
	}
}

// TestSuppressStrict reports suppressions that match no finding, per kind,
// and only with strict.
func TestSuppressStrict(t *testing.T) {
	root := writeTree(t, map[string]string{"main.go": suppressMain})
	fs := func() []*graph.Finding {
		return []*graph.Finding{
			finding(graph.KindNPlusOne, "main.go:4:2"),
			finding(graph.KindUnindexed, "main.go:6:2"),
			finding(graph.KindSchema, "main.go:11:2"),
			finding(graph.KindNPlusOne, "main.go:15:2"),
		}
	}
	r := &graph.Report{Findings: fs()}
	Suppress(r, root, true)
	var unused []string
	for _, f := range r.Findings {
		if strings.HasPrefix(f.Message, "unused suppression") {
			unused = append(unused, f.Pos+" "+f.Message)
		}
	}
	want := []string{
		"main.go:5:2 unused suppression: no n+1 finding on the next line",
		"main.go:9:6 unused suppression: no readonly-tx finding on this line",
		"main.go:12:6 unused suppression: no n+1 or schema finding on this line",
	}
	if strings.Join(unused, "\n") != strings.Join(want, "\n") {
		t.Errorf("unused:\n%s\nwant:\n%s", strings.Join(unused, "\n"), strings.Join(want, "\n"))
	}

	r = &graph.Report{Findings: fs()}
	Suppress(r, root, false)
	for _, f := range r.Findings {
		if strings.HasPrefix(f.Message, "unused suppression") {
			t.Errorf("unused suppression reported without strict: %s", f.Pos)
		}
	}
}

// TestSuppressNothing: a module without directives keeps every finding and
// gets no note; a missing root is harmless.
func TestSuppressNothing(t *testing.T) {
	root := writeTree(t, map[string]string{"main.go": "package main\n\nfunc main() {}\n"})
	r := &graph.Report{Findings: []*graph.Finding{finding(graph.KindNPlusOne, "main.go:3:1")}}
	Suppress(r, root, true)
	if len(r.Findings) != 1 || len(r.Notes) != 0 {
		t.Errorf("findings %v, notes %v", kindsAt(r.Findings), r.Notes)
	}
	r = &graph.Report{}
	Suppress(r, filepath.Join(root, "missing"), true)
	if len(r.Findings) != 0 {
		t.Errorf("findings %v", kindsAt(r.Findings))
	}
}

func TestParseIgnore(t *testing.T) {
	for _, tc := range []struct {
		in, kinds, reason, bad string
	}{
		{in: " n+1 -- bounded", kinds: "n+1", reason: "bounded"},
		{in: " n+1,unindexed -- a -- b", kinds: "n+1,unindexed", reason: "a -- b"},
		{in: "\tall reason words", kinds: "all", reason: "reason words"},
		{in: " n+1,,sql-error --x", kinds: "n+1,sql-error", reason: "x"},
		{in: " n+1", bad: "gives no reason"},
		{in: " n+1 --  ", bad: "gives no reason"},
		{in: "", bad: "names no kind"},
		{in: " ,", bad: "names no kind"},
		{in: " n+1,ignore -- x", bad: `unknown kind "ignore"`},
		{in: " n+1, unindexed -- a, b", kinds: "n+1,unindexed", reason: "a, b"},
		{in: " n+1 ,unindexed\t, schema at most 5, often 2", kinds: "n+1,unindexed,schema", reason: "at most 5, often 2"},
		{in: " n+1/unindexed -- x", bad: `unknown kind "n+1/unindexed"`},
		{in: " n+1, -- x", kinds: "n+1", reason: "x"},
		{in: " -- x", bad: "names no kind"},
	} {
		kinds, reason, bad := parseIgnore(tc.in)
		if tc.bad != "" {
			if !strings.Contains(bad, tc.bad) {
				t.Errorf("parseIgnore(%q): bad = %q, want %q", tc.in, bad, tc.bad)
			}
			continue
		}
		if bad != "" || strings.Join(kinds, ",") != tc.kinds || reason != tc.reason {
			t.Errorf("parseIgnore(%q) = %v, %q, %q", tc.in, kinds, reason, bad)
		}
	}
}
