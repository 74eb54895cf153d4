package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render/svg"
)

func TestMDText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/api/items/:id", "/api/items/:id"},
		{"user_id", "user_id"},
		{"_tmp __x", "&#95;tmp &#95;&#95;x"},
		{"<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"a|b", "a&#124;b"},
		{"`x` *y* [l](u) a\\b ~~s~~ $m$ &amp;", "&#96;x&#96; &#42;y&#42; &#91;l&#93;(u) a&#92;b &#126;&#126;s&#126;&#126; &#36;m&#36; &amp;amp;"},
		{"one\ntwo\r\nthree", "one two three"},
	} {
		if got := mdText(c.in); got != c.want {
			t.Errorf("mdText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMDCode(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"a<b", "`a<b`"},
		{"GET /a|b", "`GET /a|b`"},
		{"x `y` z", "``x `y` z``"},
		{"`x", "`` `x ``"},
		{" a ", "`  a  `"},
		{"a\nb\x1b", "`a\\nb\\x1b`"},
	} {
		if got := mdCode(c.in); got != c.want {
			t.Errorf("mdCode(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFence(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"SELECT 1", "```"},
		{"SELECT `id` FROM t", "```"},
		{"-- ```", "````"},
		{"a ```` b `` c", "`````"},
	} {
		if got := fence(c.in); got != c.want {
			t.Errorf("fence(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestOneLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a\tb\nc\x1b[0m é", `a\tb\nc\x1b[0m é`},
		{"osc\x1b]8;;http://x/\x07", `osc\x1b]8;;http://x/\a`},
		{"nul\x00 del\x7f csi\u009b bad\x9b", `nul\x00 del\x7f csi\u009b bad\x9b`},
		{"rlo\u202eabc\u202c lri\u2066x\u2069 lrm\u200e\u200f alm\u061c", `rlo\u202eabc\u202c lri\u2066x\u2069 lrm\u200e\u200f alm\u061c`},
		{"ls\u2028ps\u2029 nonchar\ufffe\uffff", `ls\u2028ps\u2029 nonchar\ufffe\uffff`},
		{"日本語 ünïcode", "日本語 ünïcode"},
	} {
		if got := oneLine(c.in); got != c.want {
			t.Errorf("oneLine(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCodeText(t *testing.T) {
	in := "SELECT *\n\tFROM t\r\nWHERE a = '\x1b[2J\u202e'"
	want := "SELECT *\n\tFROM t\\r\nWHERE a = '\\x1b[2J\\u202e'"
	if got := codeText(in); got != want {
		t.Errorf("codeText(%q) = %q, want %q", in, got, want)
	}
}

// hostileReport is a report whose strings from the analysed code hold
// terminal escape sequences, bidirectional controls, a NUL and a byte that
// is not UTF-8, in every field a text-like report prints.
func hostileReport() *graph.Report {
	const bad = "\x1b[31m\x1b]8;;http://evil/\x07\u009b\u202e\u2066\u200f\u061c\x00\x9b"
	route := "GET /r" + bad
	return &graph.Report{
		Module: "example.com/m" + bad,
		Routes: []*graph.Route{{Method: "GET", Path: "/r" + bad, Handler: "h" + bad, Pos: "main.go:1:1",
			Middleware: []string{"mw" + bad},
			Tables:     []*graph.TableOps{{Table: "t" + bad, Ops: []graph.Op{graph.Select}, LoopOps: []graph.Op{graph.Select}}},
			Queries:    []string{"q1"}}},
		Queries: []*graph.Query{{ID: "q1", Pos: "main.go:2:2", Func: "h" + bad, SQL: "SELECT *\n\tFROM t" + bad,
			Ops: []graph.TableOp{{Table: "t" + bad, Op: graph.Select}}, Error: "parse" + bad}},
		Findings: []*graph.Finding{{Kind: graph.KindNPlusOne, Severity: graph.Warning, Pos: "m" + bad + ".go:2:2", Route: route,
			Message: "m" + bad, Fix: "f" + bad, Loop: "main.go:3:3", Query: "main.go:2:2", QueryID: "q1", Table: "t" + bad,
			Op: graph.Select, Path: []string{"h" + bad}, SQL: "SELECT 1" + bad}},
		Tables:      []*graph.Table{{Name: "t" + bad, InSchema: true, File: "s" + bad + ".sql", Columns: []string{"c" + bad}}},
		Functions:   []*graph.Function{{ID: "h" + bad, Pos: "main.go:1:1", Kind: "handler"}},
		Edges:       []*graph.Edge{{From: "route:" + route, To: "func:h" + bad}, {From: "func:h" + bad, To: "table:t" + bad, Op: graph.Select, Loop: true}},
		SchemaFiles: []string{"s" + bad + ".sql"},
		Notes:       []string{"note" + bad},
	}
}

// TestReportsEscapeControls checks that the reports a terminal or a log
// shows (text, Markdown, GitHub annotations, DOT) hold none of the hostile
// runes raw but show each as a Go escape, and that the SVG is well-formed
// XML.
func TestReportsEscapeControls(t *testing.T) {
	raw := []string{"\x1b", "\x07", "\u009b", "\u202e", "\u2066", "\u200f", "\u061c", "\x00", "\x9b"}
	for _, f := range []Format{Text, Markdown, GitHub, DOT} {
		out := string(renderFormat(t, f, hostileReport()))
		for _, r := range raw {
			if strings.Contains(out, r) {
				t.Errorf("%s report holds %q raw", f, r)
			}
		}
		if !strings.Contains(out, `\x1b`) || !strings.Contains(out, `\u202e`) || !strings.Contains(out, `\x00`) {
			t.Errorf("%s report does not show the escapes:\n%s", f, out)
		}
	}
	var b bytes.Buffer
	if err := Write(&b, SVG, hostileReport(), Options{Layout: svg.Render}); err != nil {
		t.Fatal(err)
	}
	if err := checkXML(b.Bytes()); err != nil {
		t.Errorf("SVG is not well-formed XML: %v", err)
	}
}
