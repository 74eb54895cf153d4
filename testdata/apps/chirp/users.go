package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
)

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func hashPassword(pw string) []byte {
	h := sha256.Sum256([]byte("chirp:" + pw))
	return h[:]
}

// POST /login — plain Query/Exec without context, on purpose.
func (s *server) login(w http.ResponseWriter, r *http.Request) {
	name, pw := r.FormValue("name"), r.FormValue("password")
	var id int64
	var hash []byte
	err := s.db.QueryRow("SELECT id, password_hash FROM users WHERE name = ?", name).Scan(&id, &hash)
	if err != nil || string(hash) != string(hashPassword(pw)) {
		http.Error(w, "bad credentials", http.StatusUnauthorized)
		return
	}
	token := newToken()
	if _, err := s.db.Exec("INSERT INTO sessions (token, user_id, expires_at) VALUES (?, ?, ?)",
		token, id, time.Now().Add(24*time.Hour)); err != nil {
		serverError(w, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "chirp_session", Value: token, Path: "/", HttpOnly: true})
	writeJSON(w, http.StatusOK, map[string]any{"id": id})
}

// POST /register
func (s *server) register(w http.ResponseWriter, r *http.Request) {
	res, err := s.db.ExecContext(r.Context(),
		"INSERT INTO users (name, display_name, email, password_hash) VALUES (?, ?, ?, ?)",
		r.FormValue("name"), r.FormValue("display_name"), r.FormValue("email"), hashPassword(r.FormValue("password")))
	if err != nil {
		http.Error(w, "name or email taken", http.StatusConflict)
		return
	}
	id, _ := res.LastInsertId()
	// INSERT IGNORE is still just an insert.
	if _, err := s.db.ExecContext(r.Context(), "INSERT IGNORE INTO user_stats (user_id) VALUES (?)", id); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id})
}

// GET /me (r.With(s.authMW))
func (s *server) me(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r.Context())
	var posts, followers int
	err := s.db.QueryRowContext(r.Context(),
		"SELECT post_count, follower_count FROM user_stats WHERE user_id = ?", u.ID).Scan(&posts, &followers)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u, "posts": posts, "followers": followers})
}

