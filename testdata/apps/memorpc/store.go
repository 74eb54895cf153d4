package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"net/http"
	"strconv"
)

// Store runs the SQL; the RPC servers of every protocol call it.
type Store struct {
	db *sql.DB
}

// memo is one row of memos.
type memo struct {
	ID   int64
	Body string
}

func (s *Store) listMemos(ctx context.Context) ([]memo, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, body FROM memos ORDER BY id DESC LIMIT 100")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []memo
	for rows.Next() {
		var m memo
		if err := rows.Scan(&m.ID, &m.Body); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *Store) getMemo(ctx context.Context, id int64) (memo, []string, error) {
	m := memo{ID: id}
	if err := s.db.QueryRowContext(ctx, "SELECT body FROM memos WHERE id = $1", id).Scan(&m.Body); err != nil {
		return m, nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT name FROM tags WHERE memo_id = $1", id)
	if err != nil {
		return m, nil, err
	}
	defer rows.Close()
	var tags []string
	for rows.Next() {
		var t string
		rows.Scan(&t)
		tags = append(tags, t)
	}
	return m, tags, rows.Err()
}

func (s *Store) createMemo(ctx context.Context, body string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, "INSERT INTO memos (owner_id, body) VALUES (0, $1) RETURNING id", body).Scan(&id)
	return id, err
}

func (s *Store) deleteMemo(ctx context.Context, id int64) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM tags WHERE memo_id = $1", id); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, "DELETE FROM memos WHERE id = $1", id)
	return err
}

func (s *Store) listTags(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT DISTINCT name FROM tags ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		rows.Scan(&t)
		out = append(out, t)
	}
	return out, rows.Err()
}

func (s *Store) addTag(ctx context.Context, memoID int64, name string) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO tags (memo_id, name) VALUES ($1, $2)", memoID, name)
	return err
}

// exportCSV is a plain HTTP handler beside the RPC services.
func (s *Store) exportCSV(w http.ResponseWriter, r *http.Request) {
	memos, err := s.listMemos(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	out := csv.NewWriter(w)
	for _, m := range memos {
		out.Write([]string{strconv.FormatInt(m.ID, 10), m.Body})
	}
	out.Flush()
}
