// Command stdmux is a small classifieds board on net/http's ServeMux and
// SQLite, a crudmap sample app. The driver is registered by the deployment
// (a pure-Go "sqlite" driver); the app itself imports only database/sql.
package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"
)

// db is the package-level handle every handler uses.
var db *sql.DB

func main() {
	path := os.Getenv("STDMUX_DB")
	if path == "" {
		path = "file:stdmux.db?_pragma=busy_timeout(5000)"
	}
	var err error
	db, err = sql.Open("sqlite", path)
	if err != nil {
		log.Fatal(err)
	}

	// Debug endpoints on the default mux, served on a second port.
	http.HandleFunc("/debug/dbstats", debugDBStats) // want "route: ANY /debug/dbstats sessions:R"
	go func() { log.Println(http.ListenAndServe("127.0.0.1:6060", nil)) }()

	log.Fatal(http.ListenAndServe(":8080", newMux()))
}

func newMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /initialize", initialize)                         // want "route: POST /initialize item_views:D sessions:D"
	mux.HandleFunc("GET /users/{id}", getUser)                             // want "route: GET /users/{id} items:R users:R"
	mux.HandleFunc("POST /users", createUser)                              // want "route: POST /users users:C"
	mux.Handle("/items", http.HandlerFunc(listItems))                      // want "route: ANY /items items:R users:R"
	mux.Handle("POST /items", auth(http.HandlerFunc(createItem)))          // want "route: POST /items items:C sessions:R users:R"
	mux.Handle("/me/items", auth(http.HandlerFunc(myItems)))               // want "route: ANY /me/items items:R sessions:R users:R"
	mux.HandleFunc("GET /items/{id}", getItem)                             // want "route: GET /items/{id} item_views:C items:R"
	mux.Handle("DELETE /items/{id}", auth(http.HandlerFunc(deleteItem)))   // want "route: DELETE /items/{id} item_views:D items:D sessions:R users:R"
	mux.HandleFunc("GET /search", search)                                  // want "route: GET /search items:R"
	mux.HandleFunc("GET /popular", popular)                                // want "route: GET /popular item_views:R items:R"
	mux.HandleFunc("GET /categories/{id}/path", categoryPath)              // want "route: GET /categories/{id}/path categories:R"
	mux.Handle("PUT /settings/{name}", auth(http.HandlerFunc(putSetting))) // want "route: PUT /settings/{name} sessions:R settings:CD users:R"
	mux.Handle("/stats", &statsHandler{db: db})                            // want "route: ANY /stats items:R users:R"
	return mux
}
