package render

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/crudmap/crudmap/graph"
)

func renderSARIF(t *testing.T, r *graph.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, SARIF, r, Options{Version: "v0.1.0"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sarifSchemaErr checks a SARIF log against the SARIF 2.1.0 JSON schema
// (testdata/sarif-schema-2.1.0.json), formats included.
func sarifSchemaErr(t *testing.T, out []byte) error {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatalf("compiling the SARIF schema: %v", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v", err)
	}
	return sch.Validate(inst)
}

func validateSARIF(t *testing.T, out []byte) {
	t.Helper()
	if err := sarifSchemaErr(t, out); err != nil {
		t.Errorf("SARIF output does not match the SARIF 2.1.0 schema: %v\n%s", err, out)
	}
}

// TestSARIFSchemaRejects makes sure the schema check can fail: a bad level
// and a missing message must be rejected.
func TestSARIFSchemaRejects(t *testing.T) {
	good := renderSARIF(t, fixtureReport())
	for _, bad := range [][]byte{
		bytes.Replace(good, []byte(`"level": "warning"`), []byte(`"level": "warn"`), 1),
		bytes.Replace(good, []byte(`"message": {`), []byte(`"msg": {`), 1),
		bytes.Replace(good, []byte(`"startLine": 60`), []byte(`"startLine": 0`), 1),
	} {
		if bytes.Equal(bad, good) {
			t.Fatal("test edit did not apply")
		}
		if sarifSchemaErr(t, bad) == nil {
			t.Errorf("schema accepted an invalid log")
		}
	}
}

// TestSARIFGolden compares the fixture's SARIF with testdata/fixture.sarif
// (go test ./render -update rewrites it) and checks that two runs give the
// same bytes.
func TestSARIFGolden(t *testing.T) {
	out := renderSARIF(t, fixtureReport())
	if again := renderSARIF(t, fixtureReport()); !bytes.Equal(out, again) {
		t.Fatal("two renderings of the same report differ")
	}
	golden(t, "fixture.sarif", out)
}

// TestSARIFSchema validates the fixture's SARIF, an empty report's and one
// with awkward findings against the official SARIF 2.1.0 schema.
func TestSARIFSchema(t *testing.T) {
	validateSARIF(t, renderSARIF(t, fixtureReport()))
	validateSARIF(t, renderSARIF(t, &graph.Report{}))
	validateSARIF(t, renderSARIF(t, &graph.Report{Findings: []*graph.Finding{
		{Kind: graph.KindSQLError, Severity: graph.Error, Pos: "dir with space/ü.go:3:4", Message: "line 1 column 5 near \"FOO\""},
		{Kind: graph.KindSchema, Severity: graph.Info, Pos: "schema.sql:7", Message: "no pos column"},
		{Kind: "future-kind", Severity: "odd", Pos: "", Message: "no position at all"},
	}}))
}

// sarifDoc is the part of a SARIF log the tests inspect.
type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID                   string `json:"id"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Help struct {
						Text string `json:"text"`
					} `json:"help"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI       string `json:"uri"`
						URIBaseID string `json:"uriBaseId"`
					} `json:"artifactLocation"`
					Region *struct {
						StartLine   int `json:"startLine"`
						StartColumn int `json:"startColumn"`
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Properties          map[string]any    `json:"properties"`
		} `json:"results"`
	} `json:"runs"`
}

func parseSARIF(t *testing.T, out []byte) *sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(d.Runs))
	}
	return &d
}

// TestSARIFContent checks the facts code scanning relies on: driver, one
// rule per kind with stable ids, levels, locations, message, properties.
func TestSARIFContent(t *testing.T) {
	d := parseSARIF(t, renderSARIF(t, fixtureReport()))
	run := d.Runs[0]
	if run.Tool.Driver.Name != "crudmap" || run.Tool.Driver.Version != "v0.1.0" {
		t.Errorf("driver = %q %q", run.Tool.Driver.Name, run.Tool.Driver.Version)
	}
	var ids []string
	for _, r := range run.Tool.Driver.Rules {
		ids = append(ids, r.ID)
		if r.Help.Text == "" || r.DefaultConfiguration.Level == "" {
			t.Errorf("rule %s lacks help or a default level", r.ID)
		}
	}
	if got, want := strings.Join(ids, " "), "n+1 unindexed readonly-tx schema sql-error ignore"; got != want {
		t.Errorf("rule ids = %s, want %s", got, want)
	}
	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3", len(run.Results))
	}
	res := run.Results[0]
	if res.RuleID != "n+1" || run.Tool.Driver.Rules[res.RuleIndex].ID != "n+1" || res.Level != "warning" {
		t.Errorf("result 0: rule %s (index %d), level %s", res.RuleID, res.RuleIndex, res.Level)
	}
	loc := res.Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "item.go" || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" ||
		loc.Region == nil || loc.Region.StartLine != 60 || loc.Region.StartColumn != 10 {
		t.Errorf("result 0 location = %+v", loc)
	}
	for _, s := range []string{"GET /api/items/:id: ", "SELECT users runs once", "Fix: collect the ids"} {
		if !strings.Contains(res.Message.Text, s) {
			t.Errorf("result 0 message %q lacks %q", res.Message.Text, s)
		}
	}
	if res.Properties["route"] != "GET /api/items/:id" || res.Properties["table"] != "users" {
		t.Errorf("result 0 properties = %v", res.Properties)
	}
	if got := run.Results[1].Properties["suggestion"]; got != "ALTER TABLE sessions ADD INDEX idx_sessions_token (token);" {
		t.Errorf("unindexed suggestion property = %v", got)
	}
}

