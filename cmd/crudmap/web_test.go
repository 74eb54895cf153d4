package main

import (
	"bytes"
	"errors"
	"github.com/crudmap/crudmap/render/svg"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render"
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

// TestWebSerializesAnalyses checks that concurrent loads never run two
// analyses at once.
func TestWebSerializesAnalyses(t *testing.T) {
	var running, overlaps, calls atomic.Int32
	analyze := func() (*graph.Report, error) {
		calls.Add(1)
		if running.Add(1) > 1 {
			overlaps.Add(1)
		}
		time.Sleep(20 * time.Millisecond)
		running.Add(-1)
		return webReport("/x"), nil
	}
	srv := httptest.NewServer(newWebHandler(analyze, render.Options{Layout: svg.Render}))
	defer srv.Close()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(srv.URL + "/")
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		}()
	}
	wg.Wait()
	if calls.Load() != 4 || overlaps.Load() != 0 {
		t.Errorf("%d analyses, %d overlapping; want 4 and 0", calls.Load(), overlaps.Load())
	}
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
