package render

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
)

func TestJSONGolden(t *testing.T) {
	golden(t, "fixture.json", renderFormat(t, JSON, fixtureReport()))
}

func TestJSONRoundTrip(t *testing.T) {
	r := fixtureReport()
	var got graph.Report
	if err := json.Unmarshal(renderFormat(t, JSON, r), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&got, jsonReport(r)) {
		t.Errorf("decoding the JSON report does not give the report back")
	}
}

func TestJSONNilSlices(t *testing.T) {
	r := &graph.Report{
		SchemaVersion: graph.SchemaVersion,
		Module:        "m",
		Routes:        []*graph.Route{{Method: "GET", Path: "/", Tables: []*graph.TableOps{{Table: "t"}}}},
		Queries:       []*graph.Query{{ID: "q1"}},
		Tables:        []*graph.Table{{Name: "t", Indexes: []*graph.Index{{Name: "PRIMARY"}}}},
	}
	out := renderFormat(t, JSON, r)
	if strings.Contains(string(out), "null") {
		t.Errorf("JSON report holds null:\n%s", out)
	}
	var doc struct {
		Routes      []map[string]any `json:"routes"`
		Findings    []any            `json:"findings"`
		Functions   []any            `json:"functions"`
		Edges       []any            `json:"edges"`
		SchemaFiles []any            `json:"schema_files"`
		Notes       []any            `json:"notes"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string][]any{
		"findings": doc.Findings, "functions": doc.Functions, "edges": doc.Edges,
		"schema_files": doc.SchemaFiles, "notes": doc.Notes,
		"routes[0].queries": doc.Routes[0]["queries"].([]any),
	} {
		if v == nil {
			t.Errorf("%s is not an array", name)
		}
	}
	// The input is left as it was.
	if r.Findings != nil || r.Routes[0].Queries != nil || r.Routes[0].Tables[0].Ops != nil || r.Queries[0].Ops != nil {
		t.Errorf("writeJSON changed its input")
	}
}

func TestJSONEmptyReport(t *testing.T) {
	got := string(renderFormat(t, JSON, &graph.Report{SchemaVersion: 1, Module: "m"}))
	want := `{
  "schema_version": 1,
  "module": "m",
  "routes": [],
  "queries": [],
  "findings": [],
  "tables": [],
  "functions": [],
  "edges": [],
  "schema_files": [],
  "notes": []
}
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
