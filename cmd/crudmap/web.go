package main

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/crudmap/crudmap/graph"
	"github.com/crudmap/crudmap/render"
)

// serveWeb serves the HTML report on addr until the server fails. Each page
// load analyses the module again, so that the page follows edits to the code.
func serveWeb(addr string, analyze func() (*graph.Report, error), opt render.Options, logw io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if !listensOnLoopback(ln.Addr()) {
		fmt.Fprintf(logw, "crudmap: warning: -addr %s listens beyond this machine: other machines can read the report of your code; use 127.0.0.1\n", addr)
	}
	fmt.Fprintf(logw, "crudmap: serving http://%s/\n", browseAddr(ln.Addr()))
	srv := &http.Server{
		Handler:           newWebHandler(analyze, opt),
		ReadHeaderTimeout: 10 * time.Second,
	}
	return srv.Serve(ln)
}

// listensOnLoopback reports whether a listener's address is a loopback
// address, which only this machine reaches.
func listensOnLoopback(a net.Addr) bool {
	t, ok := a.(*net.TCPAddr)
	return ok && t.IP.IsLoopback()
}

// browseAddr returns the host:port to browse for a listener's address:
// localhost for a server listening on every interface.
func browseAddr(a net.Addr) string {
	if t, ok := a.(*net.TCPAddr); ok && t.IP.IsUnspecified() {
		return net.JoinHostPort("localhost", fmt.Sprint(t.Port))
	}
	return a.String()
}

// newWebHandler returns the handler of the report server: GET / analyses
// the module and returns the HTML report, or an error page. Only requests
// addressed to a loopback name are answered (see loopbackOnly), and loads
// share analyses (see pageBuilder).
func newWebHandler(analyze func() (*graph.Report, error), opt render.Options) http.Handler {
	pages := &pageBuilder{build: func() ([]byte, error) {
		report, err := analyze()
		if err != nil {
			return nil, err
		}
		var page bytes.Buffer
		if err := render.Write(&page, render.HTML, report, opt); err != nil {
			return nil, err
		}
		return page.Bytes(), nil
	}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		page, err := pages.get(r.Context())
		if r.Context().Err() != nil {
			return // the load was abandoned: nobody reads the answer
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		if err != nil {
			var errPage bytes.Buffer
			if terr := errorPage.Execute(&errPage, err.Error()); terr != nil {
				http.Error(w, "crudmap: cannot render the error page", http.StatusInternalServerError)
				return
			}
			h.Set("Content-Security-Policy", "default-src 'none'")
			w.WriteHeader(http.StatusInternalServerError)
			page = errPage.Bytes()
		}
		w.Write(page)
	})
	return loopbackOnly(mux)
}

// loopbackOnly answers 403 Forbidden to requests whose Host header names
// anything but the loopback interface: a web page whose site name an
// attacker re-points at 127.0.0.1 (DNS rebinding) must not read the report.
func loopbackOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !loopbackHost(r.Host) {
			http.Error(w, "crudmap: the report is served only to http://localhost or a loopback address", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// loopbackHost reports whether a Host header names the loopback interface:
// localhost, an address of 127.0.0.0/8 or [::1], with or without a port.
func loopbackHost(host string) bool {
	if name, _, err := net.SplitHostPort(host); err == nil {
		host = name
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Zone() == "" && ip.Unmap().IsLoopback()
}

// pageBuilder builds the report page for page loads, one build at a time:
// a load that arrives while a build runs waits for that build and shares
// its page, so that reloads never queue analyses. A load that is abandoned
// stops waiting; the build it joined goes on for the others.
type pageBuilder struct {
	build func() ([]byte, error)

	mu      sync.Mutex
	running *pageBuild // the build under way, or nil
}

// pageBuild is one build of the page and, once done is closed, its result.
type pageBuild struct {
	done chan struct{}
	page []byte
	err  error
}

// get returns the page of the build under way, or of a new build when none
// is, or ctx's error when ctx is done first.
func (b *pageBuilder) get(ctx context.Context) ([]byte, error) {
	b.mu.Lock()
	run := b.running
	if run == nil {
		run = &pageBuild{done: make(chan struct{})}
		b.running = run
		go b.finish(run)
	}
	b.mu.Unlock()
	select {
	case <-run.done:
		return run.page, run.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// finish runs a build and hands its result to the loads waiting for it;
// the loads after it start a new build.
func (b *pageBuilder) finish(run *pageBuild) {
	run.page, run.err = b.build()
	b.mu.Lock()
	b.running = nil
	b.mu.Unlock()
	close(run.done)
}

// errorPage shows why the analysis failed; reload to try again.
var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>crudmap: analysis failed</title></head>
<body>
<h1>crudmap: analysis failed</h1>
<pre>{{.}}</pre>
<p>Fix the problem and reload the page.</p>
</body>
</html>
`))
