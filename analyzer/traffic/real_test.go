package traffic

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/crudmap/crudmap/analyzer"
	"github.com/crudmap/crudmap/graph"
)

// The real logs: record.sh ran isupost on MariaDB with long_query_time = 0
// behind a proxy writing an nginx LTSV access log.
const (
	isupostDir    = "../../testdata/apps/isupost/golang"
	isupostSlow   = "../../testdata/traffic/isupost/slow.log"
	isupostAccess = "../../testdata/traffic/isupost/access.ltsv"
)

var isupost = sync.OnceValues(func() (*graph.Report, error) {
	return analyzer.Run(analyzer.Config{Dir: isupostDir, Patterns: []string{"./..."}})
})

// freshIsupost is a copy of isupost's report that a test may change.
func freshIsupost(t *testing.T) *graph.Report {
	t.Helper()
	r, err := isupost()
	if err != nil {
		t.Fatal(err)
	}
	c := *r
	c.Queries = nil
	for _, q := range r.Queries {
		qc := *q
		c.Queries = append(c.Queries, &qc)
	}
	c.Routes = nil
	for _, rt := range r.Routes {
		rc := *rt
		c.Routes = append(c.Routes, &rc)
	}
	c.Findings = nil
	for _, f := range r.Findings {
		fc := *f
		c.Findings = append(c.Findings, &fc)
	}
	c.Notes = slices.Clone(r.Notes)
	return &c
}

// collect is a sink keeping everything it is sent.
type collect struct {
	executions []Execution
	requests   []Request
}

func (c *collect) execution(e Execution) { c.executions = append(c.executions, e) }
func (c *collect) request(r Request)     { c.requests = append(c.requests, r) }

func readAll(t *testing.T, name, kind string) *collect {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := &collect{}
	notes, err := readLog(f, name, kind, c)
	if err != nil || len(notes) > 0 {
		t.Fatalf("readLog(%s) = %v, %v", name, notes, err)
	}
	return c
}

// oracle says which sites sent a logged statement without crudmap's
// normaliser: a site sent it when its SQL with each ? replaced by a
// literal, or a list of them (sqlx.In), gives the logged text. The driver
// interpolates the arguments (interpolateParams=true), so this is exact.
type oracle []struct {
	re *regexp.Regexp
	q  *graph.Query
}

const literal = `(?:-?[0-9][0-9.e+-]*|'(?:[^'\\]|\\.|'')*'|_binary'(?:[^'\\]|\\.|'')*'|NULL)`

func newOracle(r *graph.Report) oracle {
	var o oracle
	for _, q := range r.Queries {
		if q.SQL == "" {
			continue
		}
		expr := regexp.MustCompile(`\s+`).ReplaceAllString(regexp.QuoteMeta(q.SQL), `\s+`)
		expr = strings.ReplaceAll(expr, `\?`, literal+`(?:, ?`+literal+`)*`)
		o = append(o, struct {
			re *regexp.Regexp
			q  *graph.Query
		}{regexp.MustCompile(`(?s)^` + expr + `$`), q})
	}
	return o
}

func (o oracle) sites(sql string) []string {
	var ids []string
	for _, s := range o {
		if s.re.MatchString(sql) {
			ids = append(ids, s.q.ID)
		}
	}
	return ids
}

func ids(qs []*graph.Query) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.ID)
	}
	slices.Sort(out)
	return out
}

// TestRealSlowLogMatching checks every statement of the real slow log
// against the oracle: at least 95 % go to exactly the sites that sent them.
func TestRealSlowLogMatching(t *testing.T) {
	r := freshIsupost(t)
	o := newOracle(r)
	j := New(r)
	logged := readAll(t, isupostSlow, "statement").executions
	var sent, right, total, control int64
	for _, e := range logged {
		norm := j.norm[MySQL].normalize(e.SQL)
		want := o.sites(e.SQL)
		slices.Sort(want)
		got := ids(j.siteIndex(MySQL).match(norm))
		total++
		if len(want) == 0 {
			if isControl(norm) {
				control++
			} else {
				t.Logf("no site sent: %.120s", e.SQL)
			}
			if len(got) > 0 {
				t.Errorf("%.120s: matched %v, but no site sends it", e.SQL, got)
			}
			continue
		}
		sent++
		if slices.Equal(got, want) {
			right++
		} else if right+10 > sent {
			t.Logf("%.120s: matched %v, want %v", e.SQL, got, want)
		}
	}
	t.Logf("%d statements: %d sent by a site, %d of them matched to exactly its sites (%.1f %%); %d transaction or session control",
		total, sent, right, 100*float64(right)/float64(sent), control)
	if sent < total*9/10 {
		t.Errorf("only %d of %d logged statements come from a site: the oracle is off", sent, total)
	}
	if right*100 < sent*95 {
		t.Errorf("%d of %d statements matched to the right sites, want at least 95 %%", right, sent)
	}
}

