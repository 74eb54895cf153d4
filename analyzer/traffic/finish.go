package traffic

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/crudmap/crudmap/graph"
)

// maxUnmatched is the most unmatched statements a report lists.
const maxUnmatched = 50

// topN is how many of the costliest statements graph.Traffic.Top names.
const topN = 10

// Finish puts what the logs measured on the report: calls and time per
// query, requests and times per route, the cost of each finding, the
// statements no site sends, and notes on what could not be read or
// matched. Without logs read it leaves the report as it is.
func (j *Join) Finish() {
	if len(j.files) == 0 {
		return
	}
	r := j.report
	t := &graph.Traffic{Files: j.files, Requests: j.requests}
	matched, unmatched, control := j.sortedStatements()
	var controlCalls int64
	var controlTime float64
	for _, st := range append(append(slices.Clone(matched), unmatched...), control...) {
		t.Statements += st.calls
		t.DBTime += st.time
	}
	for _, st := range control {
		controlCalls += st.calls
		controlTime += st.time
	}
	t.Statements += j.overflow.calls
	t.DBTime += j.overflow.time
	var matchedCalls int64
	for _, st := range matched {
		matchedCalls += st.calls
	}
	if n := t.Statements - controlCalls; n > 0 {
		t.Matched = float64(matchedCalls) / float64(n)
	}
	j.putQueries(matched, t.DBTime)
	for _, st := range matched[:min(topN, len(matched))] {
		t.Top = append(t.Top, st.queries[0].ID)
	}
	for _, st := range unmatched[:min(maxUnmatched, len(unmatched))] {
		r.Unmatched = append(r.Unmatched, &graph.Unmatched{SQL: st.example, Calls: st.calls, TotalTime: st.time})
	}
	requests := j.putRoutes(matched)
	j.putFindings(matched, requests, t.DBTime)
	r.Traffic = t

	notes := j.notes
	if controlCalls > 0 {
		notes = append(notes, fmt.Sprintf("%s transaction and session statements (BEGIN, COMMIT, SET, USE) took %s of DB time; no query site is theirs",
			graph.Count(controlCalls), graph.Seconds(controlTime)))
	}
	if len(unmatched) > maxUnmatched {
		notes = append(notes, fmt.Sprintf("%d more logged statements match no query site; the report lists the %d costliest", len(unmatched)-maxUnmatched, maxUnmatched))
	}
	if j.overflow.calls > 0 {
		notes = append(notes, fmt.Sprintf("more than %s distinct statements: %s calls past them (%s) count in the totals only",
			graph.Count(maxStatements), graph.Count(j.overflow.calls), graph.Seconds(j.overflow.time)))
	}
	if t.Statements > controlCalls && matchedCalls == 0 {
		notes = append(notes, fmt.Sprintf("no logged statement matches a query of this app (%s read): are the logs of another app?", graph.Counted(t.Statements, "statement", "statements")))
	}
	notes = append(notes, j.unroutedNote()...)
	r.Notes = append(r.Notes, notes...)
}

// sortedStatements splits the statements into those sites send, those
// none sends, and transaction or session control; each by time, the
// costliest first.
func (j *Join) sortedStatements() (matched, unmatched, control []*stmtStat) {
	for key, st := range j.stmts {
		switch {
		case len(st.queries) > 0:
			matched = append(matched, st)
		case isControl(key.norm):
			control = append(control, st)
		default:
			unmatched = append(unmatched, st)
		}
	}
	for _, list := range [][]*stmtStat{matched, unmatched, control} {
		slices.SortFunc(list, func(a, b *stmtStat) int {
			return cmp.Or(cmp.Compare(b.time, a.time), cmp.Compare(b.calls, a.calls), strings.Compare(a.example, b.example))
		})
	}
	return matched, unmatched, control
}

// isControl reports whether a normal form is a transaction or session
// statement a driver sends on its own: BEGIN, COMMIT, SET NAMES, USE.
func isControl(norm string) bool {
	word, _, _ := strings.Cut(norm, " ")
	switch word {
	case "begin", "start", "commit", "rollback", "savepoint", "release", "use", "set", "discard", "deallocate":
		return true
	}
	return false
}

// putQueries sets each matched query's figures: the sums of the
// statements it can send, its share of all DB time, and the other sites
// that send the same statements.
func (j *Join) putQueries(matched []*stmtStat, dbTime float64) {
	shared := make(map[*graph.Query][]string)
	for _, st := range matched {
		for _, q := range st.queries {
			q.Calls += st.calls
			q.TotalTime += st.time
			q.RowsExamined += st.examined
			q.RowsSent += st.sent
			for _, other := range st.queries {
				if other != q && !slices.Contains(shared[q], other.ID) {
					shared[q] = append(shared[q], other.ID)
				}
			}
		}
	}
	for _, q := range j.report.Queries {
		if q.Calls == 0 {
			continue
		}
		q.MeanTime = q.TotalTime / float64(q.Calls)
		if dbTime > 0 {
			q.DBTimeShare = q.TotalTime / dbTime
		}
		q.SharedWith = shared[q]
	}
}

