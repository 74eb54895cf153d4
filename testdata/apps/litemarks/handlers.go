package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strconv"
)

type bookmark struct {
	ID     int64    `json:"id"`
	URL    string   `json:"url"`
	Title  string   `json:"title"`
	Visits int64    `json:"visits"`
	Tags   []string `json:"tags,omitempty"`
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func userID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.Header.Get("X-User"), 10, 64)
	return id
}

// signUp ignores a second sign-up with the same address.
func (a *app) signUp(w http.ResponseWriter, r *http.Request) {
	if _, err := a.db.ExecContext(r.Context(), `INSERT OR IGNORE INTO users (email) VALUES (?)`, r.FormValue("email")); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// login records the last login, creating the user on first sight: an
// upsert on the UNIQUE email, setting a column a later migration added.
func (a *app) login(w http.ResponseWriter, r *http.Request) {
	_, err := a.db.ExecContext(r.Context(), `
		INSERT INTO users (email, last_seen) VALUES (?, datetime('now'))
		ON CONFLICT (email) DO UPDATE SET last_seen = excluded.last_seen`, r.FormValue("email"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// addBookmark inserts and reads the new id back with RETURNING.
func (a *app) addBookmark(w http.ResponseWriter, r *http.Request) {
	var b bookmark
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	err := a.db.QueryRowContext(r.Context(), `INSERT INTO bookmarks (user_id, url, title) VALUES (?, ?, ?) RETURNING id`,
		userID(r), b.URL, b.Title).Scan(&b.ID)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, b)
}

// listBookmarks lists the user's live bookmarks, served by the index of
// the second migration, then reads each one's tags: an N+1.
func (a *app) listBookmarks(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rows, err := a.db.QueryContext(ctx, `
		SELECT id, url, title, visits FROM bookmarks
		WHERE user_id = ? AND archived_at IS NULL
		ORDER BY created_at DESC LIMIT 50`, userID(r))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var out []bookmark
	for rows.Next() {
		var b bookmark
		if err := rows.Scan(&b.ID, &b.URL, &b.Title, &b.Visits); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		b.Tags = a.tagsOf(ctx, b.ID)
		out = append(out, b)
	}
	writeJSON(w, out)
}

func (a *app) tagsOf(ctx context.Context, id int64) []string {
	rows, err := a.db.QueryContext(ctx, `SELECT tag FROM tags WHERE bookmark_id = ? ORDER BY tag`, id) // want "n+1: SELECT tags"
	if err != nil {
		return nil
	}
	defer rows.Close()
	var tags []string
	for rows.Next() {
		var t string
		if rows.Scan(&t) == nil {
			tags = append(tags, t)
		}
	}
	return tags
}

// tagBookmark adds the tags of a JSON array in one statement: json_each
// is a table-valued function, not a table.
func (a *app) tagBookmark(w http.ResponseWriter, r *http.Request) {
	tags, _ := json.Marshal(r.Form["tag"])
	_, err := a.db.ExecContext(r.Context(), `
		INSERT INTO tags (bookmark_id, tag)
		SELECT ?, value FROM json_each(?)
		WHERE true
		ON CONFLICT (bookmark_id, tag) DO NOTHING`, r.PathValue("id"), string(tags))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// visit records a visit and counts it, in one transaction.
func (a *app) visit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()
	id := r.PathValue("id")
	if _, err := tx.ExecContext(ctx, `INSERT INTO visits (bookmark_id, visited_at) VALUES (?, datetime('now'))`, id); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if _, err := tx.ExecContext(ctx, `UPDATE bookmarks SET visits = visits + 1 WHERE id = ?`, id); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_ = tx.Commit()
}

// visits lists a bookmark's visits: no index serves visits.bookmark_id.
func (a *app) visits(w http.ResponseWriter, r *http.Request) {
	rows, err := a.db.QueryContext(r.Context(), `SELECT visited_at FROM visits WHERE bookmark_id = ? ORDER BY visited_at DESC`, r.PathValue("id")) // want "unindexed: visits.bookmark_id" "CREATE INDEX"
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if rows.Scan(&t) == nil {
			out = append(out, t)
		}
	}
	writeJSON(w, out)
}

// archive sets a column the second migration added.
func (a *app) archive(w http.ResponseWriter, r *http.Request) {
	_, err := a.db.ExecContext(r.Context(), `UPDATE bookmarks SET archived_at = datetime('now') WHERE id = ? AND user_id = ?`, r.PathValue("id"), userID(r))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// byTag finds bookmarks by tag through the index of the third migration
// (its down file drops it again: not the schema).
func (a *app) byTag(w http.ResponseWriter, r *http.Request) {
	rows, err := a.db.QueryContext(r.Context(), `
		SELECT b.id, b.url, b.title, b.visits
		FROM bookmarks b JOIN tags t ON t.bookmark_id = b.id
		WHERE t.tag = ?`, r.PathValue("tag"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var out []bookmark
	for rows.Next() {
		var b bookmark
		if rows.Scan(&b.ID, &b.URL, &b.Title, &b.Visits) == nil {
			out = append(out, b)
		}
	}
	writeJSON(w, out)
}

// export reads the user and the bookmarks in one read-only snapshot.
func (a *app) export(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tx, err := a.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // want "readonly-tx: read-only transaction"
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()
	var email string
	if err := tx.QueryRowContext(ctx, `SELECT email FROM users WHERE id = ?`, userID(r)).Scan(&email); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	var n int64
	_ = tx.QueryRowContext(ctx, `SELECT count(*) FROM bookmarks WHERE user_id = ?`, userID(r)).Scan(&n)
	_ = tx.Commit()
	writeJSON(w, map[string]any{"email": email, "bookmarks": n})
}

// deleteStale deletes archived bookmarks older than 90 days for the user.
func (a *app) deleteStale(w http.ResponseWriter, r *http.Request) {
	_, err := a.db.ExecContext(r.Context(), `
		DELETE FROM bookmarks
		WHERE user_id = ? AND archived_at IS NOT NULL AND archived_at < datetime('now', '-90 days')`, userID(r))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
