package render

import (
	"bytes"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
)

// sampleReports decodes the sample apps' golden JSON reports.
func sampleReports(t *testing.T) map[string]*graph.Report {
	t.Helper()
	reports := map[string]*graph.Report{}
	for app, doc := range sampleGoldens(t, "json") {
		r := new(graph.Report)
		if err := json.Unmarshal(doc, r); err != nil {
			t.Fatalf("%s.json: %v", app, err)
		}
		reports[app] = r
	}
	return reports
}

// TestJapaneseSentences checks that every finding message and fix of every
// sample app has a Japanese sentence shape, so that a -lang ja report
// carries no English sentence the analysis wrote.
func TestJapaneseSentences(t *testing.T) {
	for app, r := range sampleReports(t) {
		for _, f := range r.Findings {
			for _, s := range []string{f.Message, f.Fix} {
				if s != "" && Japanese.sentence(s) == s {
					t.Errorf("%s: %s: no Japanese shape for %q", app, f.Pos, s)
				}
			}
		}
	}
}

// TestMarkdownWordsJapanese checks that each of the Markdown report's own
// words has its Japanese.
func TestMarkdownWordsJapanese(t *testing.T) {
	v := reflect.ValueOf(mdWords)
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if _, ok := mdWordsJa[name]; !ok && v.Field(i).Kind() == reflect.String {
			t.Errorf("mdWords.%s (%q) has no Japanese in mdWordsJa", name, v.Field(i).String())
		}
	}
}

// TestLangFromEnv checks the locale variables' order and values.
func TestLangFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want Lang
	}{
		{map[string]string{"LANG": "ja_JP.UTF-8"}, Japanese},
		{map[string]string{"LANG": "ja"}, Japanese},
		{map[string]string{"LANG": "en_US.UTF-8"}, English},
		{map[string]string{"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, English},
		{map[string]string{"LC_MESSAGES": "ja_JP.eucJP", "LANG": "C"}, Japanese},
		{map[string]string{}, English},
	} {
		if got := LangFromEnv(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("LangFromEnv(%v) = %s, want %s", tc.env, got, tc.want)
		}
	}
}

// englishWord is a word of English prose: lower case, two letters or more.
var englishWord = regexp.MustCompile(`\b[a-z][a-z]+\b`)

// codeSpans are what a report quotes as code or data: inline code, and
// HTML entities, tokens holding punctuation (paths, positions, qualified
// names).
var codeSpans = regexp.MustCompile("`[^`]*`|&[a-z]+;|\\S*[./:_{}()=<>?*+\\-]\\S*")

// TestJapaneseReportsHaveNoEnglish renders two sample apps' text and
// Markdown reports (default and -md-full) with -lang ja and checks that every lower-case word
// left is one of the report's data: SQL, table, column, function and
// route names, finding kinds.
func TestJapaneseReportsHaveNoEnglish(t *testing.T) {
	reports := sampleReports(t)
	for _, app := range []string{"stdmux", "isuride"} {
		r := reports[app]
		if r == nil {
			t.Fatalf("no golden report of %s", app)
		}
		data := reportWords(r)
		for _, c := range []struct {
			f    Format
			full bool
		}{{Text, false}, {Markdown, false}, {Markdown, true}} {
			f := c.f
			var out bytes.Buffer
			if err := Write(&out, f, r, Options{Lang: Japanese, MarkdownFull: c.full}); err != nil {
				t.Fatal(err)
			}
			inCode := false
			for n, line := range strings.Split(out.String(), "\n") {
				if strings.HasPrefix(line, "```") {
					inCode = !inCode
				}
				if inCode || strings.HasPrefix(line, "<details>") {
					continue
				}
				for _, w := range englishWord.FindAllString(codeSpans.ReplaceAllString(line, " "), -1) {
					if !data[w] {
						t.Errorf("%s %s line %d: English word %q left: %s", app, f, n+1, w, line)
					}
				}
			}
		}
	}
}

// reportWords returns the words of r's data, which a report quotes as
// they are whatever its language.
func reportWords(r *graph.Report) map[string]bool {
	words := map[string]bool{"crudmap": true, "sqlx": true}
	add := func(ss ...string) {
		for _, s := range ss {
			for _, w := range regexp.MustCompile(`[A-Za-z]+`).FindAllString(s, -1) {
				words[w] = true
			}
		}
	}
	add(r.Module)
	add(r.SchemaFiles...)
	for _, q := range r.Queries {
		add(q.SQL, q.Func)
	}
	for _, rt := range r.Routes {
		add(rt.Key(), rt.Handler)
	}
	for _, t := range r.Tables {
		add(t.Name)
	}
	for _, f := range r.Findings {
		add(f.Kind, f.Func, f.Suggestion, f.Table)
		add(f.Path...)
		add(f.Columns...)
	}
	return words
}

// TestJapaneseHTML checks that the HTML page of a sample app in Japanese
// says lang="ja" and that its own words are translated: no English label of
// page.html is left in its text.
func TestJapaneseHTML(t *testing.T) {
	r := sampleReports(t)["stdmux"]
	var out bytes.Buffer
	if err := Write(&out, HTML, r, Options{Lang: Japanese}); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	if !strings.Contains(page, `<html lang="ja">`) {
		t.Error(`no <html lang="ja">`)
	}
	for _, en := range []string{">Findings<", ">CRUD matrix<", "<th>Severity</th>", `<div class="fix">Fix: `, "Click a route", ">all routes<", "findings: "} {
		if strings.Contains(page, en) {
			t.Errorf("English %q left in the Japanese page", en)
		}
	}
	for _, ja := range []string{">指摘<", "修正案: ", "ループ (handlers.go:111:2) の1回ごとに SELECT users を実行しています"} {
		if !strings.Contains(page, ja) {
			t.Errorf("no %q in the Japanese page", ja)
		}
	}
}
