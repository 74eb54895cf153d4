package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"sync"
)

// getPostHandler is a handler factory: the route's handler is the closure it
// returns. It uses the non-context Query/QueryRow forms and a prepared
// statement that runs once (no loop).
func getPostHandler(db *sql.DB) http.HandlerFunc {
	imageStmt, err := db.Prepare("SELECT path FROM images WHERE post_id = ? ORDER BY id LIMIT 1")
	if err != nil {
		panic(err)
	}
	return func(w http.ResponseWriter, r *http.Request) {
		id, ok := idParam(r, "id")
		if !ok {
			http.NotFound(w, r)
			return
		}
		var p Post
		err := db.QueryRow("SELECT id, user_id, body, visibility, like_count, created_at FROM posts WHERE id = ?", id).
			Scan(&p.ID, &p.UserID, &p.Body, &p.Visibility, &p.LikeCount, &p.CreatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			http.NotFound(w, r)
			return
		} else if err != nil {
			serverError(w, err)
			return
		}
		var path sql.NullString
		if err := imageStmt.QueryRow(p.ID).Scan(&path); err != nil && !errors.Is(err, sql.ErrNoRows) {
			serverError(w, err)
			return
		}
		// One JOIN instead of a user lookup per comment: comments is served by
		// idx_post_created, users by its primary key through the ON column.
		rows, err := db.Query(`
			SELECT c.id, c.body, c.created_at, u.name
			FROM comments c
			JOIN users u ON u.id = c.user_id
			WHERE c.post_id = ?
			ORDER BY c.created_at`, p.ID)
		if err != nil {
			serverError(w, err)
			return
		}
		defer rows.Close()
		type comment struct {
			ID                   int64
			Body, At, AuthorName string
		}
		var cs []comment
		for rows.Next() {
			var c comment
			if err := rows.Scan(&c.ID, &c.Body, &c.At, &c.AuthorName); err != nil {
				serverError(w, err)
				return
			}
			cs = append(cs, c)
		}
		writeJSON(w, http.StatusOK, map[string]any{"post": p, "image": path.String, "comments": cs})
	}
}

// POST /api/posts
func (s *server) createPost(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	body := r.FormValue("body")
	vis := r.FormValue("visibility")
	if vis == "" {
		vis = "public"
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()
	qtx := s.q.WithTx(tx)
	id, err := qtx.InsertPost(ctx, me.ID, body, vis)
	if err != nil {
		serverError(w, err)
		return
	}
	if err := linkTags(ctx, tx, id, hashtags(body)); err != nil {
		serverError(w, err)
		return
	}
	if err := qtx.BumpPostCount(ctx, me.ID); err != nil {
		serverError(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}
	s.fanOut(context.WithoutCancel(ctx), me.ID, id)
	writeJSON(w, http.StatusCreated, map[string]any{"id": id})
}

// linkTags upserts each hashtag and links it: two statements per tag.
func linkTags(ctx context.Context, db dbtx, postID int64, names []string) error {
	for _, name := range names {
		res, err := db.ExecContext(ctx, // want "n+1: INSERT tags; UPDATE tags"
			"INSERT INTO tags (name) VALUES (?) ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)", name)
		if err != nil {
			return err
		}
		tagID, _ := res.LastInsertId()
		if _, err := db.ExecContext(ctx, "INSERT INTO post_tags (post_id, tag_id) VALUES (?, ?)", postID, tagID); err != nil { // want "n+1: INSERT post_tags"
			return err
		}
	}
	return nil
}

// fanOut notifies every follower, one goroutine (and one INSERT) each.
func (s *server) fanOut(ctx context.Context, authorID, postID int64) {
	rows, err := s.db.QueryContext(ctx, "SELECT follower_id FROM follows WHERE followee_id = ?", authorID)
	if err != nil {
		return
	}
	var followers []int64
	for rows.Next() {
		var id int64
		if rows.Scan(&id) == nil {
			followers = append(followers, id)
		}
	}
	rows.Close()
	var wg sync.WaitGroup
	for _, f := range followers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = s.db.ExecContext(ctx, // want "n+1: INSERT notifications"
				"INSERT INTO notifications (user_id, kind, actor_id, post_id) VALUES (?, 'post', ?, ?)", f, authorID, postID)
		}()
	}
	wg.Wait()
}

