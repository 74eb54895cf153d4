package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
)

// NewHandler returns the API: a mux of its own, served under base.
func NewHandler(s *Store, base string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+base+"/feeds", s.apiFeeds)                             // want "route: GET {basePath}/v1/feeds api_keys:RU feeds:R"
	mux.HandleFunc("POST "+base+"/feeds", s.apiCreateFeed)                       // want "route: POST {basePath}/v1/feeds api_keys:RU feeds:C"
	mux.HandleFunc(fmt.Sprintf("GET %s/feeds/{id}/entries", base), s.apiEntries) // want "route: GET {basePath}/v1/feeds/{id}/entries api_keys:RU entries:R"
	return mux
}

// Middleware checks the API key of every API request and records when
// the key was last used: every API route reads and updates api_keys.
func Middleware(s *Store) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sum := sha256.Sum256([]byte(r.Header.Get("X-API-Key")))
			var id int64
			if err := s.db.QueryRowContext(r.Context(), "SELECT id FROM api_keys WHERE key_hash = $1", hex.EncodeToString(sum[:])).Scan(&id); err != nil {
				http.Error(w, "bad key", http.StatusUnauthorized)
				return
			}
			s.db.ExecContext(r.Context(), "UPDATE api_keys SET last_used_at = now() WHERE id = $1", id)
			next.ServeHTTP(w, r)
		})
	}
}

type feed struct {
	ID    int64  `json:"id"`
	URL   string `json:"url"`
	Title string `json:"title"`
}

func (s *Store) apiFeeds(w http.ResponseWriter, r *http.Request) {
	rows, err := s.db.QueryContext(r.Context(), "SELECT id, url, title FROM feeds ORDER BY id")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var out []feed
	for rows.Next() {
		var f feed
		rows.Scan(&f.ID, &f.URL, &f.Title)
		out = append(out, f)
	}
	json.NewEncoder(w).Encode(out)
}

func (s *Store) apiCreateFeed(w http.ResponseWriter, r *http.Request) {
	s.db.ExecContext(r.Context(), "INSERT INTO feeds (url, title) VALUES ($1, $2)", r.FormValue("url"), r.FormValue("title"))
}

func (s *Store) apiEntries(w http.ResponseWriter, r *http.Request) {
	rows, err := s.db.QueryContext(r.Context(), "SELECT id, title FROM entries WHERE feed_id = $1 ORDER BY published_at DESC", r.PathValue("id"))
	if err == nil {
		rows.Close()
	}
}
