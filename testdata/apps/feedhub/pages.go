package main

import (
	"fmt"
	"net/http"
)

func healthz(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "ok")
}

func (s *Store) home(w http.ResponseWriter, r *http.Request) {
	var n int
	s.db.QueryRowContext(r.Context(), "SELECT count(*) FROM feeds").Scan(&n)
	fmt.Fprintf(w, "%d feeds", n)
}

func (s *Store) feedPage(w http.ResponseWriter, r *http.Request) {
	var title string
	s.db.QueryRowContext(r.Context(), "SELECT title FROM feeds WHERE id = $1", r.PathValue("id")).Scan(&title)
	rows, err := s.db.QueryContext(r.Context(), "SELECT title FROM entries WHERE feed_id = $1 ORDER BY published_at DESC LIMIT 50", r.PathValue("id"))
	if err == nil {
		rows.Close()
	}
	fmt.Fprintln(w, title, canonicalURL(r.PathValue("id")))
}

func (s *Store) subscribe(w http.ResponseWriter, r *http.Request) {
	s.db.ExecContext(r.Context(), "INSERT INTO subscriptions (user_id, feed_id) VALUES ($1, $2)", r.FormValue("user"), r.PathValue("id"))
}

func (s *Store) githubHook(w http.ResponseWriter, r *http.Request) {
	s.db.ExecContext(r.Context(), "INSERT INTO hook_events (source, payload) VALUES ('github', $1)", r.FormValue("payload"))
}

func (s *Store) stripeHook(w http.ResponseWriter, r *http.Request) {
	var id int64
	s.db.QueryRowContext(r.Context(), "SELECT id FROM users WHERE email = $1", r.FormValue("email")).Scan(&id)
	s.db.ExecContext(r.Context(), "INSERT INTO hook_events (source, payload) VALUES ('stripe', $1)", r.FormValue("payload"))
}

func rssFeed(w http.ResponseWriter, r *http.Request) {
	latest(w, r, "rss")
}

func atomFeed(w http.ResponseWriter, r *http.Request) {
	latest(w, r, "atom")
}

// latest is shared by the two legacy feed routes; it uses the package
// handle.
func latest(w http.ResponseWriter, r *http.Request, format string) {
	rows, err := globalDB.QueryContext(r.Context(), "SELECT title FROM entries ORDER BY published_at DESC LIMIT 20") // want "unindexed: entries.published_at"
	if err == nil {
		rows.Close()
	}
	fmt.Fprintln(w, format)
}
