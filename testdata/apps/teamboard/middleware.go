package main

import (
	"net/http"

	"github.com/gorilla/mux"
)

// loadUser runs on every /api route (api.Use): it reads the signed-in
// user.
func (a *app) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := currentUser(r); id != 0 {
			var email string
			if err := a.db.QueryRowContext(r.Context(), "SELECT email FROM users WHERE id = $1", id).Scan(&email); err != nil {
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// projectAccess runs on the task routes: the user must be a member.
func (a *app) projectAccess(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var one int
		err := a.db.QueryRowContext(r.Context(),
			"SELECT 1 FROM project_members WHERE project_id = $1 AND user_id = $2", mux.Vars(r)["id"], currentUser(r)).Scan(&one)
		if err != nil {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireAdmin runs on the admin routes.
func (a *app) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var admin bool
		if err := a.db.QueryRowContext(r.Context(), "SELECT is_admin FROM users WHERE id = $1", currentUser(r)).Scan(&admin); err != nil || !admin {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// audit records every request to the debug endpoints.
func (a *app) audit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.db.ExecContext(r.Context(), "INSERT INTO audit_log (path) VALUES ($1)", r.URL.Path)
		next.ServeHTTP(w, r)
	})
}

// countRequest is negroni middleware: it counts every metrics request.
func (a *app) countRequest(w http.ResponseWriter, r *http.Request, next http.HandlerFunc) {
	a.db.ExecContext(r.Context(), "UPDATE request_counts SET n = n + 1 WHERE path = $1", r.URL.Path)
	next(w, r)
}
