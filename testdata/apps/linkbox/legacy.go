package main

import (
	"database/sql"
	"fmt"
	"net/http"
)

// legacy serves the old API with a switch on the path: a router of its
// own. Its cases are listed; the switch itself is not.
type legacy struct {
	db *sql.DB
}

func (l *legacy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/stats":
		l.stats(w, r)
	case "/api/purge":
		l.purge(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (l *legacy) stats(w http.ResponseWriter, r *http.Request) { // want "route: ANY {handler main.legacy.stats} clicks:R links:R"
	var links, clicks int
	l.db.QueryRowContext(r.Context(), "SELECT COUNT(*) FROM links").Scan(&links)
	l.db.QueryRowContext(r.Context(), "SELECT COUNT(*) FROM clicks").Scan(&clicks)
	fmt.Fprintf(w, "%d links, %d clicks\n", links, clicks)
}

func (l *legacy) purge(w http.ResponseWriter, r *http.Request) { // want "route: ANY {handler main.legacy.purge} clicks:D"
	l.db.ExecContext(r.Context(), "DELETE FROM clicks WHERE at < now() - interval '90 days'")
}
