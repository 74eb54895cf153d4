package graph

import (
	"bytes"
	"strings"
	"testing"
)

func nplus1(pos, loop string) *Finding {
	return &Finding{Kind: KindNPlusOne, Severity: Warning, Pos: pos, Route: "GET /items",
		Message: "SELECT users runs once per iteration of the loop at " + loop,
		Loop:    loop, Table: "users", Func: "fillUser", SQL: "SELECT * FROM users WHERE id = ?"}
}

func roundTrip(t *testing.T, fs []*Finding) (*Baseline, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteBaseline(&buf, fs); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	return b, buf.String()
}

// TestBaselineIgnoresPositions: moving a finding (its Pos, and the loop
// position inside its message) keeps it accepted; the file holds no
// position.
func TestBaselineIgnoresPositions(t *testing.T) {
	b, text := roundTrip(t, []*Finding{nplus1("main.go:20:3", "main.go:18:2")})
	if strings.Contains(text, "main.go") {
		t.Errorf("baseline holds a position:\n%s", text)
	}
	if got := b.Filter([]*Finding{nplus1("main.go:30:3", "main.go:28:2")}); len(got) != 0 {
		t.Errorf("moved finding is new: %v", got)
	}
}

// TestBaselineCountsDuplicates: two accepted copies hide two findings, not
// a third.
func TestBaselineCountsDuplicates(t *testing.T) {
	b, _ := roundTrip(t, []*Finding{nplus1("a.go:1:1", "a.go:1:1"), nplus1("a.go:2:1", "a.go:2:1")})
	fs := []*Finding{nplus1("a.go:5:1", "a.go:5:1"), nplus1("a.go:6:1", "a.go:6:1"), nplus1("a.go:7:1", "a.go:7:1")}
	got := b.Filter(fs)
	if len(got) != 1 || got[0] != fs[2] {
		t.Errorf("Filter kept %d findings, want the third only", len(got))
	}
}

// TestBaselineNewFindings: a finding that differs in kind, route, function,
// SQL, table or columns is new.
func TestBaselineNewFindings(t *testing.T) {
	old := nplus1("a.go:1:1", "a.go:1:1")
	ix := &Finding{Kind: KindUnindexed, Severity: Warning, Pos: "a.go:9:9", Route: "GET /items",
		Message: "users.name has no index", Table: "users", Columns: []string{"name"}, Func: "find", SQL: "SELECT * FROM users WHERE name = ?"}
	b, _ := roundTrip(t, []*Finding{old, ix})
	for name, edit := range map[string]func(f *Finding){
		"kind":    func(f *Finding) { f.Kind = KindSQLError },
		"route":   func(f *Finding) { f.Route = "POST /items" },
		"func":    func(f *Finding) { f.Func = "other" },
		"sql":     func(f *Finding) { f.SQL = "SELECT * FROM users WHERE email = ?" },
		"table":   func(f *Finding) { f.Table = "people" },
		"columns": func(f *Finding) { f.Columns = []string{"name", "email"} },
	} {
		f := *ix
		edit(&f)
		if got := b.Filter([]*Finding{&f}); len(got) != 1 {
			t.Errorf("finding with another %s is not new", name)
		}
	}
	if got := b.Filter([]*Finding{ix, old}); len(got) != 0 {
		t.Errorf("accepted findings are new: %d", len(got))
	}
}

// TestBaselineMessageKey: without SQL, the message (positions removed) is
// the key.
func TestBaselineMessageKey(t *testing.T) {
	tx := func(pos, msg string) *Finding {
		return &Finding{Kind: KindReadOnlyTx, Severity: Warning, Pos: pos, Route: "GET /a", Func: "h", Message: msg}
	}
	b, _ := roundTrip(t, []*Finding{tx("a.go:3:4", "transaction at a.go:3:4 only reads (2 SELECTs on items)")})
	if got := b.Filter([]*Finding{tx("a.go:9:4", "transaction at a.go:9:4 only reads (2 SELECTs on items)")}); len(got) != 0 {
		t.Error("moved finding without SQL is new")
	}
	if got := b.Filter([]*Finding{tx("a.go:3:4", "transaction at a.go:3:4 only reads (3 SELECTs on items, users)")}); len(got) != 1 {
		t.Error("finding with another message is not new")
	}
}

// TestBaselineDeterministic: the same findings in another order write the
// same bytes.
func TestBaselineDeterministic(t *testing.T) {
	a := nplus1("a.go:1:1", "a.go:1:1")
	c := &Finding{Kind: KindSchema, Severity: Error, Pos: "b.go:1:1", Message: "table nope is not in the schema", SQL: "SELECT * FROM nope"}
	_, x := roundTrip(t, []*Finding{a, c, a})
	_, y := roundTrip(t, []*Finding{c, a, a})
	if x != y {
		t.Errorf("order changes the baseline:\n%s\n%s", x, y)
	}
	_, empty := roundTrip(t, nil)
	if !strings.Contains(empty, `"findings": []`) {
		t.Errorf("empty baseline:\n%s", empty)
	}
}

// TestReadBaselineErrors rejects files that are not baselines.
func TestReadBaselineErrors(t *testing.T) {
	for _, s := range []string{
		``,
		`[]`,
		`{"crudmap_baseline": 2, "findings": []}`,
		`{"findings": []}`,
		`{"crudmap_baseline": 1, "findings": [{"route": "GET /"}]}`,
		`{"crudmap_baseline": 1, "findings": [], "extra": 1}`,
	} {
		if _, err := ReadBaseline(strings.NewReader(s)); err == nil {
			t.Errorf("ReadBaseline(%q) succeeded", s)
		}
	}
	var nilb *Baseline
	fs := []*Finding{nplus1("a.go:1:1", "a.go:1:1")}
	if got := nilb.Filter(fs); len(got) != 1 {
		t.Error("nil baseline hides findings")
	}
}

func TestStripPositions(t *testing.T) {
	for in, want := range map[string]string{
		"loop at item.go:30:2 (via a → b)":  "loop at POS (via a → b)",
		"see internal/db/q.go:12":           "see POS",
		"line 1 column 5 near \"FOO\"":      "line 1 column 5 near \"FOO\"",
		"sessions.token has no index":       "sessions.token has no index",
		"schema.sql:40: skipped (a.go:1:2)": "POS: skipped (POS)",
	} {
		if got := StripPositions(in); got != want {
			t.Errorf("StripPositions(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestBaselineNPlusOneRoutes: an n+1 finding is one per query and loop,
// whatever routes run it. A baseline written when it was one finding per
// route still accepts it, and so does one written before a route was added.
func TestBaselineNPlusOneRoutes(t *testing.T) {
	perRoute := []*Finding{nplus1("a.go:1:1", "a.go:1:1"), nplus1("a.go:1:1", "a.go:1:1")}
	perRoute[1].Route = "GET /items/:id"
	b, _ := roundTrip(t, perRoute)
	merged := nplus1("a.go:1:1", "a.go:1:1")
	merged.Route, merged.Routes = "", []string{"GET /items", "GET /items/:id", "GET /feed"}
	merged.Message += " (run by 3 routes)"
	if got := b.Filter([]*Finding{merged}); len(got) != 0 {
		t.Errorf("merged n+1 finding is new against per-route entries")
	}
	other := *merged
	other.SQL = "SELECT * FROM users WHERE email = ?"
	if got := b.Filter([]*Finding{&other}); len(got) != 1 {
		t.Errorf("n+1 finding with other SQL is accepted")
	}
}
