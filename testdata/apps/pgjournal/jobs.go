package main

import (
	"context"
	"net/http"

	"github.com/jackc/pgx/v5"
)

type job struct {
	ID      int64
	Kind    string
	Payload []byte
}

// claimJobs claims queued jobs the way a Postgres work queue does: a
// locking read that skips rows other workers hold, then an UPDATE, in one
// transaction.
func (s *server) claimJobs(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer tx.Rollback(ctx)
	jobs, err := claim(ctx, tx)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err := tx.Commit(ctx); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, jobs)
}

func claim(ctx context.Context, tx pgx.Tx) ([]job, error) {
	rows, err := tx.Query(ctx, `
		SELECT id, kind, payload FROM jobs
		WHERE status = 'queued' AND run_at <= now()
		ORDER BY run_at
		LIMIT 10
		FOR UPDATE SKIP LOCKED`)
	if err != nil {
		return nil, err
	}
	jobs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[job])
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(jobs))
	for i, j := range jobs {
		ids[i] = j.ID
	}
	_, err = tx.Exec(ctx, `UPDATE jobs SET status = 'running' WHERE id = ANY($1)`, ids)
	return jobs, err
}

// stats reads two counts in a transaction that only reads, one through a
// CTE (a name, not a table). tombstones has no index on user_id.
func (s *server) stats(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	uid := userID(r)
	var live, deleted int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { // want "readonly-tx: transaction only reads"
		if err := tx.QueryRow(ctx, `
			WITH live AS (SELECT id FROM entries WHERE user_id = $1 AND deleted_at IS NULL)
			SELECT count(*) FROM live`, uid).Scan(&live); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT count(*) FROM tombstones WHERE user_id = $1`, uid).Scan(&deleted) // want "unindexed: tombstones.user_id" "CREATE INDEX"
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]int64{"live": live, "deleted": deleted})
}
