// Command isupost is an image-posting SNS in the style of a contest
// practice app: users post images with a caption, comment on posts, like
// them, and admins ban spammers. It is a crudmap sample app (chi v5 + sqlx
// on MySQL, with a net/http ServeMux mounted under /api); the want comments
// say what crudmap must report. The schema is ../sql/schema.sql.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	_ "github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
)

var db *sqlx.DB

const (
	postsPerPage  = 20
	ISO8601Format = "2006-01-02T15:04:05-07:00"
	UploadLimit   = 10 * 1024 * 1024 // 10mb
	sessionName   = "isupost_session"
	sessionTTL    = 24 * time.Hour
)

type User struct {
	ID          int       `db:"id"`
	AccountName string    `db:"account_name"`
	Passhash    string    `db:"passhash"`
	Authority   int       `db:"authority"`
	DelFlg      int       `db:"del_flg"`
	CreatedAt   time.Time `db:"created_at"`
}

type Post struct {
	ID           int       `db:"id"`
	UserID       int       `db:"user_id"`
	Imgdata      []byte    `db:"imgdata"`
	Body         string    `db:"body"`
	Mime         string    `db:"mime"`
	CreatedAt    time.Time `db:"created_at"`
	CommentCount int
	Comments     []Comment
	User         User
	CSRFToken    string
}

type Comment struct {
	ID        int       `db:"id"`
	PostID    int       `db:"post_id"`
	UserID    int       `db:"user_id"`
	Comment   string    `db:"comment"`
	CreatedAt time.Time `db:"created_at"`
	User      User
}

func getEnv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	dsn := fmt.Sprintf(
		"%s:%s@tcp(%s:%s)/%s?charset=utf8mb4&parseTime=true&loc=Local&interpolateParams=true",
		getEnv("ISUPOST_DB_USER", "root"),
		getEnv("ISUPOST_DB_PASSWORD", ""),
		getEnv("ISUPOST_DB_HOST", "localhost"),
		getEnv("ISUPOST_DB_PORT", "3306"),
		getEnv("ISUPOST_DB_NAME", "isupost"),
	)
	var err error
	db, err = sqlx.Open("mysql", dsn)
	if err != nil {
		log.Fatalf("Failed to connect to DB: %s.", err.Error())
	}
	defer db.Close()

	log.Fatal(http.ListenAndServe(":8080", newRouter()))
}

// newRouter wires every route. The page routes are chi; the JSON API is a
// plain Go 1.22 ServeMux mounted at /api. chi's Mount only moves its own
// routing cursor past "/api": the mounted handler still sees the full
// r.URL.Path, so the ServeMux patterns spell out "/api/..." themselves and
// the external paths are exactly those patterns.
func newRouter() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Logger) // no SQL

	r.Get("/initialize", getInitialize) // want "route: GET /initialize comments:D likes:D posts:D sessions:D users:UD"
	r.Get("/login", getLogin)           // want "route: GET /login sessions:R users:R"
	r.Post("/login", postLogin)         // want "route: POST /login sessions:C users:R"
	r.Get("/register", getRegister)     // want "route: GET /register sessions:R users:R"
	r.Post("/register", postRegister)   // want "route: POST /register sessions:C users:CR"
	r.Get("/logout", getLogout)         // want "route: GET /logout sessions:D"

	r.Get("/", getIndex)                               // want "route: GET / comments:R posts:R sessions:R users:R"
	r.Get("/posts", getPosts)                          // want "route: GET /posts comments:R posts:R sessions:R users:R"
	r.Get("/posts/{id}", getPostsID)                   // want "route: GET /posts/{id} comments:R posts:R sessions:R users:R"
	r.Get("/@{accountName}", getAccountName)           // want "route: GET /@{accountName} comments:R posts:R sessions:R users:R"
	r.Get("/image/{id}.{ext}", getImage)               // want "route: GET /image/{id}.{ext} posts:R"
	r.With(requireLogin).Post("/", postIndex)          // want "route: POST / posts:C sessions:R users:R"
	r.With(requireLogin).Post("/comment", postComment) // want "route: POST /comment comments:C posts:R sessions:R users:R"

	r.Group(func(r chi.Router) {
		r.Use(requireAdmin)
		r.Get("/admin/banned", getAdminBanned)   // want "route: GET /admin/banned sessions:R users:R"
		r.Post("/admin/banned", postAdminBanned) // want "route: POST /admin/banned sessions:R users:RU"
	})

	r.Mount("/api", apiMux())

	r.Handle("/*", http.FileServer(http.Dir("../public"))) // want "route: ANY /*"
	return r
}
