package traffic

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/crudmap/crudmap/graph"
)

// Join gathers what logs measured, for one report. Read the logs with
// ReadStatements and ReadAccess, then Finish puts the figures on the report.
type Join struct {
	report *graph.Report
	norm   [2]*normalizer // per Dialect
	sites  [2]*siteIndex  // per Dialect, built on first use

	stmts    map[stmtKey]*stmtStat
	overflow stmtStat // statements past maxStatements distinct ones

	routes     *routeMatcher
	routeStats map[*graph.Route]*routeStat
	unrouted   map[string]int64 // "METHOD /path" of requests no route fits
	requests   int64
	unroutedN  int64

	files []string
	notes []string
}

// maxStatements bounds the distinct normal forms kept (each at most
// maxKey bytes, and a hash of the rest); the statements past it are
// counted together.
const maxStatements = 20000

// maxUnrouted bounds the distinct paths of requests no route fits that a
// note can name.
const maxUnrouted = 1000

type stmtKey struct {
	dialect Dialect
	norm    string
}

// stmtStat is the sum over the logged statements of one normal form.
type stmtStat struct {
	example  string
	calls    int64
	time     float64
	examined int64
	sent     int64
	queries  []*graph.Query // the sites that send it
}

type routeStat struct {
	requests int64
	time     float64
	p99      float64 // from reports of sums (alp)
	slowest  float64 // of the requests logged one by one
	hist     histogram
}

// New starts a join of logs with r.
func New(r *graph.Report) *Join {
	return &Join{
		report:     r,
		norm:       [2]*normalizer{newNormalizer(MySQL), newNormalizer(Postgres)},
		stmts:      make(map[stmtKey]*stmtStat),
		routes:     newRouteMatcher(r.Routes),
		routeStats: make(map[*graph.Route]*routeStat),
		unrouted:   make(map[string]int64),
	}
}

// Apply reads the statement and access logs named and puts what they
// measured on r. A file that cannot be opened is an error; one crudmap
// cannot read, in part or whole, is a note on r.
func Apply(r *graph.Report, statementLogs, accessLogs []string) error {
	j := New(r)
	for _, name := range statementLogs {
		if err := j.readFile(name, j.ReadStatements); err != nil {
			return err
		}
	}
	for _, name := range accessLogs {
		if err := j.readFile(name, j.ReadAccess); err != nil {
			return err
		}
	}
	j.Finish()
	return nil
}

func (j *Join) readFile(name string, read func(io.Reader, string)) error {
	f, err := os.Open(name)
	if err != nil {
		var pathErr *os.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err
		}
		return fmt.Errorf("%s: %v", name, err)
	}
	defer f.Close()
	read(f, name)
	return nil
}

// ReadStatements reads a statement log; name names it in notes.
func (j *Join) ReadStatements(r io.Reader, name string) { j.read(r, name, "statement") }

// ReadAccess reads an HTTP access log; name names it in notes.
func (j *Join) ReadAccess(r io.Reader, name string) { j.read(r, name, "access") }

func (j *Join) read(r io.Reader, name, kind string) {
	j.files = append(j.files, name)
	notes, err := readLog(r, name, kind, j)
	j.notes = append(j.notes, notes...)
	if err != nil {
		j.notes = append(j.notes, err.Error())
	}
}

// execution adds a logged statement to the sum of its normal form.
func (j *Join) execution(e Execution) {
	norm := j.norm[e.Dialect].normalize(e.SQL)
	key := stmtKey{e.Dialect, norm}
	if len(norm) > maxKey {
		sum := sha256.Sum256([]byte(norm))
		key.norm = norm[:maxKey] + " #" + hex.EncodeToString(sum[:8])
	}
	st := j.stmts[key]
	if st == nil {
		if len(j.stmts) >= maxStatements {
			st = &j.overflow
		} else {
			st = &stmtStat{example: example(e.SQL), queries: j.siteIndex(e.Dialect).match(norm)}
			j.stmts[key] = st
		}
	}
	st.calls += e.Calls
	st.time += e.Time
	st.examined += e.RowsExamined
	st.sent += e.RowsSent
}

// request adds a logged request to its route.
func (j *Join) request(r Request) {
	j.requests += r.Count
	rt := j.routes.match(strings.ToUpper(r.Method), r.URI)
	if rt == nil {
		j.unroutedN += r.Count
		key := strings.ToUpper(r.Method) + " " + pathOf(r.URI)
		if _, ok := j.unrouted[key]; ok || len(j.unrouted) < maxUnrouted {
			j.unrouted[key] += r.Count
		}
		return
	}
	st := j.routeStats[rt]
	if st == nil {
		st = &routeStat{}
		j.routeStats[rt] = st
	}
	st.requests += r.Count
	st.time += r.Time
	if r.Count == 1 {
		st.hist.add(r.Time, 1)
		st.slowest = max(st.slowest, r.Time)
	} else {
		st.p99 = max(st.p99, r.P99)
	}
}

// siteIndex returns the index of the report's query sites by normal form
// in dialect d.
func (j *Join) siteIndex(d Dialect) *siteIndex {
	if j.sites[d] == nil {
		j.sites[d] = newSiteIndex(j.report.Queries, j.norm[d])
	}
	return j.sites[d]
}

// example is a statement's text for a report: one line, at most 300 bytes.
func example(sql string) string {
	s := strings.Join(strings.Fields(sql), " ")
	if len(s) > 300 {
		cut := 300
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