// TestRealSlowLogRanking checks that the report ranks the sites by the
// time the log gives the statements each sent. Sites whose SQL differs
// only in quoting, case or spacing send the same statement: the oracle
// tells them apart, a digest does not, so their times are summed.
func TestRealSlowLogRanking(t *testing.T) {
	r := freshIsupost(t)
	o := newOracle(r)
	class := make(map[string][]string) // plain SQL -> query ids
	for _, q := range r.Queries {
		class[plainSQL(q.SQL)] = append(class[plainSQL(q.SQL)], q.ID)
	}
	want := make(map[string]float64) // query id -> logged seconds of its class
	var all float64
	for _, e := range readAll(t, isupostSlow, "statement").executions {
		all += e.Time
		var sent []string
		for _, id := range o.sites(e.SQL) {
			for _, other := range class[plainSQL(r.QueriesByID()[id].SQL)] {
				if !slices.Contains(sent, other) {
					sent = append(sent, other)
				}
			}
		}
		for _, id := range sent {
			want[id] += e.Time
		}
	}
	if err := Apply(r, []string{isupostSlow}, []string{isupostAccess}); err != nil {
		t.Fatal(err)
	}
	byID := r.QueriesByID()
	for id, secs := range want {
		if q := byID[id]; q.TotalTime < secs*0.999 || q.TotalTime > secs*1.001 {
			t.Errorf("%s %s: total_time %.6f, the log says %.6f", id, q.Pos, q.TotalTime, secs)
		}
	}
	top := r.Traffic.Top
	if len(top) != topN {
		t.Fatalf("top = %v, want %d queries", top, topN)
	}
	for i := 1; i < len(top); i++ {
		if want[top[i-1]] < want[top[i]] {
			t.Errorf("top[%d] = %s (%.4f s) ranks above top[%d] = %s (%.4f s)", i-1, top[i-1], want[top[i-1]], i, top[i], want[top[i]])
		}
	}
	// Nothing outside the top costs more than its last.
	for id, secs := range want {
		if !slices.Contains(top, id) && secs > want[top[len(top)-1]] && !sharesTop(byID[id], top) {
			t.Errorf("%s (%.4f s) costs more than the last of the top ten", id, secs)
		}
	}
	// The access log: every request fits a route.
	lines := readAll(t, isupostAccess, "access").requests
	var routed int64
	for _, rt := range r.Routes {
		routed += rt.Requests
		if rt.Requests > 0 && (rt.MeanTime <= 0 || rt.P99Time < rt.MeanTime) {
			t.Errorf("%s: %d requests, mean %.4f s, p99 %.4f s", rt.Key(), rt.Requests, rt.MeanTime, rt.P99Time)
		}
	}
	if routed != int64(len(lines)) || r.Traffic.Requests != routed {
		t.Errorf("%d of %d logged requests fit a route", routed, len(lines))
	}
	if d := r.Traffic.DBTime - all; d > 1e-6 || d < -1e-6 {
		t.Errorf("db_time %.6f, the log sums to %.6f", r.Traffic.DBTime, all)
	}
	t.Logf("db time %.3f s, %.1f %% matched; top: %v", r.Traffic.DBTime, 100*r.Traffic.Matched, top)
}

// sharesTop reports whether q sends the same statement as a query of top.
func sharesTop(q *graph.Query, top []string) bool {
	for _, id := range q.SharedWith {
		if slices.Contains(top, id) {
			return true
		}
	}
	return false
}

// plainSQL is sql without identifier quotes, in lower case, spaced evenly.
func plainSQL(sql string) string {
	return strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(sql, "`", ""))), " ")
}

// routes makes routes from "METHOD path" keys.
func routes(keys ...string) []*graph.Route {
	var rs []*graph.Route
	for _, k := range keys {
		method, path, _ := strings.Cut(k, " ")
		rs = append(rs, &graph.Route{Method: method, Path: path})
	}
	return rs
}