// notify is called once, from a single goroutine (followUser, likePost,
// addComment): not an N+1.
func (s *server) notify(ctx context.Context, userID int64, kind string, actorID, postID int64) {
	var post sql.NullInt64
	if postID > 0 {
		post = sql.NullInt64{Int64: postID, Valid: true}
	}
	_, _ = s.db.ExecContext(ctx,
		"INSERT INTO notifications (user_id, kind, actor_id, post_id) VALUES (?, ?, ?, ?)", userID, kind, actorID, post)
}

const postsTable = "posts"

// PATCH /api/posts/{id} — the table name comes from a constant through Sprintf.
func (s *server) patchPost(w http.ResponseWriter, r *http.Request) {
	me := currentUser(r.Context())
	id, ok := idParam(r, "id")
	if !ok {
		http.NotFound(w, r)
		return
	}
	q := fmt.Sprintf("UPDATE %s SET body = ? WHERE id = ? AND user_id = ?", postsTable)
	if _, err := s.db.ExecContext(r.Context(), q, r.FormValue("body"), id, me.ID); err != nil {
		serverError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// DELETE /api/posts/{id} — SQL chosen per branch: both variants count.
func (s *server) deletePost(w http.ResponseWriter, r *http.Request) {
	me := currentUser(r.Context())
	id, ok := idParam(r, "id")
	if !ok {
		http.NotFound(w, r)
		return
	}
	var q string
	if r.URL.Query().Get("hard") == "1" {
		q = "DELETE FROM posts WHERE id = ? AND user_id = ?"
	} else {
		q = "UPDATE posts SET visibility = 'private' WHERE id = ? AND user_id = ?"
	}
	if _, err := s.db.ExecContext(r.Context(), q, id, me.ID); err != nil {
		serverError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// POST /api/posts/{id}/like — a locking read and writes in one transaction.
func (s *server) likePost(w http.ResponseWriter, r *http.Request) {
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
	var author int64
	if err := tx.QueryRowContext(ctx, "SELECT user_id FROM posts WHERE id = ? FOR UPDATE", id).Scan(&author); err != nil {
		http.NotFound(w, r)
		return
	}
	res, err := tx.ExecContext(ctx, "INSERT IGNORE INTO likes (post_id, user_id) VALUES (?, ?)", id, me.ID)
	if err != nil {
		serverError(w, err)
		return
	}
	if n, _ := res.RowsAffected(); n == 1 {
		if _, err := tx.ExecContext(ctx, "UPDATE posts SET like_count = like_count + 1 WHERE id = ?", id); err != nil {
			serverError(w, err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}
	go s.notify(context.WithoutCancel(ctx), author, "like", me.ID, id)
	w.WriteHeader(http.StatusNoContent)
}

// DELETE /api/posts/{id}/like
func (s *server) unlikePost(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	id, _ := idParam(r, "id")
	res, err := s.db.ExecContext(ctx, "DELETE FROM likes WHERE post_id = ? AND user_id = ?", id, me.ID)
	if err != nil {
		serverError(w, err)
		return
	}
	if n, _ := res.RowsAffected(); n == 1 {
		_, _ = s.db.ExecContext(ctx, "UPDATE posts SET like_count = like_count - 1 WHERE id = ?", id)
	}
	w.WriteHeader(http.StatusNoContent)
}

// POST /api/posts/{id}/comments
func (s *server) addComment(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	id, _ := idParam(r, "id")
	var author int64
	if err := s.db.QueryRowContext(ctx, "SELECT user_id FROM posts WHERE id = ?", id).Scan(&author); err != nil {
		http.NotFound(w, r)
		return
	}
	var parent sql.NullInt64
	if pid, ok := idParam(r, "parent"); ok {
		parent = sql.NullInt64{Int64: pid, Valid: true}
	}
	if _, err := s.db.ExecContext(ctx,
		"INSERT INTO comments (post_id, user_id, parent_id, body) VALUES (?, ?, ?, ?)",
		id, me.ID, parent, r.FormValue("body")); err != nil {
		serverError(w, err)
		return
	}
	go s.notify(context.WithoutCancel(ctx), author, "reply", me.ID, id)
	w.WriteHeader(http.StatusCreated)
}

// GET /posts/{id}/stats — T1: BeginTx, two plain SELECTs, Commit. The
// transaction buys nothing but a round trip; flag it.
func (s *server) postStats(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, _ := idParam(r, "id")
	tx, err := s.db.BeginTx(ctx, nil) // want "readonly-tx: transaction only reads"
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()
	var likes, comments int
	if err := tx.QueryRowContext(ctx, "SELECT like_count FROM posts WHERE id = ?", id).Scan(&likes); err != nil {
		http.NotFound(w, r)
		return
	}
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM comments WHERE post_id = ?", id).Scan(&comments); err != nil {
		serverError(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"likes": likes, "comments": comments})
}

// GET /api/posts/{id}/export — T3: the post row is locked (FOR UPDATE) so an
// edit cannot land between the two reads. A locking read is not a plain
// read: no readonly-tx finding.
func (s *server) exportPost(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, _ := idParam(r, "id")
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()
	var body string
	if err := tx.QueryRowContext(ctx, "SELECT body FROM posts WHERE id = ? FOR UPDATE", id).Scan(&body); err != nil {
		http.NotFound(w, r)
		return
	}
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM comments WHERE post_id = ?", id).Scan(&n); err != nil {
		serverError(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"body": body, "comments": n})
}

// GET /comments/{id}/ancestors — L8: one SELECT per level of the thread,
// through recursion rather than a loop.
func (s *server) commentAncestors(w http.ResponseWriter, r *http.Request) {
	id, _ := idParam(r, "id")
	var chain []int64
	if err := s.ancestors(r.Context(), id, &chain); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, chain)
}

func (s *server) ancestors(ctx context.Context, id int64, chain *[]int64) error {
	var parent sql.NullInt64
	if err := s.db.QueryRowContext(ctx, "SELECT parent_id FROM comments WHERE id = ?", id).Scan(&parent); err != nil { // want "n+1: SELECT comments" "recursive call"
		return err
	}
	*chain = append(*chain, id)
	if !parent.Valid {
		return nil
	}
	return s.ancestors(ctx, parent.Int64, chain)
}

// GET /api/me/likes — likes is keyed (post_id, user_id): "my likes" uses
// only the second column, so nothing serves it. Then a closure is called once
// per liked post.
func (s *server) myLikes(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	rows, err := s.db.QueryContext(ctx, // want "unindexed: likes.user_id"
		"SELECT post_id FROM likes WHERE user_id = ? ORDER BY created_at DESC LIMIT 50", me.ID)
	if err != nil {
		serverError(w, err)
		return
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err == nil {
			ids = append(ids, id)
		}
	}
	rows.Close()

	loadPost := func(id int64) (Post, error) {
		var p Post
		row := s.db.QueryRowContext(ctx, "SELECT id, user_id, body FROM posts WHERE id = ?", id) // want "n+1: SELECT posts"
		err := row.Scan(&p.ID, &p.UserID, &p.Body)
		return p, err
	}
	posts := make([]Post, 0, len(ids))
	for _, id := range ids {
		p, err := loadPost(id)
		if err != nil {
			continue
		}
		posts = append(posts, p)
	}
	writeJSON(w, http.StatusOK, posts)
}

// PUT /api/drafts/{id} — registered as HandleFunc("PUT /drafts/{id}", ...).
func (s *server) saveDraft(w http.ResponseWriter, r *http.Request) {
	me := currentUser(r.Context())
	id, _ := idParam(r, "id")
	if _, err := s.db.ExecContext(r.Context(), `
		INSERT INTO drafts (id, user_id, body) VALUES (?, ?, ?)
		ON DUPLICATE KEY UPDATE body = VALUES(body)`, id, me.ID, r.FormValue("body")); err != nil {
		serverError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
