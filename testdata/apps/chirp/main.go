// Command chirp is a small social network: users post, follow, like,
// comment and tag. It is a crudmap sample app (chi v5 + database/sql on
// MySQL); the want comments say what crudmap must report.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	_ "github.com/go-sql-driver/mysql"
)

// globalDB is the package-level handle requireAdmin uses.
var globalDB *sql.DB

type server struct {
	db    *sql.DB
	q     *queries // concrete sqlc-style queries
	store Querier  // the same, behind an interface
}

func main() {
	dsn := os.Getenv("CHIRP_DSN")
	if dsn == "" {
		dsn = "chirp:chirp@tcp(127.0.0.1:3306)/chirp?parseTime=true&interpolateParams=true"
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(32)
	globalDB = db
	s := &server{db: db, q: newQueries(db), store: newQueries(db)}
	log.Fatal(http.ListenAndServe(":8080", s.routes()))
}

func (s *server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, middleware.Recoverer) // no SQL in either

	r.Get("/healthz", func(w http.ResponseWriter, r *http.Request) { // want "route: GET /healthz"
		_, _ = w.Write([]byte("ok"))
	})
	r.Post("/initialize", s.initialize)        // want "route: POST /initialize notifications:O posts:D sessions:D"
	r.Post("/login", s.login)                  // want "route: POST /login sessions:C users:R"
	r.Post("/register", s.register)            // want "route: POST /register user_stats:C users:C"
	r.Get("/users/{name}", s.getUserByName)    // want "route: GET /users/{name} post_tags:R posts:R tags:R users:R"
	r.Get("/posts/{id}", getPostHandler(s.db)) // want "route: GET /posts/{id} comments:R images:R posts:R users:R"
	// An inline closure. tags has no predicate (a deliberate scan of a small
	// table, no ORDER BY ... LIMIT): no index finding. post_tags is the right
	// side of the LEFT JOIN; its ON column leads idx_tag.
	r.Get("/tags", func(w http.ResponseWriter, r *http.Request) { // want "route: GET /tags post_tags:R tags:R"
		rows, err := s.db.QueryContext(r.Context(), `
			SELECT t.name, COUNT(pt.post_id) AS n
			FROM tags t
			LEFT JOIN post_tags pt ON pt.tag_id = t.id
			GROUP BY t.id, t.name
			ORDER BY n DESC`)
		if err != nil {
			serverError(w, err)
			return
		}
		defer rows.Close()
		writeRows(w, rows)
	})
	r.Get("/trending", trendingTags)                      // want "route: GET /trending post_tags:R posts:R tags:R"
	r.Method("GET", "/feed.rss", feedHandler{db: s.db})   // want "route: GET /feed.rss posts:R users:R"
	r.HandleFunc("/metrics", s.metrics)                   // want "route: ANY /metrics posts:R users:R"
	r.HandleFunc("POST /webhooks/images", s.imageWebhook) // want "route: POST /webhooks/images images:U"
	r.With(s.authMW).Get("/me", s.me)                     // want "route: GET /me sessions:R user_stats:R users:R"

	// Pages that work for anonymous visitors, but know you when you are
	// logged in.
	r.Group(func(r chi.Router) {
		r.Use(s.optionalAuth)
		r.Get("/explore", s.explore)                          // want "route: GET /explore posts:R sessions:R users:R"
		r.Get("/tags/{name}", s.tagPosts)                     // want "route: GET /tags/{name} post_tags:R posts:R sessions:R tags:R users:R"
		r.Get("/posts/{id}/stats", s.postStats)               // want "route: GET /posts/{id}/stats comments:R posts:R sessions:R users:R"
		r.Get("/comments/{id}/ancestors", s.commentAncestors) // want "route: GET /comments/{id}/ancestors comments:R sessions:R users:R"
	})

	r.Route("/api", func(r chi.Router) {
		r.Use(s.authMW)
		r.Get("/timeline", s.timeline)                 // want "route: GET /api/timeline follows:R images:R likes:R post_tags:R posts:R sessions:R tags:R users:R"
		r.Post("/posts", s.createPost)                 // want "route: POST /api/posts follows:R notifications:C post_tags:C posts:C sessions:R tags:CU user_stats:CU users:R"
		r.Patch("/posts/{id}", s.patchPost)            // want "route: PATCH /api/posts/{id} posts:U sessions:R users:R"
		r.Delete("/posts/{id}", s.deletePost)          // want "route: DELETE /api/posts/{id} posts:UD sessions:R users:R"
		r.Post("/posts/{id}/like", s.likePost)         // want "route: POST /api/posts/{id}/like likes:C notifications:C posts:RU sessions:R users:R"
		r.Delete("/posts/{id}/like", s.unlikePost)     // want "route: DELETE /api/posts/{id}/like likes:D posts:U sessions:R users:R"
		r.Post("/posts/{id}/comments", s.addComment)   // want "route: POST /api/posts/{id}/comments comments:C notifications:C posts:R sessions:R users:R"
		r.Get("/posts/{id}/export", s.exportPost)      // want "route: GET /api/posts/{id}/export comments:R posts:R sessions:R users:R"
		r.Put("/me/bio", s.updateBio)                  // want "route: PUT /api/me/bio sessions:R users:RU"
		r.Get("/me/likes", s.myLikes)                  // want "route: GET /api/me/likes likes:R posts:R sessions:R users:R"
		r.Get("/users/{id}/card", s.profileCard)       // want "route: GET /api/users/{id}/card sessions:R user_stats:R users:R"
		r.Get("/users/{id}/summary", s.userSummary)    // want "route: GET /api/users/{id}/summary posts:R sessions:R users:R"
		r.Post("/users/{id}/follow", s.followUser)     // want "route: POST /api/users/{id}/follow follows:C notifications:C sessions:R user_stats:CU users:R"
		r.Delete("/users/{id}/follow", s.unfollowUser) // want "route: DELETE /api/users/{id}/follow follows:D sessions:R user_stats:U users:R"
		r.Get("/suggestions", s.suggestions)           // want "route: GET /api/suggestions follows:R sessions:R users:R"
		// A Go 1.22 method pattern inside a Route: PUT /api/drafts/{id}.
		r.HandleFunc("PUT /drafts/{id}", s.saveDraft) // want "route: PUT /api/drafts/{id} drafts:CU sessions:R users:R"
		r.Route("/notifications", func(r chi.Router) {
			r.Get("/", s.listNotifications)          // want "route: GET /api/notifications/ notifications:R posts:R sessions:R users:R"
			r.Get("/summary", s.notificationSummary) // want "route: GET /api/notifications/summary notifications:R sessions:R users:R"
			r.Post("/read", s.markNotificationsRead) // want "route: POST /api/notifications/read notifications:RU sessions:R users:R"
		})
	})

	registerSearchRoutes(r, s)
	r.Mount("/admin", adminRouter(s.db))
	return r
}

