package main

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"slices"

	"pgshop/db"
)

const sessionCookie = "pgshop_session"

type ctxKey int

const userKey ctxKey = iota

var errNoSession = errors.New("no session")

// currentUser is the user requireUser or optionalUser attached, or nil.
func currentUser(ctx context.Context) *db.GetSessionUserRow {
	u, _ := ctx.Value(userKey).(*db.GetSessionUserRow)
	return u
}

// sessionUser resolves the session cookie with one query: sessions by its
// primary key (token), users by its primary key through the join.
func (s *server) sessionUser(r *http.Request) (*db.GetSessionUserRow, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) != 36 { // not a UUID: do not bother Postgres
		return nil, errNoSession
	}
	u, err := s.q.GetSessionUser(r.Context(), c.Value)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoSession
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// requireUser answers 401 without a valid session.
func (s *server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.sessionUser(r)
		if errors.Is(err, errNoSession) {
			writeError(w, http.StatusUnauthorized, "login required")
			return
		}
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey, u)))
	})
}

// optionalUser attaches the user when there is a session and lets
// anonymous visitors through. Its query still runs for logged-in visitors.
func (s *server) optionalUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, err := s.sessionUser(r); err == nil {
			r = r.WithContext(context.WithValue(r.Context(), userKey, u))
		}
		next.ServeHTTP(w, r)
	})
}

// requireRole checks the role requireUser loaded: no query of its own.
func requireRole(roles ...db.UserRole) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u := currentUser(r.Context())
			if u == nil || !slices.Contains(roles, u.Role) {
				writeError(w, http.StatusForbidden, "forbidden")
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}
