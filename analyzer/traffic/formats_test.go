package traffic

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// TestDetect checks that each format is known by its content.
func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name, head string
		want       format
	}{
		{"slow log", "/usr/sbin/mysqld, Version: 8.0.36 (MySQL). started with:\nTcp port: 3306\n# Time: 2024-01-01T00:00:00Z\n# Query_time: 0.1", slowLog},
		{"slow log without banner", "# User@Host: a[a] @ localhost []\n# Query_time: 0.1  Lock_time: 0", slowLog},
		{"pt-query-digest", "\n# 1.1s user time\n# Overall: 10.32k total, 48 unique\n", digestText},
		{"pt-query-digest JSON", `{"global": {}, "classes": [{"query_count": 1}]}`, digestJSON},
		{"pg_stat_statements CSV", "userid,dbid,queryid,query,calls,total_exec_time,rows\n", pgssCSV},
		{"pg_stat_statements JSON", `[{"query": "SELECT 1", "calls": 3, "total_exec_time": 1.5}]`, pgssJSON},
		{"LTSV", "time:x\tmethod:GET\turi:/a\treqtime:0.1\n", accessLTSV},
		{"nginx JSON", `{"time":"x","method":"GET","uri":"/a","request_time":"0.1"}` + "\n", accessJSON},
		{"alp TSV", "Count\tMethod\tUri\tMin\tMax\tSum\tAvg\tP99\n", alpTSV},
		{"alp table", "+-------+--------+\n| COUNT | METHOD | URI | SUM |\n", alpTSV},
		{"binary", "\x00\x01\x02\xff\xfe garbage \x00", unknownFormat},
		{"prose", "hello, world\n", unknownFormat},
		{"empty", "", unknownFormat},
	} {
		if got := detect([]byte(tc.head)); got != tc.want {
			t.Errorf("%s: detect = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// sums returns the calls and seconds per normal form of what c collected.
func sums(c *collect) map[string][2]float64 {
	n := newNormalizer(MySQL)
	m := make(map[string][2]float64)
	for _, e := range c.executions {
		k := n.normalize(e.SQL)
		s := m[k]
		m[k] = [2]float64{s[0] + float64(e.Calls), s[1] + e.Time}
	}
	return m
}

// TestDigestReports reads pt-query-digest's text and JSON reports of the
// real slow log: each class has the calls and time the slow log sums to.
// pt-query-digest tells `users` from users, crudmap does not: such a class
// has part of the calls of crudmap's, the other part in the report's
// MISC line, which it does not list.
func TestDigestReports(t *testing.T) {
	slow := sums(readAll(t, isupostSlow, "statement"))
	for _, name := range []string{"../../testdata/traffic/isupost/digest.txt", "../../testdata/traffic/isupost/digest.json"} {
		got := sums(readAll(t, name, "statement"))
		same := 0
		for k, v := range got {
			want, ok := slow[k]
			switch {
			case !ok:
				t.Errorf("%s: %q is not a statement of the slow log", name, k)
			case v[0] > want[0]:
				t.Errorf("%s: %q: %v calls, the slow log has %v", name, k, v[0], want[0])
			case v[0] == want[0] && math.Abs(v[1]-want[1]) > 0.001+want[1]*0.01: // the text rounds
				t.Errorf("%s: %q: %.6f s, the slow log sums to %.6f", name, k, v[1], want[1])
			case v[0] == want[0]:
				same++
			}
		}
		if same < 15 {
			t.Errorf("%s: %d classes read whole, want the report's 15 (of 16)", name, same)
		}
	}
}

// TestAccessFormats reads the same requests written as nginx LTSV, nginx
// JSON lines, and alp's TSV, table and JSON output.
func TestAccessFormats(t *testing.T) {
	for _, tc := range []struct{ name, log string }{
		{"ltsv", "time:03/Dec/2026:10:11:32 +0000\treq:GET /api/posts/7?x=1 HTTP/1.1\tstatus:200\treqtime:0.250\n" +
			"method:GET\turi:/api/posts/8\tstatus:200\treqtime:0.750\n"},
		{"json lines", `{"method":"GET","uri":"/api/posts/7","request_time":"0.250"}` + "\n" + `{"request":"GET /api/posts/8 HTTP/1.1","request_time":0.75}` + "\n"},
		{"alp tsv", "Count\tMethod\tUri\tMin\tMax\tSum\tAvg\tP99\n2\tGET\t/api/posts/7\t0.250\t0.750\t1.000\t0.500\t0.750\n"},
		{"alp table", "+-------+--------+--------------+-------+\n| COUNT | METHOD |     URI      |  SUM  |  P99  |\n+-------+--------+--------------+-------+\n| 2     | GET    | /api/posts/7 | 1.000 | 0.750 |\n+-------+--------+--------------+-------+\n"},
		{"alp json", `[{"count": 2, "method": "GET", "uri": "/api/posts/7", "response_time": {"sum": 1.0, "p99": 0.75}}]`},
	} {
		c := &collect{}
		notes, err := readLog(strings.NewReader(tc.log), tc.name, "access", c)
		if err != nil || len(notes) > 0 {
			t.Errorf("%s: %v %v", tc.name, notes, err)
			continue
		}
		var n int64
		var secs float64
		for _, r := range c.requests {
			n += r.Count
			secs += r.Time
			if r.Method != "GET" || !strings.HasPrefix(r.URI, "/api/posts/") {
				t.Errorf("%s: read %+v", tc.name, r)
			}
		}
		if n != 2 || math.Abs(secs-1) > 1e-9 {
			t.Errorf("%s: %d requests, %.3f s; want 2, 1.000 s", tc.name, n, secs)
		}
	}
}

// TestPGStatStatements reads pg_stat_statements as CSV and as JSON, whose
// times are milliseconds, and normalises the Postgres text.
func TestPGStatStatements(t *testing.T) {
	csv := "userid,dbid,queryid,query,calls,total_exec_time,rows\n" +
		"10,5,1,\"SELECT id, name FROM products WHERE id = ANY($1) AND \"\"deleted\"\" = $2\",40,120.5,40\n" +
		"10,5,2,\"INSERT INTO orders (user_id, total)\nVALUES ($1, $2)\",3,1.5,3\n"
	json := `[{"query": "SELECT id, name FROM products WHERE id = ANY($1) AND \"deleted\" = $2", "calls": 40, "total_exec_time": 120.5, "rows": 40},
{"query": "INSERT INTO orders (user_id, total)\nVALUES ($1, $2)", "calls": 3, "total_exec_time": 1.5, "rows": 3}]`
	for name, log := range map[string]string{"csv": csv, "json": json} {
		c := &collect{}
		notes, err := readLog(strings.NewReader(log), name, "statement", c)
		if err != nil || len(notes) > 0 || len(c.executions) != 2 {
			t.Fatalf("%s: %v %v %+v", name, notes, err, c.executions)
		}
		n := newNormalizer(Postgres)
		var got []string
		for _, e := range c.executions {
			got = append(got, n.normalize(e.SQL))
		}
		want := []string{"select id , name from products where id = any ( ... ) and deleted = ?", "insert into orders ( user_id , total ) values ( ... )"}
		if !slices.Equal(got, want) {
			t.Errorf("%s: normal forms %q, want %q", name, got, want)
		}
		if e := c.executions[0]; e.Calls != 40 || math.Abs(e.Time-0.1205) > 1e-9 || e.Dialect != Postgres {
			t.Errorf("%s: read %+v", name, e)
		}
	}
}

// TestRoutePatterns checks logged paths against the path patterns of the
// routers crudmap reads.
func TestRoutePatterns(t *testing.T) {
	r := freshIsupost(t)
	m := newRouteMatcher(append(r.Routes, routes("GET /api/livestream/:livestream_id/statistics", "GET /api/livestream/search",
		"GET /files/{path...}", "GET /u/{id:[0-9]+}")...))
	for _, tc := range []struct{ method, uri, want string }{
		{"GET", "/api/livestream/7496/statistics", "GET /api/livestream/:livestream_id/statistics"},
		{"GET", "/api/livestream/search?tag=a", "GET /api/livestream/search"},
		{"GET", "/api/posts/12", "GET /api/posts/{id}"},
		{"POST", "/api/posts/12/like", "POST /api/posts/{id}/like"},
		{"GET", "/@user003", "GET /@{accountName}"},
		{"GET", "/image/12.jpg", "GET /image/{id}.{ext}"},
		{"GET", "http://example.com/posts/3", "GET /posts/{id}"},
		{"GET", "/files/a/b/c.txt", "GET /files/{path...}"},
		{"GET", "/u/7", "GET /u/{id:[0-9]+}"},
		{"GET", "/css/style.css", "ANY /*"},
		{"HEAD", "/", "GET /"},
		{"DELETE", "/api/posts/12", "ANY /*"},
	} {
		got := "none"
		if rt := m.match(tc.method, tc.uri); rt != nil {
			got = rt.Key()
		}
		if got != tc.want {
			t.Errorf("%s %s: route %s, want %s", tc.method, tc.uri, got, tc.want)
		}
	}
}
