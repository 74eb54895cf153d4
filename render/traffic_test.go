package render

import (
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
)

// trafficReport is the fixture with what logs measured: q3 (an n+1) costs
// most, then q1; one statement no site sends.
func trafficReport() *graph.Report {
	r := fixtureReport()
	byID := r.QueriesByID()
	byID["q3"].Calls, byID["q3"].TotalTime, byID["q3"].MeanTime, byID["q3"].DBTimeShare = 41200, 3.1, 3.1/41200, 0.62
	byID["q1"].Calls, byID["q1"].TotalTime, byID["q1"].MeanTime, byID["q1"].DBTimeShare = 500, 1.2, 1.2/500, 0.24
	r.Routes[0].Requests, r.Routes[0].TotalTime, r.Routes[0].MeanTime, r.Routes[0].P99Time, r.Routes[0].StatementsPerRequest = 480, 9.6, 0.02, 0.2, 87
	r.Traffic = &graph.Traffic{Files: []string{"slow.log"}, Statements: 41750, DBTime: 5, Matched: 0.99, Requests: 480, Top: []string{"q3", "q1"}}
	r.Unmatched = []*graph.Unmatched{{SQL: "SELECT <b>1</b> FROM dual", Calls: 50, TotalTime: 0.7}}
	return r
}

// TestTrafficSection checks that the text, Markdown and HTML reports lead
// with the top statements by DB time, costliest first, and escape the SQL
// (a code span in Markdown).
func TestTrafficSection(t *testing.T) {
	r := trafficReport()
	for _, f := range []Format{Text, Markdown, HTML} {
		out := string(renderFormat(t, f, r))
		top := strings.Index(out, "y DB time")
		q3, q1 := strings.Index(out, "item.go:60:10"), strings.Index(out, "auth.go:12:9")
		findings := max(strings.Index(out, "[n+1]"), strings.Index(out, `id="findings"`), strings.Index(out, "## Findings"))
		switch {
		case top < 0:
			t.Errorf("%s: no top by DB time section", f)
		case !(top < q3 && q3 < q1):
			t.Errorf("%s: the top does not list q3 (41,200 calls) before q1", f)
		case findings >= 0 && findings < top:
			t.Errorf("%s: the findings come before the top by DB time", f)
		case !strings.Contains(out, "41,200") || !strings.Contains(out, "62 %"):
			t.Errorf("%s: the top does not say q3's calls and share", f)
		case f == HTML && strings.Contains(out, "<b>1</b>"):
			t.Errorf("%s: an unmatched statement's SQL is not escaped", f)
		case f == Markdown && !strings.Contains(out, "`SELECT <b>1</b> FROM dual`"):
			t.Errorf("%s: an unmatched statement's SQL is not in a code span", f)
		}
	}
	html := string(renderFormat(t, HTML, r))
	if !strings.Contains(html, `class="sortable"`) || !strings.Contains(html, "table.sortable th") {
		t.Error("the HTML tables are not sortable")
	}
	if strings.Contains(string(renderFormat(t, HTML, fixtureReport())), "sortable") {
		t.Error("a report without logs has the traffic script")
	}
}
