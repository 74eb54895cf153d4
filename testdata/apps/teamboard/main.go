// Command teamboard is a small project and task tracker on gorilla/mux
// and Postgres, a crudmap sample app: nested subrouters, StrictSlash,
// subrouter middleware (api.Use) and a session middleware wrapping the
// whole router, whose session reads and writes belong to every route; a
// second mux behind an alice chain.
package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"

	"github.com/gorilla/mux"
	"github.com/justinas/alice"
	_ "github.com/lib/pq"
	"github.com/urfave/negroni/v3"
)

// app holds the handle every handler and middleware uses.
type app struct {
	db *sql.DB
}

func main() {
	db, err := sql.Open("postgres", os.Getenv("TEAMBOARD_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	a := &app{db: db}
	r := a.newRouter()
	go a.serveDebug()
	go a.serveMetrics()
	log.Fatal(http.ListenAndServe(":8080", a.sessions(csrf(r))))
}

// serveDebug serves the operators' endpoints on a second port, behind an
// alice chain that writes every request to audit_log.
func (a *app) serveDebug() {
	debug := http.NewServeMux()
	debug.HandleFunc("GET /debug/sessions", a.countSessions)                           // want "route: GET /debug/sessions audit_log:C sessions:R"
	debug.Handle("GET /debug/users", alice.New(a.requireAdmin).ThenFunc(a.countUsers)) // want "route: GET /debug/users audit_log:C users:R"
	log.Fatal(http.ListenAndServe("127.0.0.1:6060", alice.New(a.audit).Then(debug)))
}

// serveMetrics serves task metrics on a third port, through a negroni
// stack whose middleware counts requests in request_counts.
func (a *app) serveMetrics() {
	m := mux.NewRouter()
	m.HandleFunc("/metrics/tasks", a.taskMetrics) // want "route: ANY /metrics/tasks request_counts:U tasks:R"
	n := negroni.New(negroni.NewRecovery())
	n.UseFunc(a.countRequest)
	n.UseHandler(m)
	log.Fatal(http.ListenAndServe("127.0.0.1:9090", n))
}
