// Command pgjournal is the HTTP API of a small journaling service on
// PostgreSQL: users write entries, tag them, delete them into tombstones,
// import them in bulk, and a worker claims background jobs.
//
// It is a crudmap sample app (chi v5 + pgx v5's pgxpool, no database/sql):
// the schema is created by Go migration code (migrate.go), not by .sql
// files, and the want comments say what crudmap must report.
package main

import (
	"context"
	"log"
	"net/http"
	"os"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"pgjournal/db"
)

type server struct {
	pool *pgxpool.Pool
	q    *db.Queries
}

func main() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	if err := migrate(ctx, pool); err != nil {
		log.Fatal(err)
	}
	s := &server{pool: pool, q: db.New(pool)}

	r := chi.NewRouter()
	r.Get("/users/by-email", s.userByEmail)      // want "route: GET /users/by-email users:R"
	r.Post("/entries", s.createEntry)            // want "route: POST /entries entries:C"
	r.Get("/entries", s.entriesByID)             // want "route: GET /entries entries:R"
	r.Get("/entries/search", s.searchEntries)    // want "route: GET /entries/search entries:R"
	r.Delete("/entries/{id}", s.deleteEntry)     // want "route: DELETE /entries/{id} entries:D tombstones:C"
	r.Post("/entries/archive", s.archiveEntries) // want "route: POST /entries/archive entries:U"
	r.Post("/entries/{id}/views", s.countView)   // want "route: POST /entries/{id}/views entry_stats:C"
	r.Post("/entries/import", s.importEntries)   // want "route: POST /entries/import entries:C"
	r.Post("/entries/retitle", s.retitleEntries) // want "route: POST /entries/retitle entries:U"
	r.Post("/stats/recount", s.recountViews)     // want "route: POST /stats/recount entries:R entry_stats:U"
	r.Put("/tags/{name}", s.useTag)              // want "route: PUT /tags/{name} tags:CU"
	r.Get("/feed", s.feed)                       // want "route: GET /feed entries:R entry_stats:R"
	r.Get("/stats/daily", s.daily)               // want "route: GET /stats/daily entries:R"
	r.Get("/stats", s.stats)                     // want "route: GET /stats entries:R tombstones:R"
	r.Post("/jobs/claim", s.claimJobs)           // want "route: POST /jobs/claim jobs:RU"
	r.Get("/entries/{id}/cast", s.entryAsText)   // want "route: GET /entries/{id}/cast entries:R"
	r.Get("/users", s.listUsers)                 // want "route: GET /users users:R"
	r.Post("/users/import", s.importUsers)       // want "route: POST /users/import users:C"
	r.Get("/users/{id}", s.getUser)              // want "route: GET /users/{id} users:R"
	r.Put("/users/{id}/name", s.renameUser)      // want "route: PUT /users/{id}/name users:RU"
	r.Get("/users/{id}/profile", s.profile)      // want "route: GET /users/{id}/profile users:R"
	log.Fatal(http.ListenAndServe(":8080", r))
}
