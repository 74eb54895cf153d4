package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render"
	"github.com/crudmap/crudmap/render/svg"
)

// webReport is a small report for the server tests.
func webReport(path string) *graph.Report {
	return &graph.Report{
		SchemaVersion: graph.SchemaVersion,
		Module:        "example.com/web",
		Routes: []*graph.Route{{Method: "GET", Path: path, Handler: "getUser",
			Tables: []*graph.TableOps{{Table: "users", Ops: []graph.Op{graph.Select}}}, Queries: []string{"q1"}}},
		Queries: []*graph.Query{{ID: "q1", Pos: "main.go:10:2", Func: "getUser", SQL: "SELECT * FROM users WHERE id = ?",
			Ops: []graph.TableOp{{Table: "users", Op: graph.Select}}}},
		Tables:    []*graph.Table{{Name: "users", InSchema: true}},
		Functions: []*graph.Function{{ID: "getUser", Kind: "handler"}},
		Edges: []*graph.Edge{
			{From: "route:GET " + path, To: "func:getUser"},
			{From: "func:getUser", To: "table:users", Op: graph.Select},
		},
	}
}

func webGet(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(body)
}

// TestWebServesReport checks that / returns the HTML report, that a focus
// query returns the same page, and that every load analyses again, so that
// an edit to the code shows up.
func TestWebServesReport(t *testing.T) {
	var calls atomic.Int32
	analyze := func() (*graph.Report, error) {
		n := calls.Add(1)
		if n == 1 {
			return webReport("/users/first"), nil
		}
		return webReport("/users/second"), nil
	}
	srv := httptest.NewServer(newWebHandler(analyze, render.Options{Graph: "compact", Layout: svg.Render}))
	defer srv.Close()

	code, h, body := webGet(t, srv.URL+"/")
	if code != http.StatusOK {
		t.Fatalf("GET /: status %d\n%s", code, body)
	}
	if ct := h.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	for _, want := range []string{"<!DOCTYPE html>", "example.com/web", "GET /users/first", "<svg ", `id="crudmap-data"`,
		"SELECT * FROM users WHERE id = ?", "default-src &#39;none&#39;"} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /: the page lacks %s", want)
		}
	}

	code, _, body = webGet(t, srv.URL+"/?focus="+url.QueryEscape("table:users"))
	if code != http.StatusOK || !strings.Contains(body, `data-table="users"`) {
		t.Errorf("GET /?focus=table:users: status %d, page without the users table", code)
	}
	if !strings.Contains(body, "GET /users/second") || strings.Contains(body, "GET /users/first") {
		t.Error("the second load shows the first analysis: analyze did not run again")
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("analyze ran %d times for 2 loads, want 2", n)
	}

	if code, _, _ := webGet(t, srv.URL+"/favicon.ico"); code != http.StatusNotFound {
		t.Errorf("GET /favicon.ico: status %d, want 404", code)
	}
	if n := calls.Load(); n != 2 {
		t.Errorf("a request for another path ran analyze (%d runs)", n)
	}
	resp, err := http.Post(srv.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: status %d, want 405", resp.StatusCode)
	}
}

// TestWebError checks that a failed analysis gives an error page with the
// message escaped, and that the next load tries again.
func TestWebError(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	analyze := func() (*graph.Report, error) {
		if fail.Load() {
			return nil, errors.New(`main.go:1:1: expected "package", found <script>alert(1)</script>`)
		}
		return webReport("/ok"), nil
	}
	srv := httptest.NewServer(newWebHandler(analyze, render.Options{Layout: svg.Render}))
	defer srv.Close()

	code, h, body := webGet(t, srv.URL+"/")
	if code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", code)
	}
	if strings.Contains(body, "<script>") {
		t.Errorf("the error page holds the raw <script>:\n%s", body)
	}
	if !strings.Contains(body, "expected &#34;package&#34;, found &lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the error page lacks the escaped message:\n%s", body)
	}
	if csp := h.Get("Content-Security-Policy"); csp != "default-src 'none'" {
		t.Errorf("error page CSP %q", csp)
	}

	fail.Store(false)
	if code, _, body := webGet(t, srv.URL+"/"); code != http.StatusOK || !strings.Contains(body, "GET /ok") {
		t.Errorf("after the code is fixed: status %d", code)
	}
}

