package analyzer_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/analyzer"
)

// maxUnknownShare is the share of the sample apps' query sites that may
// have no known SQL text.
const maxUnknownShare = 0.05

// TestUnknownSQLShare fails when more than maxUnknownShare of the query
// sites of all the sample apps together have no known SQL text, and names
// each app's share and causes.
func TestUnknownSQLShare(t *testing.T) {
	if testing.Short() {
		t.Skip("analyses every sample app")
	}
	sites, unknown := 0, 0
	var lines []string
	for _, gomod := range sampleApps(t, "..") {
		dir := filepath.Dir(gomod)
		r, err := analyzer.Run(analyzer.Config{Dir: dir, Patterns: []string{"./..."}})
		if err != nil {
			t.Fatalf("%s: %v", appName(dir), err)
		}
		sites += len(r.Queries)
		if u := r.UnknownSQL; u != nil {
			unknown += u.Sites
			var causes []string
			for _, c := range u.Causes {
				causes = append(causes, fmt.Sprintf("%d %s", c.Sites, c.Cause))
			}
			lines = append(lines, fmt.Sprintf("%s: %d of %d (%s)", appName(dir), u.Sites, len(r.Queries), strings.Join(causes, ", ")))
		}
	}
	if sites == 0 {
		t.Fatal("the sample apps have no query sites")
	}
	share := float64(unknown) / float64(sites)
	t.Logf("unknown SQL text at %d of %d query sites (%.1f %%)\n%s", unknown, sites, 100*share, strings.Join(lines, "\n"))
	if share > maxUnknownShare {
		t.Errorf("unknown SQL text at %d of %d query sites (%.1f %%, more than %.0f %%):\n%s",
			unknown, sites, 100*share, 100*maxUnknownShare, strings.Join(lines, "\n"))
	}
}
