package main

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"net"
	"net/http"
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
	fmt.Fprintf(logw, "crudmap: serving http://%s/\n", browseAddr(ln.Addr()))
	srv := &http.Server{
		Handler:           newWebHandler(analyze, opt),
		ReadHeaderTimeout: 10 * time.Second,
	}
	return srv.Serve(ln)
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
// the module and returns the HTML report, or an error page. Analyses run one
// at a time.
func newWebHandler(analyze func() (*graph.Report, error), opt render.Options) http.Handler {
	var mu sync.Mutex
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		var page bytes.Buffer
		mu.Lock()
		report, err := analyze()
		if err == nil {
			err = render.Write(&page, render.HTML, report, opt)
		}
		mu.Unlock()

		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		if err != nil {
			page.Reset()
			if terr := errorPage.Execute(&page, err.Error()); terr != nil {
				http.Error(w, "crudmap: cannot render the error page", http.StatusInternalServerError)
				return
			}
			h.Set("Content-Security-Policy", "default-src 'none'")
			w.WriteHeader(http.StatusInternalServerError)
		}
		w.Write(page.Bytes())
	})
	return mux
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
