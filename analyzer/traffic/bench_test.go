package traffic

import (
	"fmt"
	"io"
	"math/rand"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crudmap/crudmap/graph"
)

// generatedLog is a MariaDB slow log of a given size, made as it is read:
// entries of a dozen statement shapes with random literals and IN lists,
// and one in 50 from "another program" over 5,000 tables (distinct
// normal forms).
type generatedLog struct {
	left  int64
	rng   *rand.Rand
	entry []byte
	n     int
}

func newGeneratedLog(size int64) *generatedLog {
	return &generatedLog{left: size, rng: rand.New(rand.NewSource(1))}
}

var generatedShapes = []string{
	"SELECT * FROM `users` WHERE `id` = %d;",
	"SELECT COUNT(*) AS `count` FROM `comments` WHERE `post_id` = %d;",
	"SELECT * FROM `comments` WHERE `post_id` = %d ORDER BY `created_at` DESC LIMIT 3;",
	"SELECT `id`, `user_id`, `body`, `mime`, `created_at` FROM `posts` ORDER BY `created_at` DESC LIMIT %d;",
	"INSERT INTO `comments` (`post_id`, `user_id`, `comment`) VALUES (%d,12,'a comment with some words, and \\'quotes\\'');",
	"UPDATE `users` SET `del_flg` = 1 WHERE `id` = '%d';",
	"SELECT u.*, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = '%x' AND s.expires_at > '2026-12-03 10:11:32';",
}

func (g *generatedLog) next() {
	g.n++
	var sql string
	switch r := g.rng.Intn(100); {
	case r < 2:
		sql = fmt.Sprintf("SELECT value FROM `other_%d` WHERE k = %d;", g.rng.Intn(5000), g.rng.Intn(1e6))
	case r < 10:
		ids := make([]string, 1+g.rng.Intn(30))
		for i := range ids {
			ids[i] = fmt.Sprint(g.rng.Intn(1e5))
		}
		sql = "SELECT * FROM `users` WHERE `id` IN (" + strings.Join(ids, ", ") + ");"
	default:
		sql = fmt.Sprintf(generatedShapes[g.rng.Intn(len(generatedShapes))], g.rng.Intn(1e6))
	}
	g.entry = fmt.Appendf(g.entry[:0], "# Time: 261203 10:11:%02d\n# User@Host: isupost[isupost] @ localhost [127.0.0.1]\n"+
		"# Thread_id: %d  Schema: isupost  QC_hit: No\n# Query_time: 0.%06d  Lock_time: 0.000010  Rows_sent: 1  Rows_examined: %d\n"+
		"# Rows_affected: 0  Bytes_sent: 11\nSET timestamp=1796292692;\n%s\n",
		g.n%60, g.n%64, g.rng.Intn(5000), g.rng.Intn(100), sql)
}

func (g *generatedLog) Read(p []byte) (int, error) {
	if g.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && g.left > 0 {
		if len(g.entry) == 0 {
			g.next()
		}
		c := copy(p[n:min(int64(len(p)), int64(n)+g.left)], g.entry)
		g.entry = g.entry[c:]
		n += c
		g.left -= int64(c)
	}
	return n, nil
}

// generatedReport has the sites of the generated shapes.
func generatedReport() *graph.Report {
	r := &graph.Report{}
	for i, shape := range append(generatedShapes, "SELECT * FROM `users` WHERE `id` IN (?)") {
		sql := strings.NewReplacer("%d", "?", "'%x'", "?", ";", "").Replace(shape)
		r.Queries = append(r.Queries, &graph.Query{ID: fmt.Sprintf("q%d", i+1), Pos: fmt.Sprintf("gen.go:%d:1", i+1), SQL: sql})
	}
	return r
}

// peakHeap samples the heap in use until stop is closed, and returns the
// most it saw above the heap at its start, in bytes.
func peakHeap(stop <-chan struct{}) func() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	runtime.GC()
	base, peak := read(), uint64(0)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				peak = max(peak, read())
			}
		}
	}()
	return func() uint64 {
		wg.Wait()
		if peak < base {
			return 0
		}
		return peak - base
	}
}

// readGenerated reads a generated log of size bytes and returns the
// report and the peak extra heap.
func readGenerated(size int64) (*graph.Report, uint64) {
	stop := make(chan struct{})
	peak := peakHeap(stop)
	r := generatedReport()
	j := New(r)
	j.ReadStatements(newGeneratedLog(size), "generated.log")
	j.Finish()
	close(stop)
	return r, peak()
}

// TestStreamingMemory reads a generated 64 MB slow log: memory stays far
// below the log's size, and every generated statement is counted.
func TestStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MB")
	}
	r, peak := readGenerated(64 << 20)
	if peak > 48<<20 {
		t.Errorf("peak extra heap %d MB reading a 64 MB log, want under 48 MB", peak>>20)
	}
	if r.Traffic.Matched < 0.97 || r.Traffic.Matched > 0.99 {
		t.Errorf("%.3f of the statements matched, want 0.98 (one in 50 is another program's)", r.Traffic.Matched)
	}
	t.Logf("%d statements, peak extra heap %d MB, %d unmatched listed", r.Traffic.Statements, peak>>20, len(r.Unmatched))
}

// BenchmarkSlowLog1GB reads a generated 1 GB slow log: go test
// -run '^$' -bench SlowLog1GB -benchtime 1x ./analyzer/traffic. It reports
// the throughput and the peak heap above the start (peak-MB).
func BenchmarkSlowLog1GB(b *testing.B) {
	const size = 1 << 30
	b.SetBytes(size)
	for b.Loop() {
		_, peak := readGenerated(size)
		b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	}
}
