// Command worker is the nightly batch job of stdmux. It is a second main
// package in the module: it runs queries but registers no HTTP route, so
// crudmap must list no route for it and must not add its tables to the
// server's routes. Its statements are all served by an index or are
// deliberate whole-table statements, so they carry no finding either.
package main

import (
	"context"
	"database/sql"
	"log"
	"os"
	"time"
)

type job struct {
	db *sql.DB
}

func main() {
	db, err := sql.Open("sqlite", os.Getenv("STDMUX_DB"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	j := &job{db: db}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := j.run(ctx); err != nil {
		log.Fatal(err)
	}
}

func (j *job) run(ctx context.Context) error {
	// A whole-table DELETE by design: item_views older data is rolled up
	// elsewhere; no predicate, no index finding.
	if _, err := j.db.ExecContext(ctx, "DELETE FROM item_views"); err != nil {
		return err
	}
	var users int
	if err := j.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&users); err != nil {
		return err
	}
	_, err := j.db.ExecContext(ctx,
		"INSERT OR REPLACE INTO settings (user_id, name, value) VALUES (0, 'last_worker_run', ?1)",
		time.Now().UTC().Format(time.RFC3339))
	log.Printf("worker: %d users", users)
	return err
}
