// Command jobsvc is a product catalog with a job queue, a crudmap sample
// app for code that runs outside requests: start-up code (migrations,
// configuration, route registration, generated RPC setup) that runs once
// per process, a worker pool whose loop runs once per job, and tickers.
// Only the request paths and the workers' per-element loops carry N+1
// findings.
package main

import (
	"context"
	"database/sql"
	"log"
	"net"
	"net/http"
	"os"

	"jobsvc/gen/catalogv1connect"
)

func main() {
	db, err := sql.Open("sqlite", os.Getenv("JOBSVC_DB"))
	if err != nil {
		log.Fatal(err)
	}
	if err := migrate(db); err != nil {
		log.Fatal(err)
	}
	if err := applyDataMigrations(db); err != nil {
		log.Fatal(err)
	}
	if err := applyStoreMigrations(sqlStore{db: db}); err != nil {
		log.Fatal(err)
	}
	cfg, err := loadConfig(db)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	jobs := make(chan job, 64)
	startWorkers(ctx, db, cfg.workers, jobs)
	go (&janitor{db: db}).run(ctx)
	go (&janitor{db: db}).refreshLoop(ctx)
	go (&janitor{db: db}).tickStats(ctx)
	go (&poller{db: db}).run(ctx)
	if ln, err := net.Listen("tcp", ":8081"); err == nil {
		go serveStatus(db, ln)
	}

	s := &server{db: db, jobs: jobs}
	mux := http.NewServeMux()
	s.register(mux)
	path, h := catalogv1connect.NewCatalogServiceHandler(&catalogService{db: db})
	mux.Handle(path, h)
	log.Fatal(http.ListenAndServe(cfg.addr, mux))
}
