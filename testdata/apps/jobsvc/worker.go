package main

import (
	"context"
	"database/sql"
	"log"
	"time"
)

// job is a request to fill a job's items, handed from POST /jobs to the
// workers.
type job struct {
	ID         int64
	ProductIDs []int64
}

// worker takes jobs from a channel until it closes.
type worker struct {
	db *sql.DB
}

// startWorkers starts n workers: the loop starts goroutines, it repeats no
// query per job.
func startWorkers(ctx context.Context, db *sql.DB, n int, jobs <-chan job) {
	for i := 0; i < n; i++ {
		w := &worker{db: db}
		go w.run(jobs)
	}
	go (&worker{db: db}).listen(ctx, make(chan int64))
}

// run is the per-job loop: a query here runs once per job.
func (w *worker) run(jobs <-chan job) {
	for j := range jobs {
		if err := w.handle(j); err != nil {
			log.Printf("job %d: %v", j.ID, err)
		}
	}
}

func (w *worker) handle(j job) error {
	if _, err := w.db.Exec("UPDATE jobs SET status = 'running' WHERE id = ?", j.ID); err != nil { // want "n+1: UPDATE jobs runs once per job of the loop at worker.go:34:2 (off the request path; via worker.handle)"
		return err
	}
	for _, id := range j.ProductIDs {
		if _, err := w.db.Exec("INSERT INTO job_items (job_id, product_id) VALUES (?, ?)", j.ID, id); err != nil { // want "n+1: INSERT job_items runs once per iteration of the loop at worker.go:45:2 (off the request path)"
			return err
		}
	}
	_, err := w.db.Exec("UPDATE jobs SET status = 'done' WHERE id = ?", j.ID) // want "n+1: UPDATE jobs runs once per job of the loop at worker.go:34:2 (off the request path; via worker.handle)"
	return err
}

// listen ends users' sessions as their ids arrive, until ctx ends: one
// statement per job. Every minute it also expires old sessions: that
// statement runs once per tick, not per job.
func (w *worker) listen(ctx context.Context, logouts <-chan int64) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case userID := <-logouts:
			if _, err := w.db.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil { // want "n+1: DELETE sessions runs once per job of the loop at worker.go:60:2 (off the request path)"
				log.Print(err)
			}
		case <-t.C:
			if _, err := w.db.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at < ?", time.Now().Unix()); err != nil {
				log.Print(err)
			}
		}
	}
}
