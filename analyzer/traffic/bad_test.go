package traffic

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"math/rand"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/graph"
)

// join reads logs into a join with r and finishes it.
func join(r *graph.Report, statements, access map[string]string) *graph.Report {
	j := New(r)
	// The logs are read in name order, as the command line gives them
	// in its order: past the distinct statements kept, which come first
	// decides which are kept.
	for _, name := range slices.Sorted(maps.Keys(statements)) {
		j.ReadStatements(strings.NewReader(statements[name]), name)
	}
	for _, name := range slices.Sorted(maps.Keys(access)) {
		j.ReadAccess(strings.NewReader(access[name]), name)
	}
	j.Finish()
	return r
}

func hasNote(r *graph.Report, parts ...string) bool {
	for _, n := range r.Notes {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(n, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// smallReport is a report with two query sites and one route.
func smallReport() *graph.Report {
	return &graph.Report{
		Routes: []*graph.Route{{Method: "GET", Path: "/users/{id}", Queries: []string{"q1", "q2"}}},
		Queries: []*graph.Query{
			{ID: "q1", Pos: "a.go:1:1", SQL: "SELECT * FROM users WHERE id = ?"},
			{ID: "q2", Pos: "a.go:2:1", SQL: "SELECT * FROM posts WHERE user_id = ? ORDER BY id LIMIT 10"},
		},
	}
}

const entry = "# User@Host: app[app] @ localhost []\n# Query_time: 0.5  Lock_time: 0.0  Rows_sent: 1  Rows_examined: 1\nSET timestamp=1;\nSELECT * FROM users WHERE id = 7;\n"

// TestTruncatedEntries: entries cut short are skipped with a note, the
// whole ones still count.
func TestTruncatedEntries(t *testing.T) {
	log := entry +
		"# User@Host: app[app] @ localhost []\n# Query_time: 0.2  Lock_time: 0.0\n" + // no statement
		"# Query_time: not-a-number  Lock_time: 0.0\nSELECT 1;\n" +
		entry +
		"# User@Host: app[app] @ localhost []\n# Query_time: 0.3" // cut at the end
	r := join(smallReport(), map[string]string{"slow.log": log}, nil)
	if q := r.Queries[0]; q.Calls != 2 || q.TotalTime != 1 {
		t.Errorf("q1: %d calls, %.1f s; want 2, 1.0", q.Calls, q.TotalTime)
	}
	if !hasNote(r, "slow.log: 3 malformed") {
		t.Errorf("no note on the 3 malformed entries: %q", r.Notes)
	}
}

// TestMixedFormats: a log passed with the wrong flag, and lines of another
// format in a slow log.
func TestMixedFormats(t *testing.T) {
	ltsv := "method:GET\turi:/users/1\treqtime:0.1\n"
	r := join(smallReport(), map[string]string{"access.ltsv": ltsv}, map[string]string{"slow.log": entry})
	if !hasNote(r, "access.ltsv: an LTSV access log, not a statement log: pass it with -accesslog") ||
		!hasNote(r, "slow.log: a MySQL slow log, not an access log: pass it with -slowlog") {
		t.Errorf("notes %q do not say which flag each log needs", r.Notes)
	}
	// An access log's lines before and between slow log entries.
	mixed := ltsv + entry + ltsv + entry
	r = join(smallReport(), map[string]string{"mixed.log": mixed}, nil)
	if q := r.Queries[0]; q.Calls != 2 {
		t.Errorf("q1: %d calls in the mixed log, want 2", q.Calls)
	}
	if len(r.Unmatched) != 0 || r.Traffic.Statements != 2 {
		t.Errorf("mixed log: %d statements, unmatched %v", r.Traffic.Statements, r.Unmatched)
	}
}

// TestBinaryGarbage: random bytes, alone or after a good entry, never
// crash the readers; alone they are not a log.
func TestBinaryGarbage(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := range 50 {
		garbage := make([]byte, 1+rng.Intn(20000))
		rng.Read(garbage)
		r := join(smallReport(),
			map[string]string{"garbage.bin": string(garbage), "tail.log": entry + string(garbage)},
			map[string]string{"garbage.bin": string(garbage)})
		if i == 0 && !hasNote(r, "garbage.bin: not a statement log crudmap reads") {
			t.Errorf("no note that garbage.bin is not a log: %q", r.Notes)
		}
		if r.Queries[0].Calls < 1 {
			t.Errorf("the entry before the garbage is lost")
		}
	}
	for _, f := range []format{slowLog, digestText, digestJSON, pgssCSV, pgssJSON, accessLTSV, accessJSON, alpTSV} {
		garbage := make([]byte, 5000)
		rng.Read(garbage)
		readers[f](newLineReader(newBufReader(garbage)), &collect{})
	}
	readDigestJSON(newLineReader(newBufReader([]byte(`{"classes": [{"query_count": "x"}, 3]`))), &collect{})
	readPGSSCSV(newLineReader(newBufReader([]byte("query,calls\n\"unclosed,1\n"))), &collect{})
	readJSONObjects(newLineReader(newBufReader([]byte(`[{"calls": 1}, {"query": 2`))), &collect{}, pgssObject)
}

// TestAnotherAppsLog: a log of which no statement matches says so in one
// line.
func TestAnotherAppsLog(t *testing.T) {
	slow, err := os.ReadFile(isupostSlow)
	if err != nil {
		t.Fatal(err)
	}
	other := &graph.Report{Queries: []*graph.Query{{ID: "q1", Pos: "a.go:1:1", SQL: "SELECT * FROM invoices WHERE id = ?"}}}
	r := join(other, map[string]string{"isupost.log": string(slow)}, nil)
	if !hasNote(r, "no logged statement matches a query of this app") {
		t.Errorf("no one-line note that nothing matches: %q", r.Notes)
	}
	if len(r.Unmatched) < 2 || r.Unmatched[0].TotalTime < r.Unmatched[1].TotalTime {
		t.Errorf("unmatched statements: %d, not the costliest first", len(r.Unmatched))
	}
}

func newBufReader(b []byte) *bufio.Reader { return bufio.NewReaderSize(bytes.NewReader(b), maxLine) }

// TestBounds: a statement on a line longer than the reader keeps (a blob
// INSERT) still matches its site, and statements past the distinct ones
// kept count in the totals, with a note.
func TestBounds(t *testing.T) {
	r := &graph.Report{Queries: []*graph.Query{{ID: "q1", Pos: "a.go:1:1", SQL: "INSERT INTO posts (user_id, imgdata) VALUES (?, ?)"}}}
	blob := "# Query_time: 0.5  Lock_time: 0.0\nINSERT INTO posts (user_id, imgdata) VALUES (1, _binary'" + strings.Repeat("\\0x", maxLine) + "');\n"
	var many strings.Builder
	for i := range maxStatements + 10 {
		fmt.Fprintf(&many, "# Query_time: 0.001  Lock_time: 0.0\nSELECT c%d FROM t;\n", i)
	}
	join(r, map[string]string{"blob.log": blob, "many.log": many.String()}, nil)
	if r.Queries[0].Calls != 1 {
		t.Errorf("the blob INSERT cut short does not match its site")
	}
	if !hasNote(r, "blob.log: 1 lines longer than 1 MiB read in part") || !hasNote(r, "more than 20,000 distinct statements: 11 calls past them") {
		t.Errorf("notes %q", r.Notes)
	}
	if r.Traffic.Statements != maxStatements+11 {
		t.Errorf("%d statements counted, want %d", r.Traffic.Statements, maxStatements+11)
	}
}

// TestStrayLines: lines of another format after a statement are one
// malformed entry; the statements around them count.
func TestStrayLines(t *testing.T) {
	log := entry + "method:GET\turi:/x\treqtime:0.1\n{\"a\": 1}\n" + entry
	r := join(smallReport(), map[string]string{"slow.log": log}, nil)
	if q := r.Queries[0]; q.Calls != 2 {
		t.Errorf("q1: %d calls, want 2", q.Calls)
	}
	if !hasNote(r, "slow.log: 1 malformed") {
		t.Errorf("notes %q", r.Notes)
	}
}
