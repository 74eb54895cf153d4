package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
)

// renderFormat renders r in format f and fails the test on an error.
func renderFormat(t *testing.T, f Format, r *graph.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f, r, Options{}); err != nil {
		t.Fatalf("Write(%s): %v", f, err)
	}
	return buf.Bytes()
}

// fixtureNoRoutes is a report of a module without HTTP routes, with one
// finding and one note.
func fixtureNoRoutes() *graph.Report {
	return &graph.Report{
		SchemaVersion: graph.SchemaVersion,
		Module:        "example.com/cli",
		Findings: []*graph.Finding{{Kind: graph.KindSQLError, Severity: graph.Warning, Pos: "db.go:3:7",
			Message: "the SQL parser rejects this query: line 1 column 5 near \"FORM\""}},
		Notes: []string{"package example.com/cli/x did not type-check"},
	}
}

// fixtureWideMatrix is a report whose routes touch so many tables with long
// names that the text matrix would be wider than maxTextWidth.
func fixtureWideMatrix() *graph.Report {
	r := &graph.Report{Module: "example.com/wide"}
	for i := range 3 {
		rt := &graph.Route{Method: "GET", Path: fmt.Sprintf("/r%d", i)}
		for j := range 12 {
			if (i+j)%2 == 0 {
				rt.Tables = append(rt.Tables, &graph.TableOps{
					Table: fmt.Sprintf("user_present_history_%02d", j), Ops: []graph.Op{graph.Select}, LoopOps: []graph.Op{graph.Select}})
			}
		}
		r.Routes = append(r.Routes, rt)
	}
	r.Routes = append(r.Routes, &graph.Route{Method: "POST", Path: "/none"})
	return r
}

func TestTextGolden(t *testing.T) {
	golden(t, "fixture.txt", renderFormat(t, Text, fixtureReport()))
}

func TestTextSummary(t *testing.T) {
	got := strings.SplitN(string(renderFormat(t, Text, fixtureReport())), "\n", 2)[0]
	want := "crudmap: example.com/shop: 3 routes, 3 tables, 4 queries; findings: 1 n+1, 1 unindexed, 1 readonly-tx; schema: schema.sql"
	if got != want {
		t.Errorf("summary line:\ngot  %q\nwant %q", got, want)
	}
}

func TestTextMatrix(t *testing.T) {
	out := string(renderFormat(t, Text, fixtureReport()))
	want := "\n                                items  sessions  users\n" +
		"GET /api/items/:id              R      R         R*\n" +
		"POST /api/items                 CU     -         -\n" +
		"GET /<script>alert(1)</script>  -      -         -\n"
	if !strings.Contains(out, want) {
		t.Errorf("text report lacks the matrix\n%s\ngot\n%s", want, out)
	}
}

func TestTextFindingsSortedByPosition(t *testing.T) {
	r := fixtureReport()
	r.Findings = append(r.Findings, &graph.Finding{Kind: graph.KindSchema, Pos: "item.go:9:1", Message: "no route"})
	var got []string
	for _, line := range strings.Split(string(renderFormat(t, Text, r)), "\n") {
		if strings.Contains(line, ": [") {
			got = append(got, line)
		}
	}
	want := []string{
		"auth.go:12:9: [unindexed] GET /api/items/:id: sessions.token has no index (WHERE token = ?)",
		"item.go:9:1: [schema] no route",
		"item.go:15:12: [readonly-tx] GET /api/items/:id: transaction only reads (2 SELECTs on items, users)",
		"item.go:60:10: [n+1] GET /api/items/:id: SELECT users runs once per iteration of the loop at item.go:30:2 (via fillItems → fillUser)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("finding lines:\ngot\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestTextNoRoutes(t *testing.T) {
	got := string(renderFormat(t, Text, fixtureNoRoutes()))
	want := "crudmap: example.com/cli: no HTTP routes found\n" +
		"db.go:3:7: [sql-error] the SQL parser rejects this query: line 1 column 5 near \"FORM\"\n" +
		"crudmap: note: package example.com/cli/x did not type-check\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	empty := string(renderFormat(t, Text, &graph.Report{Module: "m"}))
	if empty != "crudmap: m: no HTTP routes found\n" {
		t.Errorf("empty report: got %q", empty)
	}
}

func TestTextWideMatrixFallback(t *testing.T) {
	out := string(renderFormat(t, Text, fixtureWideMatrix()))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	want := []string{
		"crudmap: example.com/wide: 4 routes, 0 tables, 0 queries; no findings",
		"",
		"GET /r0     user_present_history_00:R* user_present_history_02:R* user_present_history_04:R* " +
			"user_present_history_06:R* user_present_history_08:R* user_present_history_10:R*",
		"GET /r1     user_present_history_01:R* user_present_history_03:R* user_present_history_05:R* " +
			"user_present_history_07:R* user_present_history_09:R* user_present_history_11:R*",
		"GET /r2     user_present_history_00:R* user_present_history_02:R* user_present_history_04:R* " +
			"user_present_history_06:R* user_present_history_08:R* user_present_history_10:R*",
		"POST /none  -",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\ngot  %q\nwant %q", i+1, lines[i], want[i])
		}
	}

	// A narrow matrix stays a matrix.
	narrow := fixtureWideMatrix()
	narrow.Routes = narrow.Routes[:1]
	narrow.Routes[0].Tables = narrow.Routes[0].Tables[:2]
	out = string(renderFormat(t, Text, narrow))
	if !strings.Contains(out, "GET /r0  R*                       R*\n") {
		t.Errorf("narrow report is not a matrix:\n%s", out)
	}
}

func TestTextOneLinePerFinding(t *testing.T) {
	r := &graph.Report{Module: "m", Findings: []*graph.Finding{
		{Kind: graph.KindSQLError, Pos: "a.go:1:2", Message: "line one\nline two\x1b[31m"},
	}}
	got := string(renderFormat(t, Text, r))
	want := "crudmap: m: no HTTP routes found\na.go:1:2: [sql-error] line one\\nline two\\x1b[31m\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLoopPhrase(t *testing.T) {
	for loops, want := range map[string]string{
		"a.go:3:2":                   "the loop at a.go:3:2",
		"a.go:3:2|a.go:9:2":          "the loops at a.go:3:2 and a.go:9:2",
		"a.go:3:2|a.go:9:2|b.go:1:1": "the loops at a.go:3:2, a.go:9:2 and b.go:1:1",
	} {
		if got := loopPhrase(strings.Split(loops, "|")); got != want {
			t.Errorf("loopPhrase(%s) = %q, want %q", loops, got, want)
		}
	}
}
