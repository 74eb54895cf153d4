package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render"
)

func TestParseSeverity(t *testing.T) {
	for in, want := range map[string]graph.Severity{
		"error": graph.Error, "warning": graph.Warning, "info": graph.Info, "none": failNone,
	} {
		if got, err := parseSeverity(in); err != nil || got != want {
			t.Errorf("parseSeverity(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "warn", "Error", "all"} {
		if _, err := parseSeverity(in); err == nil {
			t.Errorf("parseSeverity(%q) succeeded", in)
		}
	}
}

func TestFailing(t *testing.T) {
	sev := func(ss ...graph.Severity) []*graph.Finding {
		var fs []*graph.Finding
		for _, s := range ss {
			fs = append(fs, &graph.Finding{Kind: graph.KindNPlusOne, Severity: s})
		}
		return fs
	}
	for _, tc := range []struct {
		fs        []*graph.Finding
		threshold graph.Severity
		want      bool
	}{
		{sev(), graph.Info, false},
		{sev(graph.Info), graph.Info, true},
		{sev(graph.Info), graph.Warning, false},
		{sev(graph.Info, graph.Warning), graph.Warning, true},
		{sev(graph.Warning), graph.Error, false},
		{sev(graph.Error), graph.Error, true},
		{sev(graph.Error), graph.Info, true},
		{sev(graph.Error), failNone, false},
		{sev("odd"), graph.Info, false},
	} {
		if got := failing(tc.fs, tc.threshold); got != tc.want {
			t.Errorf("failing(%v findings, %s) = %v", len(tc.fs), tc.threshold, got)
		}
	}
}

func parseCI(t *testing.T, args ...string) (*ciOptions, error) {
	t.Helper()
	var c ciOptions
	fs := flag.NewFlagSet("crudmap", flag.ContinueOnError)
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &c, c.check()
}

func TestCIFlags(t *testing.T) {
	c, err := parseCI(t)
	if err != nil || c.threshold != failNone || c.stdoutFormat() != render.Text {
		t.Errorf("defaults: threshold %q, format %q, err %v", c.threshold, c.stdoutFormat(), err)
	}
	c, err = parseCI(t, "-fail-on", "warning", "-format", "github", "-strict")
	if err != nil || c.threshold != graph.Warning || c.stdoutFormat() != render.GitHub || !c.strict {
		t.Errorf("-fail-on warning -format github -strict: %+v, %v", c, err)
	}
	for _, args := range [][]string{
		{"-fail-on", "warn"},
		{"-format", "html"},
		{"-baseline", filepath.Join(t.TempDir(), "missing.json")},
	} {
		if _, err := parseCI(t, args...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// TestCIApply runs the CI steps on a hand-made report of a temporary
// module: a suppressed finding disappears, -write-baseline accepts the
// rest, and with -baseline only a new finding is left.
func TestCIApply(t *testing.T) {
	root := t.TempDir()
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/x\n\ngo 1.22\n"), 0o644)
	os.MkdirAll(filepath.Join(root, "sub"), 0o755)
	os.WriteFile(filepath.Join(root, "main.go"), []byte("package main\n\nfunc f() {\n\tq() //crudmap:ignore unindexed -- tiny table\n}\n"), 0o644)
	report := func(extra ...*graph.Finding) *graph.Report {
		fs := []*graph.Finding{
			{Kind: graph.KindUnindexed, Severity: graph.Warning, Pos: "main.go:4:2", Route: "GET /a", Func: "f", SQL: "SELECT * FROM t WHERE a = ?", Table: "t", Columns: []string{"a"}},
			{Kind: graph.KindNPlusOne, Severity: graph.Warning, Pos: "main.go:9:2", Route: "GET /a", Func: "f", SQL: "SELECT * FROM u WHERE id = ?", Table: "u"},
			{Kind: graph.KindNPlusOne, Severity: graph.Warning, Pos: "main.go:12:2", Route: "GET /a", Func: "f", SQL: "SELECT * FROM u WHERE id = ?", Table: "u"},
		}
		return &graph.Report{Findings: append(fs, extra...)}
	}
	base := filepath.Join(root, "crudmap-baseline.json")
	var stderr bytes.Buffer

	// -write-baseline from a subdirectory: positions are relative to the
	// module root, so the suppression still applies.
	c, err := parseCI(t, "-fail-on", "warning", "-write-baseline", base)
	if err != nil {
		t.Fatal(err)
	}
	r := report()
	if err := c.apply(r, filepath.Join(root, "sub"), &stderr); err != nil {
		t.Fatal(err)
	}
	if len(r.Findings) != 0 || c.exitCode(r) != 0 {
		t.Errorf("after -write-baseline: %d findings, exit %d", len(r.Findings), c.exitCode(r))
	}
	if !strings.Contains(stderr.String(), "wrote 2 findings to baseline") {
		t.Errorf("stderr: %s", stderr.String())
	}

	// -baseline: the accepted findings moved, a third copy and a new
	// finding appeared.
	c, err = parseCI(t, "-fail-on", "warning", "-baseline", base)
	if err != nil {
		t.Fatal(err)
	}
	r = report(
		&graph.Finding{Kind: graph.KindNPlusOne, Severity: graph.Warning, Pos: "main.go:30:2", Route: "GET /a", Func: "f", SQL: "SELECT * FROM u WHERE id = ?", Table: "u"},
		&graph.Finding{Kind: graph.KindReadOnlyTx, Severity: graph.Info, Pos: "main.go:40:2", Route: "GET /b", Func: "g", Message: "transaction only reads"},
	)
	for _, f := range r.Findings {
		if f.Kind == graph.KindNPlusOne {
			f.Pos = strings.Replace(f.Pos, ":", ":1", 1) // move every line
		}
	}
	if err := c.apply(r, root, &stderr); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.Kind+"@"+f.Pos)
	}
	if strings.Join(got, " ") != "n+1@main.go:130:2 readonly-tx@main.go:40:2" {
		t.Errorf("new findings: %v", got)
	}
	if c.exitCode(r) != 1 {
		t.Error("a new warning does not fail -fail-on warning")
	}
	c.threshold = graph.Error
	if c.exitCode(r) != 0 {
		t.Error("warnings fail -fail-on error")
	}

	// A file that is not a baseline is an error.
	os.WriteFile(base, []byte("{}"), 0o644)
	c, _ = parseCI(t, "-baseline", base)
	if err := c.apply(report(), root, &stderr); err == nil {
		t.Error("bad baseline accepted")
	}
}
