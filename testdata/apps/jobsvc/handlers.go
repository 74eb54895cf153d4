package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strconv"
)

type server struct {
	db   *sql.DB
	jobs chan<- job
}

type product struct {
	ID         int64  `json:"id"`
	CategoryID int64  `json:"category_id"`
	Name       string `json:"name"`
	Category   string `json:"category"`
}

// register mounts the routes, once at start-up.
func (s *server) register(mux *http.ServeMux) {
	mux.HandleFunc("GET /products", s.listProducts)                     // want "route: GET /products categories:R products:R"
	mux.HandleFunc("GET /categories/{id}/products", s.categoryProducts) // want "route: GET /categories/{id}/products categories:R products:R"
	mux.HandleFunc("GET /categories/{id}/path", s.categoryPath)         // want "route: GET /categories/{id}/path categories:R"
	mux.HandleFunc("POST /jobs", s.enqueueJob)                          // want "route: POST /jobs jobs:C"
	mux.HandleFunc("GET /settings", s.settings)                         // want "route: GET /settings settings:R"
	mux.HandleFunc("POST /products/purge", s.purgeProducts)             // want "route: POST /products/purge products:D"
	mux.HandleFunc("GET /products/{id}/details", s.productDetails)      // want "route: GET /products/{id}/details categories:R products:R"
	mux.HandleFunc("GET /jobs/count", s.jobCount)                       // want "route: GET /jobs/count jobs:R"
	mux.HandleFunc("POST /jobs/{id}/status", s.setStatus)               // want "route: POST /jobs/{id}/status jobs:U"
	mux.HandleFunc("POST /jobs/{id}/purge", s.purgeJob)                 // want "route: POST /jobs/{id}/purge"
}

func (s *server) listProducts(w http.ResponseWriter, r *http.Request) {
	ps, err := s.queryProducts(r.Context(), "SELECT id, category_id, name FROM products ORDER BY id LIMIT 50")
	writeJSON(w, ps, err)
}

func (s *server) categoryProducts(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ps, err := s.queryProducts(r.Context(), "SELECT id, category_id, name FROM products WHERE category_id = ? ORDER BY id", id)
	writeJSON(w, ps, err)
}

// queryProducts runs a product query and names each product's category:
// one query per product, on two routes, so one finding run by both.
func (s *server) queryProducts(ctx context.Context, query string, args ...any) ([]product, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ps []product
	for rows.Next() {
		var p product
		if err := rows.Scan(&p.ID, &p.CategoryID, &p.Name); err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	for i := range ps {
		err := s.db.QueryRowContext(ctx, "SELECT name FROM categories WHERE id = ?", ps[i].CategoryID).Scan(&ps[i].Category) // want "n+1: SELECT categories runs once per iteration of the loop at handlers.go:64:2 (run by 2 routes)"
		if err != nil {
			return nil, err
		}
	}
	return ps, rows.Err()
}

// categoryPath names a category and its ancestors.
func (s *server) categoryPath(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	path, err := s.ancestors(r.Context(), id)
	writeJSON(w, path, err)
}

// ancestors follows parent_id one level per call: as many queries as the
// category is deep, a recursion bounded by the data.
func (s *server) ancestors(ctx context.Context, id int64) ([]string, error) {
	var name string
	var parent int64
	if err := s.db.QueryRowContext(ctx, "SELECT name, parent_id FROM categories WHERE id = ?", id).Scan(&name, &parent); err != nil { // want "n+1: SELECT categories runs once per recursive call"
		return nil, err
	}
	if parent == 0 {
		return []string{name}, nil
	}
	up, err := s.ancestors(ctx, parent)
	return append(up, name), err
}

// enqueueJob records a job and hands it to the workers.
func (s *server) enqueueJob(w http.ResponseWriter, r *http.Request) {
	var j job
	if err := json.NewDecoder(r.Body).Decode(&j.ProductIDs); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	res, err := s.db.ExecContext(r.Context(), "INSERT INTO jobs (status, created_at) VALUES ('queued', strftime('%s', 'now'))")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	j.ID, _ = res.LastInsertId()
	s.jobs <- j
	w.WriteHeader(http.StatusAccepted)
}

// settings lists the settings; the names come from a constant list but
// each is read on every request: an N+1 on the request path.
func (s *server) settings(w http.ResponseWriter, r *http.Request) {
	out := map[string]string{}
	for _, name := range settingNames() {
		var v string
		if err := s.db.QueryRowContext(r.Context(), "SELECT value FROM settings WHERE name = ?", name).Scan(&v); err == nil { // want "n+1: SELECT settings runs once per iteration of the loop at handlers.go:116:2"
			out[name] = v
		}
	}
	writeJSON(w, out, nil)
}

func writeJSON(w http.ResponseWriter, v any, err error) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	json.NewEncoder(w).Encode(v)
}