// TestWebSharesAnalyses checks that 30 concurrent loads share analyses
// instead of queueing one each, and that analyses never overlap. The first
// analysis lasts until every load has reached the server.
func TestWebSharesAnalyses(t *testing.T) {
	const loads = 30
	var arrived, running, overlaps, calls atomic.Int32
	analyze := func() (*graph.Report, error) {
		calls.Add(1)
		if running.Add(1) > 1 {
			overlaps.Add(1)
		}
		for deadline := time.Now().Add(10 * time.Second); arrived.Load() < loads && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		running.Add(-1)
		return webReport("/x"), nil
	}
	h := newWebHandler(analyze, render.Options{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived.Add(1)
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	var wg sync.WaitGroup
	for range loads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code, _, body := webGet(t, srv.URL+"/"); code != http.StatusOK || !strings.Contains(body, "GET /x") {
				t.Errorf("GET /: status %d", code)
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n < 1 || n > 2 || overlaps.Load() != 0 {
		t.Errorf("%d loads ran %d analyses, %d overlapping; want 1 or 2, none overlapping", loads, n, overlaps.Load())
	}
}

// TestWebAbandonedLoad checks that a load abandoned while the analysis
// runs returns at once, and that the server answers the next load.
func TestWebAbandonedLoad(t *testing.T) {
	release := make(chan struct{})
	var calls atomic.Int32
	analyze := func() (*graph.Report, error) {
		calls.Add(1)
		<-release
		return webReport("/x"), nil
	}
	h := newWebHandler(analyze, render.Options{})

	ctx, cancel := context.WithCancel(context.Background())
	abandoned := make(chan struct{})
	go func() {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "http://localhost/", nil).WithContext(ctx))
		close(abandoned)
	}()
	for calls.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case <-abandoned:
	case <-time.After(5 * time.Second):
		t.Fatal("the abandoned load still waits for the analysis")
	}

	close(release)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "GET /x") {
		t.Errorf("the load after the abandoned one: status %d", rec.Code)
	}
}

// TestWebHost checks that only requests addressed to a loopback name are
// answered, against DNS rebinding, and that the others run no analysis.
func TestWebHost(t *testing.T) {
	var calls atomic.Int32
	h := newWebHandler(func() (*graph.Report, error) {
		calls.Add(1)
		return webReport("/x"), nil
	}, render.Options{})
	for _, c := range []struct {
		host string
		ok   bool
	}{
		{"localhost", true},
		{"localhost:7070", true},
		{"LocalHost:7070", true},
		{"127.0.0.1:7070", true},
		{"127.8.9.10", true},
		{"[::1]:7070", true},
		{"[::1]", true},
		{"attacker.example", false},
		{"attacker.example:7070", false},
		{"localhost.attacker.example:7070", false},
		{"127.0.0.1.nip.io:7070", false},
		{"192.168.1.10:7070", false},
		{"[::2]:7070", false},
		{"[fe80::1%25lo]:7070", false},
		{"", false},
	} {
		before := calls.Load()
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = c.host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		ran := calls.Load() > before
		if c.ok && (rec.Code != http.StatusOK || !ran) {
			t.Errorf("Host %q: status %d, analysed %v; want 200 and an analysis", c.host, rec.Code, ran)
		}
		if !c.ok && (rec.Code != http.StatusForbidden || ran) {
			t.Errorf("Host %q: status %d, analysed %v; want 403 and no analysis", c.host, rec.Code, ran)
		}
	}
}

// TestWebSuppressions checks that the page served by -web leaves out what
// //crudmap:ignore comments and the -baseline accept, as the CLI does.
func TestWebSuppressions(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"go.mod":     "module example.com/web\n\ngo 1.22\n",
		"schema.sql": "CREATE TABLE users (id BIGINT PRIMARY KEY);\nCREATE TABLE posts (id BIGINT PRIMARY KEY, user_id BIGINT, title TEXT);\n",
		"main.go": `package main

import (
	"database/sql"
	"net/http"
)

var db *sql.DB

func listUsers(w http.ResponseWriter, r *http.Request) {
	rows, _ := db.Query("SELECT id FROM users")
	defer rows.Close()
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		var title string
		db.QueryRow("SELECT title FROM posts WHERE user_id = ?", id).Scan(&title) //crudmap:ignore n+1 -- at most 10 users
	}
}

func main() {
	http.HandleFunc("GET /users", listUsers)
	http.ListenAndServe(":8080", nil)
}
`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The comment hides the N+1 query; the unindexed posts.user_id stays.
	opt, err := parseFlags([]string{"-web", "-C", dir})
	if err != nil {
		t.Fatal(err)
	}
	page := webPage(t, opt)
	for _, want := range []string{"1 finding suppressed by //crudmap:ignore comments", "posts.user_id has no index"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "runs once per iteration") {
		t.Error("the page shows the N+1 query the comment suppresses")
	}

	// A baseline accepting the unindexed column hides it too.
	report, err := opt.analysis(nil)()
	if err != nil {
		t.Fatal(err)
	}
	baseline := filepath.Join(dir, "baseline.json")
	if err := writeBaselineFile(baseline, report.Findings); err != nil {
		t.Fatal(err)
	}
	opt, err = parseFlags([]string{"-web", "-C", dir, "-baseline", baseline})
	if err != nil {
		t.Fatal(err)
	}
	page = webPage(t, opt)
	if !strings.Contains(page, "1 finding accepted by the baseline") || strings.Contains(page, "posts.user_id has no index") {
		t.Error("the page shows the finding the baseline accepts")
	}
}

