// Command litemarks is a bookmarking service on SQLite: users save links,
// tag them, visit them and export them.
//
// It is a crudmap sample app (net/http with Go 1.22 patterns +
// database/sql + modernc.org/sqlite). The schema is the migration set in
// migrations/, applied in version order by golang-migrate at deploy time:
// the .up.sql files create and then grow the tables (ADD COLUMN, CREATE
// INDEX), the .down.sql files undo them and are not the schema. The want
// comments say what crudmap must report.
package main

import (
	"database/sql"
	"log"
	"net/http"

	_ "modernc.org/sqlite"
)

type app struct {
	db *sql.DB
}

func main() {
	db, err := sql.Open("sqlite", "file:litemarks.db?_pragma=foreign_keys(1)")
	if err != nil {
		log.Fatal(err)
	}
	a := &app{db: db}

	mux := http.NewServeMux()
	mux.HandleFunc("POST /users", a.signUp)                   // want "route: POST /users users:C"
	mux.HandleFunc("POST /login", a.login)                    // want "route: POST /login users:CU"
	mux.HandleFunc("POST /bookmarks", a.addBookmark)          // want "route: POST /bookmarks bookmarks:C"
	mux.HandleFunc("GET /bookmarks", a.listBookmarks)         // want "route: GET /bookmarks bookmarks:R tags:R"
	mux.HandleFunc("PUT /bookmarks/{id}/tags", a.tagBookmark) // want "route: PUT /bookmarks/{id}/tags tags:C"
	mux.HandleFunc("POST /bookmarks/{id}/visit", a.visit)     // want "route: POST /bookmarks/{id}/visit bookmarks:U visits:C"
	mux.HandleFunc("GET /bookmarks/{id}/visits", a.visits)    // want "route: GET /bookmarks/{id}/visits visits:R"
	mux.HandleFunc("POST /bookmarks/{id}/archive", a.archive) // want "route: POST /bookmarks/{id}/archive bookmarks:U"
	mux.HandleFunc("GET /tags/{tag}", a.byTag)                // want "route: GET /tags/{tag} bookmarks:R tags:R"
	mux.HandleFunc("GET /export", a.export)                   // want "route: GET /export bookmarks:R users:R"
	mux.HandleFunc("DELETE /bookmarks/stale", a.deleteStale)  // want "route: DELETE /bookmarks/stale bookmarks:D"
	log.Fatal(http.ListenAndServe(":8080", mux))
}
