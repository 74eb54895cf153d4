package render

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The sample apps' golden reports (cmd/crudmap/testdata/golden, written by
// go test ./cmd/crudmap -run Golden -update) are checked here as documents:
// the Markdown against its size budget and goldmark, the JSON against the
// schema of the output protocol.

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