// POST /initialize — resets the data between benchmark runs. TRUNCATE is
// not CRUD: it shows as O.
func (s *server) initialize(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if _, err := s.db.ExecContext(ctx, "TRUNCATE TABLE notifications"); err != nil {
		serverError(w, err)
		return
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM posts WHERE id > ?", 10000); err != nil {
		serverError(w, err)
		return
	}
	// No WHERE at all: a deliberate full delete, no index finding.
	if _, err := s.db.ExecContext(ctx, "DELETE FROM sessions"); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"language": "go"})
}

// ANY /metrics — runs on a dedicated *sql.Conn so the session setting stays
// on the connection the counts use. SET is not CRUD and names no table.
func (s *server) metrics(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		serverError(w, err)
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED"); err != nil {
		serverError(w, err)
		return
	}
	// COUNT(*) with no predicate: a deliberate scan, no finding.
	var users, posts int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&users); err != nil {
		serverError(w, err)
		return
	}
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM `chirp`.`posts`").Scan(&posts); err != nil {
		serverError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"users": users, "posts": posts})
}

// POST /webhooks/images — the image pipeline reports where it stored each
// upload. One prepared UPDATE, executed once per item.
func (s *server) imageWebhook(w http.ResponseWriter, r *http.Request) {
	var items []struct {
		ID   int64  `json:"id"`
		Path string `json:"path"`
		Mime string `json:"mime"`
	}
	if err := json.NewDecoder(r.Body).Decode(&items); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	stmt, err := s.db.Prepare("UPDATE images SET path = ?, mime = ? WHERE id = ?")
	if err != nil {
		serverError(w, err)
		return
	}
	defer stmt.Close()
	for _, it := range items {
		if _, err := stmt.Exec(it.Path, it.Mime, it.ID); err != nil { // want "n+1: UPDATE images"
			serverError(w, err)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// feedHandler is an http.Handler registered with r.Method.
type feedHandler struct {
	db *sql.DB
}

// ServeHTTP renders the public feed. ORDER BY created_at LIMIT is served by
// idx_created; users is joined by its primary key.
func (h feedHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	rows, err := h.db.QueryContext(ctx, `
		SELECT p.id, p.body, p.created_at, u.name
		FROM posts p
		JOIN users u ON u.id = p.user_id
		ORDER BY p.created_at DESC
		LIMIT 20`)
	if err != nil {
		serverError(w, err)
		return
	}
	defer rows.Close()
	w.Header().Set("Content-Type", "application/rss+xml")
	writeRows(w, rows)
}

// trendingTags is a plain package func handler; it uses the global handle.
// posts is served by the created_at range (idx_created), post_tags by its
// primary key through the ON column post_id, tags by its primary key.
func trendingTags(w http.ResponseWriter, r *http.Request) {
	rows, err := globalDB.QueryContext(r.Context(), `
		SELECT t.name, COUNT(*) AS uses
		FROM post_tags pt
		JOIN tags t ON t.id = pt.tag_id
		JOIN posts p ON p.id = pt.post_id
		WHERE p.created_at >= ?
		GROUP BY t.name
		ORDER BY uses DESC
		LIMIT 10`, time.Now().Add(-6*time.Hour))
	if err != nil {
		serverError(w, err)
		return
	}
	defer rows.Close()
	writeRows(w, rows)
}
