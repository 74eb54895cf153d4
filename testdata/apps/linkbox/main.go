// Command linkbox is a link shortener on julienschmidt/httprouter, a
// router crudmap does not read, and a hand-written switch on r.URL.Path,
// a crudmap sample app: its handlers are still entry points, listed by
// name.
package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"

	"github.com/julienschmidt/httprouter"
	_ "github.com/lib/pq"
)

type server struct {
	db *sql.DB
}

func main() {
	db, err := sql.Open("postgres", "dbname=linkbox")
	if err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	router := httprouter.New()
	router.GET("/links", s.listLinks)
	router.POST("/links", s.createLink)
	router.GET("/l/:id", s.follow)
	router.Handler("GET", "/healthz", http.HandlerFunc(healthz))
	router.NotFound = &legacy{db: db}
	log.Fatal(http.ListenAndServe(":8080", router))
}

func (s *server) listLinks(w http.ResponseWriter, r *http.Request, _ httprouter.Params) { // want "route: ANY {handler main.server.listLinks} links:R tags:R"
	rows, err := s.db.QueryContext(r.Context(), "SELECT l.id, l.url, l.title FROM links l ORDER BY l.id DESC LIMIT 50")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	type link struct {
		ID         int64
		URL, Title string
		Tags       []string
	}
	var out []link
	for rows.Next() {
		var l link
		rows.Scan(&l.ID, &l.URL, &l.Title)
		out = append(out, l)
	}
	tags, _ := s.db.QueryContext(r.Context(), "SELECT link_id, name FROM tags WHERE link_id >= $1", 0)
	tags.Close()
	json.NewEncoder(w).Encode(out)
}

func (s *server) createLink(w http.ResponseWriter, r *http.Request, _ httprouter.Params) { // want "route: ANY {handler main.server.createLink} links:C"
	_, err := s.db.ExecContext(r.Context(), "INSERT INTO links (url, title, created_at) VALUES ($1, $2, now())", r.FormValue("url"), r.FormValue("title"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
	}
}

func (s *server) follow(w http.ResponseWriter, r *http.Request, ps httprouter.Params) { // want "route: ANY {handler main.server.follow} clicks:C links:R"
	var url string
	if err := s.db.QueryRowContext(r.Context(), "SELECT url FROM links WHERE id = $1", ps.ByName("id")).Scan(&url); err != nil {
		http.NotFound(w, r)
		return
	}
	s.db.ExecContext(r.Context(), "INSERT INTO clicks (link_id, at) VALUES ($1, now())", ps.ByName("id"))
	http.Redirect(w, r, url, http.StatusFound)
}

// healthz runs no SQL: it is no entry point.
func healthz(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte("ok"))
}