// TestSARIFLevels maps severities to SARIF levels, info to note.
func TestSARIFLevels(t *testing.T) {
	r := &graph.Report{}
	for _, s := range []graph.Severity{graph.Error, graph.Warning, graph.Info} {
		r.Findings = append(r.Findings, &graph.Finding{Kind: graph.KindSchema, Severity: s, Pos: "a.go:1:1", Message: string(s)})
	}
	d := parseSARIF(t, renderSARIF(t, r))
	var got []string
	for _, res := range d.Runs[0].Results {
		got = append(got, res.Level)
	}
	if strings.Join(got, " ") != "error warning note" {
		t.Errorf("levels = %v, want error warning note", got)
	}
}

// TestSARIFFingerprints checks that a finding's fingerprint survives moving
// lines (its position and the loop position in its message change), that
// identical findings get distinct fingerprints, and that a different query
// gets a different one.
func TestSARIFFingerprints(t *testing.T) {
	base := func(line string) *graph.Finding {
		return &graph.Finding{Kind: graph.KindNPlusOne, Severity: graph.Warning, Pos: "item.go:" + line + ":10",
			Route: "GET /items", Func: "fillUser", SQL: "SELECT * FROM users WHERE id = ?", Table: "users",
			Loop: "item.go:" + line + ":2", Message: "SELECT users runs once per iteration of the loop at item.go:" + line + ":2"}
	}
	fp := func(fs ...*graph.Finding) []string {
		d := parseSARIF(t, renderSARIF(t, &graph.Report{Findings: fs}))
		var out []string
		for _, res := range d.Runs[0].Results {
			out = append(out, res.PartialFingerprints["crudmapFingerprint/v2"])
		}
		return out
	}
	a, b := fp(base("60")), fp(base("70"))
	if a[0] == "" || a[0] != b[0] {
		t.Errorf("fingerprint changed when the finding moved: %q vs %q", a[0], b[0])
	}
	dup := fp(base("60"), base("80"))
	if dup[0] == dup[1] || !strings.HasSuffix(dup[0], ":1") || !strings.HasSuffix(dup[1], ":2") {
		t.Errorf("identical findings: fingerprints %q", dup)
	}
	other := base("60")
	other.SQL = "SELECT * FROM users WHERE name = ?"
	if c := fp(other); c[0] == a[0] {
		t.Errorf("different SQL, same fingerprint %q", c[0])
	}
}

// TestSARIFLocations checks how positions become locations: a file name
// with a colon, a position without column, none at all, URI escaping.
func TestSARIFLocations(t *testing.T) {
	for _, tc := range []struct {
		pos, uri        string
		line, col       int
		noLoc, noRegion bool
	}{
		{pos: "main.go:12:3", uri: "main.go", line: 12, col: 3},
		{pos: "internal/db/q.go:1:1", uri: "internal/db/q.go", line: 1, col: 1},
		{pos: "c:odd.go:5:6", uri: "./c:odd.go", line: 5, col: 6},
		{pos: "schema.sql:40", uri: "schema.sql", line: 40},
		{pos: "schema.sql", uri: "schema.sql", noRegion: true},
		{pos: "dir with space/a%.go:2:2", uri: "dir%20with%20space/a%25.go", line: 2, col: 2},
		{pos: "", noLoc: true},
	} {
		d := parseSARIF(t, renderSARIF(t, &graph.Report{Findings: []*graph.Finding{
			{Kind: graph.KindSchema, Severity: graph.Warning, Pos: tc.pos, Message: "m"}}}))
		locs := d.Runs[0].Results[0].Locations
		if tc.noLoc {
			if len(locs) != 0 {
				t.Errorf("%q: locations %+v, want none", tc.pos, locs)
			}
			continue
		}
		if len(locs) != 1 {
			t.Fatalf("%q: %d locations", tc.pos, len(locs))
		}
		pl := locs[0].PhysicalLocation
		if pl.ArtifactLocation.URI != tc.uri {
			t.Errorf("%q: uri %q, want %q", tc.pos, pl.ArtifactLocation.URI, tc.uri)
		}
		if tc.noRegion {
			if pl.Region != nil {
				t.Errorf("%q: region %+v, want none", tc.pos, pl.Region)
			}
			continue
		}
		if pl.Region == nil || pl.Region.StartLine != tc.line || pl.Region.StartColumn != tc.col {
			t.Errorf("%q: region %+v, want %d:%d", tc.pos, pl.Region, tc.line, tc.col)
		}
	}
}
