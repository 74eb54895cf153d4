package main

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"time"
)

type ctxKey struct{}

func currentUser(ctx context.Context) *User {
	u, _ := ctx.Value(ctxKey{}).(*User)
	return u
}

var errNoSession = errors.New("no session")

// lookupSession resolves a session cookie to its user: one read of sessions
// (served by uniq_token) and one of users (primary key). Every route behind
// authMW, optionalAuth or sessionAuth gets sessions:R and users:R from here.
func lookupSession(ctx context.Context, db dbtx, token string) (*User, error) {
	var userID int64
	err := db.QueryRowContext(ctx,
		"SELECT user_id FROM sessions WHERE token = ? AND expires_at > ?", token, time.Now()).Scan(&userID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoSession
	}
	if err != nil {
		return nil, err
	}
	u := &User{}
	err = db.QueryRowContext(ctx, `SELECT id, name, display_name FROM users WHERE id = ?`, userID).
		Scan(&u.ID, &u.Name, &u.DisplayName)
	return u, err
}

// authMW is used with r.Use inside r.Route("/api") and with r.With.
func (s *server) authMW(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("chirp_session")
		if err != nil {
			http.Error(w, "login required", http.StatusUnauthorized)
			return
		}
		u, err := lookupSession(r.Context(), s.db, c.Value)
		if err != nil {
			http.Error(w, "login required", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, u)))
	})
}

// optionalAuth attaches the user when there is a session, and lets anonymous
// visitors through. Its queries still run (for logged-in visitors), so the
// routes it wraps still touch sessions and users.
func (s *server) optionalAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("chirp_session"); err == nil {
			if u, err := lookupSession(r.Context(), s.db, c.Value); err == nil {
				r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, u))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// sessionAuth is the middleware factory the admin sub-router uses: it has no
// *server, only the *sql.DB.
func sessionAuth(db *sql.DB) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, err := r.Cookie("chirp_session")
			if err != nil {
				http.Error(w, "login required", http.StatusUnauthorized)
				return
			}
			u, err := lookupSession(r.Context(), db, c.Value)
			if err != nil {
				http.Error(w, "login required", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, u)))
		})
	}
}

// requireAdmin wraps a single handler. It reads admins through the package
// global globalDB, so that one route also gets admins:R.
func requireAdmin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u := currentUser(r.Context())
		if u == nil {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var one int
		err := globalDB.QueryRowContext(r.Context(), "SELECT 1 FROM admins WHERE user_id = ?", u.ID).Scan(&one)
		if err != nil {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		h(w, r)
	}
}
