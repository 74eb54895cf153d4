// Command feedhub is a feed reader on net/http's ServeMux and Postgres, a
// crudmap sample app: a base path computed from configuration, admin
// routes built with path.Join, routes registered from a table and a map,
// and an API mux behind an API-key middleware that writes.
package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"
	"path"

	_ "github.com/lib/pq"
)

// Store holds the handle; handlers are its methods.
type Store struct {
	db *sql.DB
}

func main() {
	cfg := loadConfig()
	db, err := sql.Open("postgres", os.Getenv("FEEDHUB_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	s := &Store{db: db}

	basePath := cfg.BasePath + "/"
	root := http.NewServeMux()
	// The API mux sees the whole path; every route of it runs the API-key
	// check first.
	root.Handle(basePath+"v1/", Middleware(s)(NewHandler(s, basePath+"v1")))
	registerAdmin(root, s, "/")
	registerPages(root, s)
	registerHooks(root, s)
	for _, rt := range legacyRoutes {
		root.Handle(rt.path, rt.h) // want "route: ANY /atom entries:R" "route: ANY /rss entries:R"
	}
	for _, rt := range s.reportRoutes() {
		root.Handle("GET "+rt.path, rt.h) // want "route: GET /reports/daily entries:R" "route: GET /reports/subscribers subscriptions:R"
	}
	root.HandleFunc(cfg.PublicURL.Path+"/healthz", healthz) // want "route: ANY {publicURL.path}/healthz"
	log.Fatal(http.ListenAndServe(cfg.Addr, root))
}

// registerAdmin registers the admin routes under prefix, their paths
// built with path.Join: six routes, each with its own handler.
func registerAdmin(mux *http.ServeMux, s *Store, prefix string) {
	admin := path.Join(prefix, "admin")
	mux.HandleFunc("GET "+admin, s.adminHome)                               // want "route: GET /admin feeds:R users:R"
	mux.HandleFunc("GET "+path.Join(admin, "users"), s.adminUsers)          // want "route: GET /admin/users users:R"
	mux.HandleFunc("GET "+path.Join(admin, "feeds"), s.adminFeeds)          // want "route: GET /admin/feeds feeds:R"
	mux.HandleFunc("DELETE "+path.Join(admin, "feeds", "{id}"), s.dropFeed) // want "route: DELETE /admin/feeds/{id} entries:D feeds:D subscriptions:D"
	mux.HandleFunc("GET "+path.Join(admin, "keys"), s.adminKeys)            // want "route: GET /admin/keys api_keys:R"
	mux.HandleFunc("POST "+path.Join(admin, "keys"), s.createKey)           // want "route: POST /admin/keys api_keys:C"
}

// registerPages registers the HTML pages from a table: each row is one
// route with its own handler.
func registerPages(mux *http.ServeMux, s *Store) {
	pages := []struct {
		method, path string
		h            http.HandlerFunc
	}{
		{"GET", "/{$}", s.home},
		{"GET", "/feeds/{id}", s.feedPage},
		{http.MethodPost, "/feeds/{id}/subscribe", s.subscribe},
	}
	for _, p := range pages {
		mux.HandleFunc(p.method+" "+p.path, p.h) // want "route: GET /{$} feeds:R" "route: GET /feeds/{id} entries:R feeds:R" "route: POST /feeds/{id}/subscribe subscriptions:C"
	}
}

// registerHooks registers webhooks from a map of pattern to handler.
func registerHooks(mux *http.ServeMux, s *Store) {
	hooks := map[string]http.HandlerFunc{
		"POST /hooks/github": s.githubHook,
		"POST /hooks/stripe": s.stripeHook,
	}
	for pattern, h := range hooks {
		mux.HandleFunc(pattern, h) // want "route: POST /hooks/github hook_events:C" "route: POST /hooks/stripe hook_events:C users:R"
	}
}

// legacyRoute is a row of a package-level table.
type legacyRoute struct {
	path string
	h    http.HandlerFunc
}

var legacyRoutes = []legacyRoute{
	{"/rss", rssFeed},
	{"/atom", atomFeed},
}

// reportRoutes returns a table of routes built by a method.
func (s *Store) reportRoutes() []legacyRoute {
	return []legacyRoute{
		{"/reports/daily", s.dailyReport},
		{"/reports/subscribers", s.subscriberReport},
	}
}