// putRoutes sets each route's requests and times, and its statements per
// request: a statement several routes can send counts for each in
// proportion to its requests. It returns the requests per route key.
func (j *Join) putRoutes(matched []*stmtStat) map[string]int64 {
	requests := make(map[string]int64)
	for rt, st := range j.routeStats {
		rt.Requests = st.requests
		rt.TotalTime = st.time
		rt.MeanTime = st.time / float64(st.requests)
		rt.P99Time = max(st.p99, min(st.hist.quantile(0.99), st.slowest))
		requests[rt.Key()] = st.requests
	}
	if len(j.routeStats) == 0 {
		return requests
	}
	byQuery := make(map[string][]*graph.Route)
	for _, rt := range j.report.Routes {
		for _, id := range rt.Queries {
			byQuery[id] = append(byQuery[id], rt)
		}
	}
	statements := make(map[*graph.Route]float64)
	for _, st := range matched {
		var routes []*graph.Route
		var total int64
		for _, q := range st.queries {
			for _, rt := range byQuery[q.ID] {
				if !slices.Contains(routes, rt) {
					routes = append(routes, rt)
					total += rt.Requests
				}
			}
		}
		for _, rt := range routes {
			if total > 0 {
				statements[rt] += float64(st.calls) * float64(rt.Requests) / float64(total)
			}
		}
	}
	for rt, n := range statements {
		if rt.Requests > 0 {
			rt.StatementsPerRequest = n / float64(rt.Requests)
		}
	}
	return requests
}

// siteCost is what the statements one call site can send cost: the sum
// over its variants (the texts a branch picks), each statement once.
type siteCost struct {
	calls  int64
	time   float64
	shared []string // positions of other sites that send the same statements
}

// siteCosts sums the matched statements per call site position.
func siteCosts(matched []*stmtStat) map[string]*siteCost {
	costs := make(map[string]*siteCost)
	for _, st := range matched {
		var positions []string
		for _, q := range st.queries {
			if !slices.Contains(positions, q.Pos) {
				positions = append(positions, q.Pos)
			}
		}
		for _, pos := range positions {
			c := costs[pos]
			if c == nil {
				c = &siteCost{}
				costs[pos] = c
			}
			c.calls += st.calls
			c.time += st.time
			for _, other := range positions {
				if other != pos && !slices.Contains(c.shared, other) {
					c.shared = append(c.shared, other)
				}
			}
		}
	}
	return costs
}

// putFindings gives each finding on a query the calls and share of DB
// time of the query's call site, all its variants, and says them in its
// message, with the calls per request of its routes when the access log
// has them.
func (j *Join) putFindings(matched []*stmtStat, requests map[string]int64, dbTime float64) {
	byID := j.report.QueriesByID()
	costs := siteCosts(matched)
	for _, f := range j.report.Findings {
		q := byID[f.QueryID]
		if q == nil || costs[q.Pos] == nil {
			continue
		}
		c := costs[q.Pos]
		f.Calls = c.calls
		if dbTime > 0 {
			f.DBTimeShare = c.time / dbTime
		}
		msg := fmt.Sprintf("measured: %s, %s, %s of DB time", graph.Counted(c.calls, "call", "calls"), graph.Seconds(c.time), graph.Percent(f.DBTimeShare))
		routes := f.Routes
		if len(routes) == 0 && f.Route != "" {
			routes = []string{f.Route}
		}
		var n int64
		for _, rt := range routes {
			n += requests[rt]
		}
		switch {
		case n > 0 && len(routes) == 1:
			msg += fmt.Sprintf(", %s per request of %s", perRequest(c.calls, n), routes[0])
		case n > 0:
			msg += fmt.Sprintf(", %s per request of its %d routes", perRequest(c.calls, n), len(routes))
		}
		if len(c.shared) > 0 {
			msg += fmt.Sprintf(" (the same statements as %s)", strings.Join(c.shared, ", "))
		}
		f.Message = strings.TrimRight(f.Message, "; ") + "; " + msg
	}
}

// unroutedNote names the requests no route fits, the commonest paths
// first.
func (j *Join) unroutedNote() []string {
	if j.unroutedN == 0 {
		return nil
	}
	keys := make([]string, 0, len(j.unrouted))
	for k := range j.unrouted {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(j.unrouted[b], j.unrouted[a]), strings.Compare(a, b))
	})
	var top []string
	for _, k := range keys[:min(3, len(keys))] {
		top = append(top, fmt.Sprintf("%s (%s)", k, graph.Count(j.unrouted[k])))
	}
	return []string{fmt.Sprintf("%s of %s logged requests fit no route: %s", graph.Count(j.unroutedN), graph.Count(j.requests), strings.Join(top, ", "))}
}

func perRequest(calls, requests int64) string {
	v := float64(calls) / float64(requests)
	if v >= 10 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}