// webPage returns the page that -web serves with opt's analysis.
func webPage(t *testing.T, opt *options) string {
	t.Helper()
	rec := httptest.NewRecorder()
	newWebHandler(opt.analysis(nil), render.Options{}).ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost:7070/", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /: status %d\n%s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// TestServeWeb starts the real server on a free port and checks its log
// line and its page.
func TestServeWeb(t *testing.T) {
	var log webLogBuffer
	errc := make(chan error, 1)
	go func() {
		errc <- serveWeb("127.0.0.1:0", func() (*graph.Report, error) { return webReport("/live"), nil }, render.Options{Layout: svg.Render}, &log)
	}()
	var addr string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if s := log.String(); strings.HasSuffix(s, "/\n") {
			addr = strings.TrimSuffix(strings.TrimPrefix(s, "crudmap: serving http://"), "/\n")
			break
		}
		select {
		case err := <-errc:
			t.Fatalf("serveWeb: %v", err)
		default:
		}
	}
	if _, _, err := net.SplitHostPort(addr); err != nil || !strings.HasPrefix(log.String(), "crudmap: serving http://127.0.0.1:") {
		t.Fatalf("log %q, want crudmap: serving http://127.0.0.1:PORT/", log.String())
	}
	if code, _, body := webGet(t, "http://"+addr+"/"); code != http.StatusOK || !strings.Contains(body, "GET /live") {
		t.Errorf("GET /: status %d", code)
	}

	if err := serveWeb(addr, nil, render.Options{}, io.Discard); err == nil {
		t.Error("serveWeb on a busy address returned nil")
	}
}

// TestServeWebWarnsBeyondLoopback checks that serving on every interface
// says, on the log, that other machines can read the report.
func TestServeWebWarnsBeyondLoopback(t *testing.T) {
	var log webLogBuffer
	go serveWeb("0.0.0.0:0", nil, render.Options{}, &log)
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(log.String(), "serving"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no serving line in the log %q", log.String())
		}
	}
	if !strings.HasPrefix(log.String(), "crudmap: warning: -addr 0.0.0.0:0 listens beyond this machine") {
		t.Errorf("log %q, want a warning first", log.String())
	}
	for _, c := range []struct {
		addr net.Addr
		want bool
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, true},
		{&net.TCPAddr{IP: net.IPv4(127, 1, 2, 3)}, true},
		{&net.TCPAddr{IP: net.IPv6loopback}, true},
		{&net.TCPAddr{IP: net.IPv4zero}, false},
		{&net.TCPAddr{IP: net.IPv6unspecified}, false},
		{&net.TCPAddr{IP: net.IPv4(192, 168, 1, 10)}, false},
	} {
		if got := listensOnLoopback(c.addr); got != c.want {
			t.Errorf("listensOnLoopback(%v) = %v, want %v", c.addr, got, c.want)
		}
	}
}

// TestWebWriteBaseline checks that -web refuses -write-baseline, which
// would rewrite the baseline on every load.
func TestWebWriteBaseline(t *testing.T) {
	if _, err := parseFlags([]string{"-web", "-write-baseline", filepath.Join(t.TempDir(), "b.json")}); err == nil {
		t.Error("-web -write-baseline parsed without error")
	}
}

func TestBrowseAddr(t *testing.T) {
	for _, c := range []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 7070}, "127.0.0.1:7070"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 7070}, "localhost:7070"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 80}, "localhost:80"},
	} {
		if got := browseAddr(c.addr); got != c.want {
			t.Errorf("browseAddr(%v) = %q, want %q", c.addr, got, c.want)
		}
	}
}

// webLogBuffer is a bytes.Buffer safe for one writer and one reader.
type webLogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *webLogBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *webLogBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
