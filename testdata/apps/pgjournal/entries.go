package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
)

type entry struct {
	ID    int64    `json:"id"`
	Title string   `json:"title"`
	Tags  []string `json:"tags,omitempty"`
	Views int64    `json:"views,omitempty"`
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func userID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.Header.Get("X-User"), 10, 64)
	return id
}

// userByEmail is served by the expression index on lower(email).
func (s *server) userByEmail(w http.ResponseWriter, r *http.Request) {
	var id int64
	var name string
	err := s.pool.QueryRow(r.Context(), `SELECT id, name FROM users WHERE lower(email) = lower($1)`, r.URL.Query().Get("email")).Scan(&id, &name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	writeJSON(w, map[string]any{"id": id, "name": name})
}

// createEntry inserts with a cast and RETURNING.
func (s *server) createEntry(w http.ResponseWriter, r *http.Request) {
	var in entry
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	err := s.pool.QueryRow(r.Context(),
		`INSERT INTO entries (user_id, title, tags) VALUES ($1, $2, $3::text[]) RETURNING id`,
		userID(r), in.Title, in.Tags).Scan(&in.ID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, in)
}

// entriesByID reads a list of ids with = ANY($1), on the primary key.
func (s *server) entriesByID(w http.ResponseWriter, r *http.Request) {
	var ids []int64
	for _, p := range strings.Split(r.URL.Query().Get("ids"), ",") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	rows, err := s.pool.Query(r.Context(), `SELECT id, title FROM entries WHERE id = ANY($1) AND deleted_at IS NULL`, ids)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[entry])
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, out)
}

// searchEntries uses ILIKE on the user's live entries: the partial index
// (user_id, created_at) WHERE deleted_at IS NULL serves it.
func (s *server) searchEntries(w http.ResponseWriter, r *http.Request) {
	rows, err := s.pool.Query(r.Context(), `
		SELECT id, title
		FROM entries
		WHERE user_id = $1 AND deleted_at IS NULL AND title ILIKE '%' || $2 || '%'
		ORDER BY created_at DESC
		LIMIT 20`, userID(r), r.URL.Query().Get("q"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	out, _ := pgx.CollectRows(rows, pgx.RowToStructByPos[entry])
	writeJSON(w, out)
}

// deleteEntry moves an entry to tombstones in one statement: a
// data-modifying CTE deletes from entries, the INSERT writes tombstones.
func (s *server) deleteEntry(w http.ResponseWriter, r *http.Request) {
	_, err := s.pool.Exec(r.Context(), `
		WITH deleted AS (
			DELETE FROM entries WHERE id = $1 AND user_id = $2 RETURNING id, user_id
		)
		INSERT INTO tombstones (entry_id, user_id)
		SELECT id, user_id FROM deleted`, chi.URLParam(r, "id"), userID(r))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// archiveEntries updates in a CTE and counts what it updated, in a
// transaction: its one statement is a SELECT that writes, so the
// transaction is not read-only.
func (s *server) archiveEntries(w http.ResponseWriter, r *http.Request) {
	var n int64
	ctx := r.Context()
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			WITH updated AS (
				UPDATE entries SET archived = true
				WHERE user_id = $1 AND created_at < now() - INTERVAL '30 days'
				RETURNING id
			)
			SELECT count(*) FROM updated`, userID(r)).Scan(&n)
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]int64{"archived": n})
}

// countView counts a first view: ON CONFLICT DO NOTHING.
func (s *server) countView(w http.ResponseWriter, r *http.Request) {
	_, err := s.pool.Exec(r.Context(), `INSERT INTO entry_stats (entry_id, views) VALUES ($1, 1) ON CONFLICT DO NOTHING`, chi.URLParam(r, "id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// useTag counts a tag's uses: ON CONFLICT DO UPDATE.
func (s *server) useTag(w http.ResponseWriter, r *http.Request) {
	_, err := s.pool.Exec(r.Context(), `
		INSERT INTO tags (name, uses) VALUES ($1, 1)
		ON CONFLICT (name) DO UPDATE SET uses = tags.uses + EXCLUDED.uses`, chi.URLParam(r, "name"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// importEntries copies rows into entries with CopyFrom.
func (s *server) importEntries(w http.ResponseWriter, r *http.Request) {
	var in []entry
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	uid := userID(r)
	n, err := s.pool.CopyFrom(r.Context(), pgx.Identifier{"entries"}, []string{"user_id", "title", "tags"},
		pgx.CopyFromSlice(len(in), func(i int) ([]any, error) {
			return []any{uid, in[i].Title, in[i].Tags}, nil
		}))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]int64{"imported": n})
}

// retitleEntries queues one UPDATE per entry in a batch, sent in one
// round trip: not an N+1.
func (s *server) retitleEntries(w http.ResponseWriter, r *http.Request) {
	var in []entry
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	batch := &pgx.Batch{}
	for _, e := range in {
		batch.Queue(`UPDATE entries SET title = $1 WHERE id = $2 AND user_id = $3`, e.Title, e.ID, userID(r))
	}
	if err := s.pool.SendBatch(r.Context(), batch).Close(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// recountViews is an UPDATE ... FROM another table.
func (s *server) recountViews(w http.ResponseWriter, r *http.Request) {
	_, err := s.pool.Exec(r.Context(), `
		UPDATE entry_stats SET views = entry_stats.views + 1
		FROM entries
		WHERE entries.id = entry_stats.entry_id AND entries.user_id = $1`, userID(r))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// feed lists the user's entries, then reads each one's views: an N+1.
func (s *server) feed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rows, err := s.pool.Query(ctx, `SELECT id, title FROM entries WHERE user_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 50`, userID(r))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[entry])
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for i := range out {
		out[i].Views = s.views(ctx, out[i].ID)
	}
	writeJSON(w, out)
}

func (s *server) views(ctx context.Context, entryID int64) int64 {
	var n int64
	_ = s.pool.QueryRow(ctx, `SELECT views FROM entry_stats WHERE entry_id = $1`, entryID).Scan(&n) // want "n+1: SELECT entry_stats"
	return n
}

// entryAsText casts in the select list and in the predicate.
func (s *server) entryAsText(w http.ResponseWriter, r *http.Request) {
	var title string
	var created string
	err := s.pool.QueryRow(r.Context(), `SELECT title::text, created_at::date::text FROM entries WHERE id = $1::bigint`, chi.URLParam(r, "id")).Scan(&title, &created)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	writeJSON(w, map[string]string{"title": title, "created": created})
}

// daily counts the user's entries per day of the last week: a series of
// days from generate_series (a function, not a table), dates in UTC.
func (s *server) daily(w http.ResponseWriter, r *http.Request) {
	rows, err := s.pool.Query(r.Context(), `
		SELECT d::date AS day, count(e.id)
		FROM generate_series(now() - INTERVAL '6 days', now(), INTERVAL '1 day') AS d
		LEFT JOIN entries e
			ON e.user_id = $1 AND (e.created_at AT TIME ZONE 'UTC')::date = d::date
		GROUP BY d
		ORDER BY d`, userID(r))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var day string
		var n int64
		if rows.Scan(&day, &n) == nil {
			out[day] = n
		}
	}
	writeJSON(w, out)
}
