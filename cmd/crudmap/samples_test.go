package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/analyzer"
	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render"
	"github.com/crudmap/crudmap/render/svg"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// sampleReport analyses a sample app of testdata/apps.
func sampleReport(t *testing.T, app string) *graph.Report {
	t.Helper()
	r, err := analyzer.Run(analyzer.Config{Dir: filepath.Join("..", "..", "testdata", "apps", app), Patterns: []string{"./..."}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func renderTo(t *testing.T, f render.Format, r *graph.Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := render.Write(&buf, f, r, render.Options{Version: "test", Layout: svg.Render}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSampleAppSARIF validates a sample app's SARIF against the official
// SARIF 2.1.0 JSON schema.
func TestSampleAppSARIF(t *testing.T) {
	out := renderTo(t, render.SARIF, sampleReport(t, "isuride"))
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(filepath.Join("..", "..", "render", "testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("isuride's SARIF does not validate: %v", err)
	}
	if !bytes.Contains(out, []byte(`"ruleId": "n+1"`)) {
		t.Error("isuride's SARIF has no n+1 result")
	}
}

// TestSampleAppEscaping checks that a route path and SQL holding HTML, from
// a sample app, are text in every report, and that two runs give the same
// bytes.
func TestSampleAppEscaping(t *testing.T) {
	const raw = "<script>alert(1)</script>"
	r := sampleReport(t, "gojimart")
	if !strings.Contains(string(renderTo(t, render.JSON, r)), `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Fatal("the sample app's SQL with <script> is not in the report")
	}
	html := renderTo(t, render.HTML, r)
	if bytes.Contains(html, []byte(raw)) {
		t.Error("HTML holds the raw <script> of the SQL")
	}
	if n := bytes.Count(html, []byte("<script")); n != 2 {
		t.Errorf("HTML has %d <script tags, want the page's own 2", n)
	}
	if !bytes.Contains(html, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) {
		t.Error("HTML does not show the SQL's <script> as text")
	}
	dot := string(renderTo(t, render.DOT, r))
	if !strings.Contains(dot, `"route:GET /search/<script>alert(1)</script>"`) {
		t.Error("DOT does not quote the route path holding <script>")
	}
	if svgOut := renderTo(t, render.SVG, r); bytes.Contains(svgOut, []byte(raw)) || !bytes.Contains(svgOut, []byte("&lt;script&gt;")) {
		t.Error("SVG does not escape the route path holding <script>")
	}
	md := string(renderTo(t, render.Markdown, r))
	// Code blocks and code spans show their text as it is; anywhere else
	// the <script> must be escaped.
	outside := regexp.MustCompile("(?s)```+sql\n.*?\n```+|`+[^`]*`+").ReplaceAllString(md, "")
	if strings.Contains(outside, raw) {
		t.Error("Markdown holds the raw <script> outside a code block or span")
	}
	for _, f := range []render.Format{render.DOT, render.SVG, render.HTML, render.Markdown} {
		if !bytes.Equal(renderTo(t, f, r), renderTo(t, f, sampleReport(t, "gojimart"))) {
			t.Errorf("two runs gave different %s reports", f)
		}
	}
}
