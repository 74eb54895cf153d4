package render

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The sample apps' golden reports (cmd/crudmap/testdata/golden, written by
// go test ./cmd/crudmap -run Golden -update) are checked here as documents:
// the Markdown against its size budget and goldmark, the JSON against
// crudmap.schema.json, the schema of the output protocol.

// sampleGoldens returns the golden reports with extension ext, by app.
func sampleGoldens(t *testing.T, ext string) map[string][]byte {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("..", "cmd", "crudmap", "testdata", "golden", "*."+ext))
	if len(paths) == 0 {
		t.Fatalf("no golden .%s report of a sample app", ext)
	}
	docs := make(map[string][]byte, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs[strings.TrimSuffix(filepath.Base(p), "."+ext)] = b
	}
	return docs
}

// Markdown size budget: mdBudget characters for a report of up to
// mdBudgetFindings findings (isuride, 51 routes and 35 findings, takes
// 15,000), and mdPerFinding more for each further finding: a finding is a
// line of its own that no layout can share.
const (
	mdBudget         = 20000
	mdBudgetFindings = 40
	mdPerFinding     = 200
)

// TestSampleMarkdown checks that each sample app's default Markdown report
// fits its size budget and that goldmark finds no raw HTML in it other than
// <details> and <summary>.
func TestSampleMarkdown(t *testing.T) {
	reports := sampleGoldens(t, "json")
	for app, md := range sampleGoldens(t, "md") {
		var r struct {
			Findings []json.RawMessage `json:"findings"`
		}
		if err := json.Unmarshal(reports[app], &r); err != nil {
			t.Fatalf("%s.json: %v", app, err)
		}
		budget := mdBudget + mdPerFinding*max(0, len(r.Findings)-mdBudgetFindings)
		if n := len([]rune(string(md))); n > budget {
			t.Errorf("%s.md: %d characters, over its budget of %d (%d findings)", app, n, budget, len(r.Findings))
		}
		if html := checkMDRawHTML(t, app+".md", md); !strings.Contains(html, "<h1>crudmap: ") {
			t.Errorf("%s.md: goldmark renders no title", app)
		}
	}
}

// jsonSchemaPath is the JSON Schema of the JSON report.
const jsonSchemaPath = "crudmap.schema.json"

// compileJSONSchema compiles the JSON report's schema.
func compileJSONSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(jsonSchemaPath)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

// validateJSON validates a JSON document against sch.
func validateJSON(sch *jsonschema.Schema, doc []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

// TestSampleJSONSchema validates each sample app's JSON report, and the
// fixture's, against crudmap.schema.json, and checks that the schema
// rejects a report of the wrong shape.
func TestSampleJSONSchema(t *testing.T) {
	sch := compileJSONSchema(t)
	docs := sampleGoldens(t, "json")
	docs["fixture"] = renderFormat(t, JSON, fixtureReport())
	for app, doc := range docs {
		if err := validateJSON(sch, doc); err != nil {
			t.Errorf("%s.json does not validate: %v", app, err)
		}
	}
	for _, c := range []struct{ what, from, to string }{
		{"an unknown op", `"op": "SELECT"`, `"op": "MERGE"`},
		{"a renamed field", `"in_schema"`, `"inSchema"`},
		{"a wrong severity", `"severity": "warning"`, `"severity": "fatal"`},
		{"a string for a number", `"depth": 1`, `"depth": "1"`},
	} {
		doc := string(docs["fixture"])
		if !strings.Contains(doc, c.from) {
			t.Fatalf("the fixture's JSON has no %s to break", c.from)
		}
		if validateJSON(sch, []byte(strings.Replace(doc, c.from, c.to, 1))) == nil {
			t.Errorf("the schema accepts a report with %s", c.what)
		}
	}
}

// TestJSONSchemaDocumentsModel checks that the schema documents every field
// of the output protocol: each JSON field of graph.Report and of the types
// it holds is a property of the schema's root or of the $defs entry named
// after its Go type.
func TestJSONSchemaDocumentsModel(t *testing.T) {
	raw, err := os.ReadFile(jsonSchemaPath)
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	var schema struct {
		object
		Defs map[string]object `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	seen := map[reflect.Type]bool{}
	var check func(typ reflect.Type, obj object, where string)
	check = func(typ reflect.Type, obj object, where string) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			if _, ok := obj.Properties[name]; !ok {
				t.Errorf("%s: the schema lacks %s (graph.%s.%s)", where, name, typ.Name(), f.Name)
			}
			inner := f.Type
			for inner.Kind() == reflect.Pointer || inner.Kind() == reflect.Slice {
				inner = inner.Elem()
			}
			if inner.Kind() != reflect.Struct {
				continue
			}
			def, ok := schema.Defs[inner.Name()]
			if !ok {
				t.Errorf("the schema has no $defs/%s (graph.%s)", inner.Name(), inner.Name())
				continue
			}
			check(inner, def, "$defs/"+inner.Name())
		}
	}
	check(reflect.TypeFor[graph.Report](), schema.object, "the root")
}
