package main

// Search routes live in their own file and are registered by
// registerSearchRoutes, called from (*server).routes.

import (
	"net/http"

	"github.com/go-chi/chi/v5"
)

func registerSearchRoutes(r chi.Router, s *server) {
	r.Get("/search/users", s.searchUsers)       // want "route: GET /search/users users:R"
	r.Get("/search/people", s.searchPeople)     // want "route: GET /search/people users:R"
	r.Get("/search/posts/by-day", s.postsByDay) // want "route: GET /search/posts/by-day posts:R"
}

// GET /search/users?mode=prefix|domain — SQL chosen per branch. The prefix
// LIKE can use the unique index on name; a leading % on email cannot use
// uniq_email. Both variants run at the same call, so the finding is there.
func (s *server) searchUsers(w http.ResponseWriter, r *http.Request) {
	var q string
	switch r.URL.Query().Get("mode") {
	case "domain":
		q = "SELECT id, name FROM users WHERE email LIKE '%@chirp.example' ORDER BY id LIMIT 100"
	default:
		q = "SELECT id, name FROM users WHERE name LIKE 'chirp%' ORDER BY name LIMIT 100"
	}
	rows, err := s.db.QueryContext(r.Context(), q) // want "unindexed: users.email"
	if err != nil {
		serverError(w, err)
		return
	}
	defer rows.Close()
	writeRows(w, rows)
}

// GET /search/people?q= — OR: each side needs an index. name has one,
// display_name has none, so MySQL scans users.
func (s *server) searchPeople(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	rows, err := s.db.QueryContext(r.Context(), // want "unindexed: users.display_name"
		"SELECT id, name, display_name FROM users WHERE name = ? OR display_name = ? LIMIT 20", q, q)
	if err != nil {
		serverError(w, err)
		return
	}
	defer rows.Close()
	writeRows(w, rows)
}

// GET /search/posts/by-day?day=2024-01-02 — idx_created exists, but DATE()
// around the column stops MySQL from using it.
func (s *server) postsByDay(w http.ResponseWriter, r *http.Request) {
	rows, err := s.db.QueryContext(r.Context(), // want "unindexed: posts.created_at"
		"SELECT id, body FROM posts WHERE DATE(created_at) = ? LIMIT 100", r.URL.Query().Get("day"))
	if err != nil {
		serverError(w, err)
		return
	}
	defer rows.Close()
	writeRows(w, rows)
}

func writeRows(w http.ResponseWriter, rows interface {
	Next() bool
	Scan(...any) error
}) {
	var out [][2]any
	for rows.Next() {
		var a, b any
		if err := rows.Scan(&a, &b); err == nil {
			out = append(out, [2]any{a, b})
		}
	}
	writeJSON(w, http.StatusOK, out)
}
