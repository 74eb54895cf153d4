package traffic

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/crudmap/crudmap/analyzer"
	"github.com/crudmap/crudmap/graph"
)

// The real pg_stat_statements of pgshop, recorded by
// testdata/traffic/pgshop/record.sh.
const (
	pgshopDir  = "../../testdata/apps/pgshop"
	pgshopCSV  = "../../testdata/traffic/pgshop/pgss.csv"
	pgshopJSON = "../../testdata/traffic/pgshop/pgss.json"
)

var pgshop = sync.OnceValues(func() (*graph.Report, error) {
	return analyzer.Run(analyzer.Config{Dir: pgshopDir, Patterns: []string{"./..."}})
})

// pgText matches the text pg_stat_statements shows for a site's SQL: the
// SQL itself, spaced as it likes, with any constant as $n.
func pgText(sql string) *regexp.Regexp {
	constant := regexp.MustCompile(`'(?:[^']|'')*'|\b[0-9]+(?:\.[0-9]+)?\b`)
	var expr strings.Builder
	last := 0
	for _, m := range constant.FindAllStringIndex(sql, -1) {
		expr.WriteString(regexp.QuoteMeta(sql[last:m[0]]))
		expr.WriteString(`(?:` + regexp.QuoteMeta(sql[m[0]:m[1]]) + `|\$[0-9]+)`)
		last = m[1]
	}
	expr.WriteString(regexp.QuoteMeta(sql[last:]))
	spaced := regexp.MustCompile(`\s+`).ReplaceAllString(expr.String(), `\s+`)
	return regexp.MustCompile(`(?s)^\s*` + spaced + `\s*$`)
}

// TestRealPGStatStatements checks every row of the real
// pg_stat_statements export: a row whose text is a site's SQL (sqlc's
// queries keep their text, constants aside) goes to exactly the sites with
// that SQL; the
// rows of SQL built at run time go to the site that builds them (reviewed
// by hand: cart.go's multi-row INSERT, catalog.go's listing ordered by
// date). At least 95 % of the app's calls go to the right sites.
func TestRealPGStatStatements(t *testing.T) {
	r, err := pgshop()
	if err != nil {
		t.Fatal(err)
	}
	built := map[string]func(*graph.Query) bool{ // statement prefix -> the dynamic site that builds it
		"INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES ($1": func(q *graph.Query) bool {
			return q.Pos == "cart.go:229:12"
		},
		"SELECT id, sku, name, price_cents, stock, attributes FROM products WHERE category_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, id LIMIT": func(q *graph.Query) bool {
			return q.Pos == "catalog.go:100:15" && strings.Contains(q.SQL, "ORDER BY created_at DESC, id")
		},
	}
	texts := make(map[*graph.Query]*regexp.Regexp)
	for _, q := range r.Queries {
		texts[q] = pgText(q.SQL)
	}
	j := New(r)
	for _, name := range []string{pgshopCSV, pgshopJSON} {
		var app, right int64
		for _, e := range readAll(t, name, "statement").executions {
			norm := j.norm[Postgres].normalize(e.SQL)
			got := ids(j.siteIndex(Postgres).match(norm))
			var want []string
			for _, q := range r.Queries {
				if !q.Dynamic && texts[q].MatchString(e.SQL) {
					want = append(want, q.ID)
				}
				for prefix, builds := range built {
					if strings.HasPrefix(strings.Join(strings.Fields(e.SQL), " "), prefix) && builds(q) {
						want = append(want, q.ID)
					}
				}
			}
			slices.Sort(want)
			if len(want) == 0 {
				if len(got) > 0 {
					t.Errorf("%s: %.100q matched %v, but no site sends it", name, e.SQL, got)
				}
				continue
			}
			app += e.Calls
			if slices.Equal(got, want) {
				right += e.Calls
			} else {
				t.Logf("%s: %.100q matched %v, want %v", name, e.SQL, got, want)
			}
		}
		t.Logf("%s: %d of %d calls of the app's statements matched to exactly their sites", name, right, app)
		if app == 0 || right*100 < app*95 {
			t.Errorf("%s: %d of %d calls matched to the right sites, want at least 95 %%", name, right, app)
		}
	}
}
