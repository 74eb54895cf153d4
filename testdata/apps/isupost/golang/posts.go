package main

import (
	"database/sql"
	"errors"
	"io"
	"log"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

// makePosts decorates a page of posts: for each post, its comment count,
// its newest comments (all of them on the permalink page) with each
// comment's author, and the post's author. Every query here runs once per
// post (and the author lookup once per comment, nested): the classic N+1.
// comments has no index led by post_id, so both comment queries also scan.
func makePosts(results []Post, csrfToken string, allComments bool) ([]Post, error) {
	var posts []Post

	for _, p := range results {
		err := db.Get(&p.CommentCount, "SELECT COUNT(*) AS `count` FROM `comments` WHERE `post_id` = ?", p.ID) // want "n+1: SELECT comments" "unindexed: comments.post_id"
		if err != nil {
			return nil, err
		}

		query := "SELECT * FROM `comments` WHERE `post_id` = ? ORDER BY `created_at` DESC"
		if !allComments {
			query += " LIMIT 3"
		}
		var comments []Comment
		err = db.Select(&comments, query, p.ID) // want "n+1: SELECT comments" "unindexed: comments.post_id"
		if err != nil {
			return nil, err
		}

		for i := 0; i < len(comments); i++ {
			err := db.Get(&comments[i].User, "SELECT * FROM `users` WHERE `id` = ?", comments[i].UserID) // want "n+1: SELECT users"
			if err != nil {
				return nil, err
			}
		}

		// reverse: oldest first on the page
		for i, j := 0, len(comments)-1; i < j; i, j = i+1, j-1 {
			comments[i], comments[j] = comments[j], comments[i]
		}

		p.Comments = comments

		err = db.Get(&p.User, "SELECT * FROM `users` WHERE `id` = ?", p.UserID) // want "n+1: SELECT users"
		if err != nil {
			return nil, err
		}

		p.CSRFToken = csrfToken

		if p.User.DelFlg == 0 {
			posts = append(posts, p)
		}
		if len(posts) >= postsPerPage {
			break
		}
	}

	return posts, nil
}

func imageURL(p Post) string {
	ext := ""
	switch p.Mime {
	case "image/jpeg":
		ext = ".jpg"
	case "image/png":
		ext = ".png"
	case "image/gif":
		ext = ".gif"
	}
	return "/image/" + strconv.Itoa(p.ID) + ext
}

// GET / — the timeline. The SELECT has no WHERE and no LIMIT: it reads and
// sorts every post (without imgdata) and makePosts keeps the first 20 by
// living authors. Slow, but a deliberate full scan is not an index finding
// (there is no LIMIT for an index on created_at to cut short).
func getIndex(w http.ResponseWriter, r *http.Request) {
	me := getSessionUser(r)

	results := []Post{}
	err := db.Select(&results, "SELECT `id`, `user_id`, `body`, `mime`, `created_at` FROM `posts` ORDER BY `created_at` DESC")
	if err != nil {
		serverError(w, err)
		return
	}

	posts, err := makePosts(results, me.CSRFToken, false)
	if err != nil {
		serverError(w, err)
		return
	}

	render(w, "index", map[string]any{"Posts": posts, "Me": me, "Flash": getFlash(w, r)})
}

// GET /posts?max_created_at=... — the "more" button. A range on
// created_at with no index on it.
func getPosts(w http.ResponseWriter, r *http.Request) {
	m, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	maxCreatedAt := m.Get("max_created_at")
	if maxCreatedAt == "" {
		return
	}

	t, err := time.Parse(ISO8601Format, maxCreatedAt)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}

	results := []Post{}
	err = db.Select(&results, "SELECT `id`, `user_id`, `body`, `mime`, `created_at` FROM `posts` WHERE `created_at` <= ? ORDER BY `created_at` DESC", t.Format(ISO8601Format)) // want "unindexed: posts.created_at"
	if err != nil {
		serverError(w, err)
		return
	}

	posts, err := makePosts(results, getCSRFToken(r), false)
	if err != nil {
		serverError(w, err)
		return
	}
	if len(posts) == 0 {
		w.WriteHeader(http.StatusNotFound)
		return
	}

	render(w, "posts", map[string]any{"Posts": posts})
}

// GET /posts/{id} — the permalink: makePosts with every comment.
func getPostsID(w http.ResponseWriter, r *http.Request) {
	pid, err := strconv.Atoi(chi.URLParam(r, "id"))
	if err != nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}

	results := []Post{}
	err = db.Select(&results, "SELECT * FROM `posts` WHERE `id` = ?", pid)
	if err != nil {
		serverError(w, err)
		return
	}

	posts, err := makePosts(results, getCSRFToken(r), true)
	if err != nil {
		serverError(w, err)
		return
	}
	if len(posts) == 0 {
		w.WriteHeader(http.StatusNotFound)
		return
	}

	p := posts[0]
	me := getSessionUser(r)

	render(w, "post", map[string]any{"Post": p, "Me": me})
}

