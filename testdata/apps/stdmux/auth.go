package main

import (
	"context"
	"net/http"
	"time"
)

type userKey struct{}

type user struct {
	ID   int64
	Name string
}

func currentUser(r *http.Request) user {
	u, _ := r.Context().Value(userKey{}).(user)
	return u
}

// auth wraps a handler with a session lookup: sessions is read by its
// primary key (token), users by its rowid. Every wrapped route gets
// sessions:R and users:R.
func auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("sid")
		if err != nil {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var uid int64
		if err := db.QueryRowContext(r.Context(),
			"SELECT user_id FROM sessions WHERE token = ?1 AND expires_at > ?2", c.Value, time.Now().Unix()).Scan(&uid); err != nil {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		var u user
		if err := db.QueryRowContext(r.Context(), "SELECT id, name FROM users WHERE id = ?1", uid).Scan(&u.ID, &u.Name); err != nil {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
	})
}
