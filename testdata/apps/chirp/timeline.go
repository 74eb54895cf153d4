package main

import (
	"context"
	"iter"
	"net/http"

	"github.com/go-chi/chi/v5"
	"golang.org/x/sync/errgroup"
)

// GET /api/timeline — the home timeline, with every classic N+1 in it.
func (s *server) timeline(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	// follows is served by its primary key (follower_id leads), posts by
	// idx_user_created through the ON column.
	rows, err := s.db.QueryContext(ctx, `
		SELECT p.id, p.user_id, p.body, p.visibility, p.like_count, p.created_at
		FROM posts AS p
		INNER JOIN follows AS f ON f.followee_id = p.user_id
		WHERE f.follower_id = ?
		ORDER BY p.created_at DESC
		LIMIT 50`, me.ID)
	if err != nil {
		serverError(w, err)
		return
	}
	var posts []Post
	for rows.Next() {
		var p Post
		if err := rows.Scan(&p.ID, &p.UserID, &p.Body, &p.Visibility, &p.LikeCount, &p.CreatedAt); err != nil {
			rows.Close()
			serverError(w, err)
			return
		}
		posts = append(posts, p)
	}
	rows.Close()

	// L1 + L2: fillPost → fillAuthor → Querier.GetUser, and fillPost → loadTags.
	for i := range posts {
		if err := s.fillPost(ctx, &posts[i]); err != nil {
			serverError(w, err)
			return
		}
	}
	// L1 through an interface method: Querier.CountLikes on each post
	// (like_count is right there in the row; the count is a second opinion).
	for i, p := range posts {
		n, err := s.store.CountLikes(ctx, p.ID)
		if err != nil {
			serverError(w, err)
			return
		}
		posts[i].LikeCount = n
	}
	// L5: errgroup, one goroutine and one SELECT per post.
	g, gctx := errgroup.WithContext(ctx)
	for i := range posts {
		g.Go(func() error {
			rows, err := s.db.QueryContext(gctx, "SELECT path FROM images WHERE post_id = ? ORDER BY id", posts[i].ID) // want "n+1: SELECT images"
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var path string
				if err := rows.Scan(&path); err != nil {
					return err
				}
				posts[i].Images = append(posts[i].Images, path)
			}
			return rows.Err()
		})
	}
	if err := g.Wait(); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, posts)
}

// fillPost completes a post for display.
func (s *server) fillPost(ctx context.Context, p *Post) error {
	if err := s.fillAuthor(ctx, p); err != nil {
		return err
	}
	tags, err := s.loadTags(ctx, p.ID)
	if err != nil {
		return err
	}
	p.Tags = tags
	return nil
}

func (s *server) fillAuthor(ctx context.Context, p *Post) error {
	u, err := s.store.GetUser(ctx, p.UserID) // the query is in queries.GetUser
	if err != nil {
		return err
	}
	p.Author = &u
	return nil
}

// loadTags: post_tags is served by its primary key (post_id leads), tags by
// its primary key through the ON column.
func (s *server) loadTags(ctx context.Context, postID int64) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, // want "n+1: SELECT post_tags, tags"
		`SELECT t.name
		FROM tags t
		JOIN post_tags pt ON pt.tag_id = t.id
		WHERE pt.post_id = ?
		ORDER BY t.name`, postID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// recentPosts is an iter.Seq over the newest posts. Its own SELECT runs once
// per range statement, not per element: no finding here. ORDER BY created_at
// LIMIT is served by idx_created.
func (s *server) recentPosts(ctx context.Context, limit int) iter.Seq[Post] {
	return func(yield func(Post) bool) {
		rows, err := s.db.QueryContext(ctx,
			"SELECT id, user_id, body, created_at FROM posts ORDER BY created_at DESC LIMIT ?", limit)
		if err != nil {
			return
		}
		defer rows.Close()
		for rows.Next() {
			var p Post
			if err := rows.Scan(&p.ID, &p.UserID, &p.Body, &p.CreatedAt); err != nil {
				return
			}
			if !yield(p) {
				return
			}
		}
	}
}

// GET /explore — L6: the body of a range-over-func loop runs once per post.
func (s *server) explore(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	type item struct {
		Post   Post
		Author string
	}
	var out []item
	for p := range s.recentPosts(ctx, 30) {
		var name string
		if err := s.db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = ?", p.UserID).Scan(&name); err != nil { // want "n+1: SELECT users"
			continue
		}
		out = append(out, item{p, name})
	}
	writeJSON(w, http.StatusOK, out)
}

// GET /tags/{name} — L3: a query per row of another query's result set.
func (s *server) tagPosts(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var tagID int64
	if err := s.db.QueryRowContext(ctx, "SELECT id FROM tags WHERE name = ?", chi.URLParam(r, "name")).Scan(&tagID); err != nil {
		http.NotFound(w, r)
		return
	}
	// served by idx_tag (added by ALTER TABLE at the end of schema.sql)
	rows, err := s.db.QueryContext(ctx,
		"SELECT post_id FROM post_tags WHERE tag_id = ? ORDER BY post_id DESC LIMIT 100", tagID)
	if err != nil {
		serverError(w, err)
		return
	}
	defer rows.Close()
	var posts []Post
	for rows.Next() {
		var p Post
		if err := rows.Scan(&p.ID); err != nil {
			serverError(w, err)
			return
		}
		row := s.db.QueryRowContext(ctx, "SELECT user_id, body, created_at FROM posts WHERE id = ?", p.ID) // want "n+1: SELECT posts"
		if err := row.Scan(&p.UserID, &p.Body, &p.CreatedAt); err != nil {
			continue
		}
		posts = append(posts, p)
	}
	writeJSON(w, http.StatusOK, posts)
}
