package main

import (
	"context"
	"database/sql"
	"log"
	"time"
)

// janitor runs periodic maintenance. Its timer loops run their queries once
// per tick: no N+1, and no "run it once" hint.
type janitor struct {
	db *sql.DB
}

// run expires sessions every minute.
func (j *janitor) run(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for range t.C {
		if _, err := j.db.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at < ?", time.Now().Unix()); err != nil {
			log.Print(err)
		}
	}
}

// refreshLoop recounts the products of every category every hour: the
// loop over categories inside the tick is an N+1, off the request path.
func (j *janitor) refreshLoop(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			j.refreshCounts(ctx)
		}
	}
}

func (j *janitor) refreshCounts(ctx context.Context) {
	rows, err := j.db.QueryContext(ctx, "SELECT id FROM categories")
	if err != nil {
		return
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if rows.Scan(&id) != nil {
			return
		}
		if _, err := j.db.ExecContext(ctx, "UPDATE categories SET product_count = (SELECT COUNT(*) FROM products WHERE category_id = ?) WHERE id = ?", id, id); err != nil { // want "n+1: SELECT products; UPDATE categories runs once per iteration of the loop at janitor.go:48:2 (off the request path)"
			log.Print(err)
		}
	}
}

// tickStats counts the jobs every 30 seconds with time.Tick and a bare
// receive: once per tick.
func (j *janitor) tickStats(ctx context.Context) {
	for now := range time.Tick(30 * time.Second) {
		if _, err := j.db.ExecContext(ctx, "INSERT OR REPLACE INTO stats (name, value) SELECT 'jobs', COUNT(*) FROM jobs WHERE created_at < ?", now.Unix()); err != nil {
			log.Print(err)
		}
	}
	for {
		<-time.After(time.Minute)
		var n int
		if err := j.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM job_items").Scan(&n); err == nil {
			log.Printf("%d job items", n)
		}
	}
}
