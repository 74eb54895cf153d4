package render

import (
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
)

// The summary line and the Markdown headline say at how many query sites
// the SQL text is unknown, and the top three causes.
func TestUnknownSQLShare(t *testing.T) {
	r := fixtureReport()
	r.UnknownSQL = &graph.UnknownSQL{Sites: 3, Causes: []*graph.Cause{
		{Cause: "a map element", Sites: 1}, {Cause: "the result of os.ReadFile", Sites: 1},
		{Cause: "a parameter no caller crudmap followed sets", Sites: 1}, {Cause: "a fourth cause", Sites: 1},
	}}
	share := "3 of 4 queries (75 %): 1 a map element, 1 the result of os.ReadFile, 1 a parameter no caller crudmap followed sets"
	text := strings.SplitN(string(renderFormat(t, Text, r)), "\n", 2)[0]
	if !strings.Contains(text, "; unknown SQL at "+share+";") {
		t.Errorf("summary line %q does not give the unknown SQL share %q", text, share)
	}
	md := string(renderFormat(t, Markdown, r))
	if !strings.Contains(md, "> **Unknown SQL** at "+share+"\n") {
		t.Errorf("Markdown report does not give the unknown SQL share under its headline:\n%s", md[:min(len(md), 600)])
	}
	r.UnknownSQL = nil
	if text := string(renderFormat(t, Text, r)); strings.Contains(text, "unknown SQL") {
		t.Errorf("summary line mentions unknown SQL when there is none: %q", strings.SplitN(text, "\n", 2)[0])
	}
}
