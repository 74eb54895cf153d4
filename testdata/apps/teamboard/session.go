package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
)

type ctxKey int

const (
	userIDKey ctxKey = iota
	csrfKey
)

// sessions wraps the whole router: it looks the session up by its cookie,
// refreshes it, and starts one when there is none. Every route reads,
// updates and may create sessions.
func (a *app) sessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var userID sql64
		var csrfToken string
		c, err := r.Cookie("sid")
		if err == nil {
			err = a.db.QueryRowContext(ctx, "SELECT user_id, csrf_token FROM sessions WHERE token = $1", c.Value).Scan(&userID, &csrfToken)
		}
		if err != nil {
			token, csrf := randomToken(), randomToken()
			if _, err := a.db.ExecContext(ctx, "INSERT INTO sessions (token, csrf_token) VALUES ($1, $2)", token, csrf); err != nil {
				http.Error(w, "session", http.StatusInternalServerError)
				return
			}
			http.SetCookie(w, &http.Cookie{Name: "sid", Value: token, HttpOnly: true})
			csrfToken = csrf
		} else {
			a.db.ExecContext(ctx, "UPDATE sessions SET last_seen_at = now() WHERE token = $1", c.Value)
		}
		ctx = context.WithValue(ctx, userIDKey, userID)
		ctx = context.WithValue(ctx, csrfKey, csrfToken)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// csrf wraps the whole router too; it runs no SQL.
func csrf(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			want, _ := r.Context().Value(csrfKey).(string)
			if r.Header.Get("X-CSRF-Token") != want {
				http.Error(w, "csrf", http.StatusForbidden)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// sql64 is a nullable user id.
type sql64 = *int64

func randomToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func currentUser(r *http.Request) int64 {
	if id, ok := r.Context().Value(userIDKey).(sql64); ok && id != nil {
		return *id
	}
	return 0
}