// PUT /api/me/bio
func (s *server) updateBio(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r.Context())
	if _, err := s.db.ExecContext(r.Context(), "UPDATE users SET bio = ? WHERE id = ?", r.FormValue("bio"), u.ID); err != nil {
		serverError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// GET /users/{name} — the public profile. The profile's posts are all by the
// same author, and fillPost still looks the author up once per post (N+1
// through fillPost → fillAuthor → Querier.GetUser).
func (s *server) getUserByName(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, err := s.store.GetUserByName(ctx, chi.URLParam(r, "name"))
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	} else if err != nil {
		serverError(w, err)
		return
	}
	posts, err := s.store.ListPostsByUser(ctx, u.ID, 20)
	if err != nil {
		serverError(w, err)
		return
	}
	for i := range posts {
		if err := s.fillPost(ctx, &posts[i]); err != nil {
			serverError(w, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u, "posts": posts})
}

// GET /api/users/{id}/card — T2: the transaction is handed to loadCard as a
// dbtx, loadCard hands it to loadCounts, and nothing on the way writes.
func (s *server) profileCard(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		http.NotFound(w, r)
		return
	}
	tx, err := s.db.Begin() // want "readonly-tx: transaction only reads"
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()
	card, err := loadCard(r.Context(), tx, id)
	if err != nil {
		serverError(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, card)
}

// GET /api/users/{id}/summary: the generated queries run on the
// transaction through WithTx, and they only read.
func (s *server) userSummary(w http.ResponseWriter, r *http.Request) {
	id, ok := idParam(r, "id")
	if !ok {
		http.NotFound(w, r)
		return
	}
	ctx := r.Context()
	tx, err := s.db.BeginTx(ctx, nil) // want "readonly-tx: transaction only reads"
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()
	qtx := s.q.WithTx(tx)
	u, err := qtx.GetUser(ctx, id)
	if err != nil {
		serverError(w, err)
		return
	}
	posts, err := qtx.ListPostsByUser(ctx, id, 10)
	if err != nil {
		serverError(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": u, "posts": posts})
}

type profileCard struct {
	Name      string
	Posts     int
	Followers int
}

func loadCard(ctx context.Context, db dbtx, id int64) (*profileCard, error) {
	c := &profileCard{}
	if err := db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = ?", id).Scan(&c.Name); err != nil {
		return nil, err
	}
	if err := loadCounts(ctx, db, id, c); err != nil {
		return nil, err
	}
	return c, nil
}

func loadCounts(ctx context.Context, db dbtx, id int64, c *profileCard) error {
	return db.QueryRowContext(ctx,
		"SELECT post_count, follower_count FROM user_stats WHERE user_id = ?", id).Scan(&c.Posts, &c.Followers)
}

// POST /api/users/{id}/follow
func (s *server) followUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	id, ok := idParam(r, "id")
	if !ok || id == me.ID {
		http.Error(w, "bad user", http.StatusBadRequest)
		return
	}
	if _, err := s.db.ExecContext(ctx, "INSERT INTO follows (follower_id, followee_id) VALUES (?, ?)", me.ID, id); err != nil {
		http.Error(w, "already following", http.StatusConflict)
		return
	}
	// ON DUPLICATE KEY UPDATE: user_stats gets C and U.
	if _, err := s.db.ExecContext(ctx, `
		INSERT INTO user_stats (user_id, follower_count) VALUES (?, 1)
		ON DUPLICATE KEY UPDATE follower_count = follower_count + 1`, id); err != nil {
		serverError(w, err)
		return
	}
	// One goroutine, not one per element: not an N+1.
	go s.notify(context.WithoutCancel(ctx), id, "follow", me.ID, 0)
	w.WriteHeader(http.StatusNoContent)
}

// DELETE /api/users/{id}/follow — Tx writes on the normal path.
func (s *server) unfollowUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	id, ok := idParam(r, "id")
	if !ok {
		http.NotFound(w, r)
		return
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "DELETE FROM follows WHERE follower_id = ? AND followee_id = ?", me.ID, id)
	if err != nil {
		serverError(w, err)
		return
	}
	if n, _ := res.RowsAffected(); n == 1 {
		if _, err := tx.ExecContext(ctx,
			"UPDATE user_stats SET follower_count = follower_count - 1 WHERE user_id = ?", id); err != nil {
			serverError(w, err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// GET /api/suggestions — "people you may know": a prepared statement run
// in a three-clause loop. The stmt call is where the query runs.
func (s *server) suggestions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	// follows of my follows: follows is read by follower_id (PK) and by
	// followee_id (idx_followee) — both sides served.
	rows, err := s.db.QueryContext(ctx, `
		SELECT DISTINCT f2.followee_id
		FROM follows f1
		JOIN follows f2 ON f2.follower_id = f1.followee_id
		WHERE f1.follower_id = ?
		  AND f2.followee_id NOT IN (SELECT followee_id FROM follows WHERE follower_id = ?)
		LIMIT 50`, me.ID, me.ID)
	if err != nil {
		serverError(w, err)
		return
	}
	var cands []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			serverError(w, err)
			return
		}
		cands = append(cands, id)
	}
	rows.Close()

	stmt, err := s.db.PrepareContext(ctx, "SELECT COUNT(*) FROM follows WHERE followee_id = ?")
	if err != nil {
		serverError(w, err)
		return
	}
	defer stmt.Close()
	type cand struct {
		ID        int64
		Followers int
	}
	out := make([]cand, 0, len(cands))
	for i := 0; i < len(cands); i++ {
		var n int
		if err := stmt.QueryRowContext(ctx, cands[i]).Scan(&n); err != nil { // want "n+1: SELECT follows"
			serverError(w, err)
			return
		}
		out = append(out, cand{cands[i], n})
	}
	writeJSON(w, http.StatusOK, out)
}