// POST / (behind requireLogin) — upload. The new id comes from the result
// of the INSERT, not from a second query.
func postIndex(w http.ResponseWriter, r *http.Request) {
	me := currentUser(r)

	if r.FormValue("csrf_token") != me.CSRFToken {
		w.WriteHeader(http.StatusUnprocessableEntity)
		return
	}

	file, header, err := r.FormFile("file")
	if err != nil {
		setFlash(w, "画像が必須です")
		http.Redirect(w, r, "/", http.StatusFound)
		return
	}
	defer file.Close()

	mime := ""
	if header != nil {
		contentType := header.Header["Content-Type"][0]
		switch {
		case strings.Contains(contentType, "jpeg"):
			mime = "image/jpeg"
		case strings.Contains(contentType, "png"):
			mime = "image/png"
		case strings.Contains(contentType, "gif"):
			mime = "image/gif"
		default:
			setFlash(w, "投稿できる画像形式はjpgとpngとgifだけです")
			http.Redirect(w, r, "/", http.StatusFound)
			return
		}
	}

	filedata, err := io.ReadAll(io.LimitReader(file, UploadLimit+1))
	if err != nil {
		serverError(w, err)
		return
	}
	if len(filedata) > UploadLimit {
		setFlash(w, "ファイルサイズが大きすぎます")
		http.Redirect(w, r, "/", http.StatusFound)
		return
	}

	query := "INSERT INTO `posts` (`user_id`, `mime`, `imgdata`, `body`) VALUES (?,?,?,?)"
	result, err := db.Exec(query, me.ID, mime, filedata, r.FormValue("body"))
	if err != nil {
		serverError(w, err)
		return
	}

	pid, err := result.LastInsertId()
	if err != nil {
		serverError(w, err)
		return
	}

	http.Redirect(w, r, "/posts/"+strconv.FormatInt(pid, 10), http.StatusFound)
}

// GET /image/{id}.{ext} — serves imgdata straight from the posts row.
func getImage(w http.ResponseWriter, r *http.Request) {
	pid, err := strconv.Atoi(chi.URLParam(r, "id"))
	if err != nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}

	post := Post{}
	err = db.Get(&post, "SELECT * FROM `posts` WHERE `id` = ?", pid)
	if errors.Is(err, sql.ErrNoRows) {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if err != nil {
		serverError(w, err)
		return
	}

	ext := chi.URLParam(r, "ext")
	if ext == "jpg" && post.Mime == "image/jpeg" ||
		ext == "png" && post.Mime == "image/png" ||
		ext == "gif" && post.Mime == "image/gif" {
		w.Header().Set("Content-Type", post.Mime)
		if _, err := w.Write(post.Imgdata); err != nil {
			log.Print(err)
		}
		return
	}

	w.WriteHeader(http.StatusNotFound)
}

// POST /comment (behind requireLogin). The post row is locked while the
// comment goes in; the id is read back with LAST_INSERT_ID() on the same
// transaction (same connection, so it is the right id). The transaction
// writes: no read-only finding.
func postComment(w http.ResponseWriter, r *http.Request) {
	me := currentUser(r)

	if r.FormValue("csrf_token") != me.CSRFToken {
		w.WriteHeader(http.StatusUnprocessableEntity)
		return
	}

	postID, err := strconv.Atoi(r.FormValue("post_id"))
	if err != nil {
		http.Error(w, "post_idは整数のみです", http.StatusBadRequest)
		return
	}

	tx, err := db.Beginx()
	if err != nil {
		serverError(w, err)
		return
	}
	defer tx.Rollback()

	var owner int
	if err := tx.Get(&owner, "SELECT `user_id` FROM `posts` WHERE `id` = ? FOR UPDATE", postID); err != nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}

	query := "INSERT INTO `comments` (`post_id`, `user_id`, `comment`) VALUES (?,?,?)"
	if _, err := tx.Exec(query, postID, me.ID, r.FormValue("comment")); err != nil {
		serverError(w, err)
		return
	}
	var commentID int64
	if err := tx.Get(&commentID, "SELECT LAST_INSERT_ID()"); err != nil {
		serverError(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		serverError(w, err)
		return
	}

	http.Redirect(w, r, "/posts/"+strconv.Itoa(postID)+"#comment-"+strconv.FormatInt(commentID, 10), http.StatusFound)
}
