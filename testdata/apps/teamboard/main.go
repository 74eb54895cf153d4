// Command teamboard is a small project and task tracker on gorilla/mux
// and Postgres, a crudmap sample app: nested subrouters, StrictSlash,
// subrouter middleware (api.Use) and a session middleware wrapping the
// whole router, whose session reads and writes belong to every route.
package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"

	_ "github.com/lib/pq"
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
	log.Fatal(http.ListenAndServe(":8080", a.sessions(csrf(r))))
}
