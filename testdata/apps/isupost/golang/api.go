package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// apiMux is the JSON API for the mobile client: a standard-library
// ServeMux with Go 1.22 method patterns, mounted by newRouter with
// r.Mount("/api", apiMux()). chi does not rewrite r.URL.Path for a mounted
// handler, so the patterns carry the /api prefix: GET /api/posts/1 matches
// "GET /api/posts/{id}" here (a pattern "GET /posts/{id}" would 404).
func apiMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/posts", apiTimeline)                                    // want "route: GET /api/posts comments:R posts:R users:R"
	mux.HandleFunc("GET /api/posts/{id}", apiGetPost)                                // want "route: GET /api/posts/{id} comments:R likes:R posts:R users:R"
	mux.Handle("POST /api/posts/{id}/like", requireLogin(http.HandlerFunc(apiLike))) // want "route: POST /api/posts/{id}/like likes:CR posts:R sessions:R users:R"
	mux.HandleFunc("GET /api/users/{accountName}/stats", apiUserStats)               // want "route: GET /api/users/{accountName}/stats comments:R likes:R posts:R users:R"
	return mux
}

type apiPost struct {
	ID           int       `json:"id"`
	AccountName  string    `json:"account_name"`
	Body         string    `json:"body"`
	ImageURL     string    `json:"image_url"`
	CommentCount int       `json:"comment_count"`
	LikeCount    int       `json:"like_count,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

type postCount struct {
	PostID int `db:"post_id"`
	Count  int `db:"cnt"`
}

// GET /api/posts — the newest 20 posts. Built inside a transaction "for a
// consistent snapshot", but every statement on it (here and in the two
// helpers it is handed to) is a plain SELECT: the transaction only reads.
// The newest-first page sorts the whole posts table for 20 rows (no index
// on created_at).
func apiTimeline(w http.ResponseWriter, r *http.Request) {
	tx, err := db.Beginx() // want "readonly-tx: transaction only reads"
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()

	posts := []Post{}
	err = tx.Select(&posts, "SELECT `id`, `user_id`, `body`, `mime`, `created_at` FROM `posts` ORDER BY `created_at` DESC LIMIT ?", postsPerPage) // want "unindexed: posts.created_at"
	if err != nil {
		serverError(w, err)
		return
	}
	if len(posts) == 0 {
		writeJSON(w, []apiPost{})
		return
	}

	postIDs := make([]int, 0, len(posts))
	userIDs := make([]int, 0, len(posts))
	for _, p := range posts {
		postIDs = append(postIDs, p.ID)
		userIDs = append(userIDs, p.UserID)
	}

	counts, err := commentCounts(tx, postIDs)
	if err != nil {
		serverError(w, err)
		return
	}
	users, err := usersByID(tx, userIDs)
	if err != nil {
		serverError(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}

	out := make([]apiPost, 0, len(posts))
	for _, p := range posts {
		u, ok := users[p.UserID]
		if !ok || u.DelFlg != 0 {
			continue
		}
		out = append(out, apiPost{
			ID: p.ID, AccountName: u.AccountName, Body: p.Body, ImageURL: imageURL(p),
			CommentCount: counts[p.ID], CreatedAt: p.CreatedAt,
		})
	}
	writeJSON(w, out)
}

// commentCounts counts comments per post in one IN (?) query. comments has
// no index led by post_id.
func commentCounts(q sqlx.Queryer, postIDs []int) (map[int]int, error) {
	query, args, err := sqlx.In("SELECT `post_id`, COUNT(*) AS `cnt` FROM `comments` WHERE `post_id` IN (?) GROUP BY `post_id`", postIDs)
	if err != nil {
		return nil, err
	}
	rows := []postCount{}
	if err := sqlx.Select(q, &rows, query, args...); err != nil { // want "unindexed: comments.post_id"
		return nil, err
	}
	out := make(map[int]int, len(rows))
	for _, c := range rows {
		out[c.PostID] = c.Count
	}
	return out, nil
}

// usersByID loads the authors in one IN (?) query on the primary key.
func usersByID(q sqlx.Queryer, ids []int) (map[int]User, error) {
	query, args, err := sqlx.In("SELECT * FROM `users` WHERE `id` IN (?)", ids)
	if err != nil {
		return nil, err
	}
	users := []User{}
	if err := sqlx.Select(q, &users, query, args...); err != nil {
		return nil, err
	}
	out := make(map[int]User, len(users))
	for _, u := range users {
		out[u.ID] = u
	}
	return out, nil
}

// GET /api/posts/{id} — one post with all its comments (makePosts, so the
// per-comment author lookups run here too) and its like count (served by
// the likes primary key).
func apiGetPost(w http.ResponseWriter, r *http.Request) {
	pid, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}

	results := []Post{}
	if err := db.Select(&results, "SELECT `id`, `user_id`, `body`, `mime`, `created_at` FROM `posts` WHERE `id` = ?", pid); err != nil {
		serverError(w, err)
		return
	}
	posts, err := makePosts(results, "", true)
	if err != nil {
		serverError(w, err)
		return
	}
	if len(posts) == 0 {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	p := posts[0]

	likes := 0
	if err := db.Get(&likes, "SELECT COUNT(*) FROM `likes` WHERE `post_id` = ?", pid); err != nil {
		serverError(w, err)
		return
	}

	writeJSON(w, apiPost{
		ID: p.ID, AccountName: p.User.AccountName, Body: p.Body, ImageURL: imageURL(p),
		CommentCount: p.CommentCount, LikeCount: likes, CreatedAt: p.CreatedAt,
	})
}

// POST /api/posts/{id}/like (wrapped in requireLogin) — locks the post row,
// inserts the like and reads the new count back. A FOR UPDATE transaction
// that also writes: no read-only finding.
func apiLike(w http.ResponseWriter, r *http.Request) {
	me := currentUser(r)
	pid, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}

	tx, err := db.Beginx()
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()

	var id int
	err = tx.Get(&id, "SELECT `id` FROM `posts` WHERE `id` = ? FOR UPDATE", pid)
	if errors.Is(err, sql.ErrNoRows) {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if err != nil {
		serverError(w, err)
		return
	}

	if _, err := tx.Exec("INSERT IGNORE INTO `likes` (`post_id`, `user_id`) VALUES (?, ?)", pid, me.ID); err != nil {
		serverError(w, err)
		return
	}
	likes := 0
	if err := tx.Get(&likes, "SELECT COUNT(*) FROM `likes` WHERE `post_id` = ?", pid); err != nil {
		serverError(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, map[string]int{"post_id": pid, "like_count": likes})
}

type userStats struct {
	AccountName   string `json:"account_name"`
	PostCount     int    `json:"post_count"`
	CommentCount  int    `json:"comment_count"`
	LikesGiven    int    `json:"likes_given"`
	LikesReceived int    `json:"likes_received"`
}

// GET /api/users/{accountName}/stats — counters read under a shared lock
// on the user row so a concurrent ban cannot interleave. A transaction
// whose first read is a locking read (LOCK IN SHARE MODE) is deliberate:
// no read-only finding. The likes primary key is (post_id, user_id), so
// "likes by this user" (user_id alone) cannot use it; "likes on these
// posts" (post_id IN ...) can. The IN list is built by hand with
// strings.Repeat.
func apiUserStats(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("accountName")

	tx, err := db.Beginx()
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()

	u := User{}
	err = tx.Get(&u, "SELECT * FROM `users` WHERE `account_name` = ? AND `del_flg` = 0 LOCK IN SHARE MODE", name)
	if errors.Is(err, sql.ErrNoRows) {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if err != nil {
		serverError(w, err)
		return
	}

	st := userStats{AccountName: u.AccountName}
	postIDs := []int{}
	if err := tx.Select(&postIDs, "SELECT `id` FROM `posts` WHERE `user_id` = ?", u.ID); err != nil { // want "unindexed: posts.user_id"
		serverError(w, err)
		return
	}
	st.PostCount = len(postIDs)
	if err := tx.Get(&st.CommentCount, "SELECT COUNT(*) FROM `comments` WHERE `user_id` = ?", u.ID); err != nil {
		serverError(w, err)
		return
	}
	if err := tx.Get(&st.LikesGiven, "SELECT COUNT(*) FROM `likes` WHERE `user_id` = ?", u.ID); err != nil { // want "unindexed: likes.user_id"
		serverError(w, err)
		return
	}
	if len(postIDs) > 0 {
		args := make([]any, 0, len(postIDs))
		for _, id := range postIDs {
			args = append(args, id)
		}
		placeholders := strings.TrimSuffix(strings.Repeat("?,", len(postIDs)), ",")
		q := "SELECT COUNT(*) FROM `likes` WHERE `post_id` IN (" + placeholders + ")"
		if err := tx.Get(&st.LikesReceived, q, args...); err != nil {
			serverError(w, err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, st)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}
