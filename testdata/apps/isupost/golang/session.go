package main

import (
	"context"
	"crypto/rand"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"net/http"
	"time"
)

type ctxKey struct{}

// sessionUser is the logged-in user with the session's CSRF token.
type sessionUser struct {
	User
	CSRFToken string `db:"csrf_token"`
}

// getSessionUser resolves the session cookie: one join of sessions (primary
// key) and users (its ON column is the primary key). Every route that calls
// it, directly or through requireLogin / requireAdmin, reads sessions and
// users.
func getSessionUser(r *http.Request) sessionUser {
	c, err := r.Cookie(sessionName)
	if err != nil || c.Value == "" {
		return sessionUser{}
	}
	u := sessionUser{}
	err = db.Get(&u, "SELECT u.*, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ? AND s.expires_at > ?", c.Value, time.Now())
	if err != nil {
		return sessionUser{}
	}
	return u
}

// getCSRFToken is the anonymous-friendly half of getSessionUser: pages that
// only need the token for their forms read sessions alone.
func getCSRFToken(r *http.Request) string {
	c, err := r.Cookie(sessionName)
	if err != nil {
		return ""
	}
	var token string
	if err := db.Get(&token, "SELECT `csrf_token` FROM `sessions` WHERE `id` = ?", c.Value); err != nil {
		return ""
	}
	return token
}

func isLogin(u sessionUser) bool {
	return u.ID != 0
}

func currentUser(r *http.Request) sessionUser {
	u, _ := r.Context().Value(ctxKey{}).(sessionUser)
	return u
}

// requireLogin is chi middleware (r.With(requireLogin)) and, since it has
// the func(http.Handler) http.Handler shape, also wraps ServeMux handlers.
func requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		me := getSessionUser(r)
		if !isLogin(me) {
			http.Redirect(w, r, "/login", http.StatusFound)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, me)))
	})
}

// requireAdmin is used with r.Use inside r.Group.
func requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		me := getSessionUser(r)
		if !isLogin(me) {
			http.Redirect(w, r, "/", http.StatusFound)
			return
		}
		if me.Authority == 0 {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, me)))
	})
}

// createSession stores a new session row and sets the cookie.
func createSession(w http.ResponseWriter, userID int) error {
	id := secureRandomStr(32)
	token := secureRandomStr(16)
	_, err := db.Exec(
		"INSERT INTO `sessions` (`id`, `user_id`, `csrf_token`, `expires_at`) VALUES (?, ?, ?, ?)",
		id, userID, token, time.Now().Add(sessionTTL),
	)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionName, Value: id, Path: "/", HttpOnly: true})
	return nil
}

func secureRandomStr(b int) string {
	k := make([]byte, b)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return fmt.Sprintf("%x", k)
}

func digest(src string) string {
	sum := sha512.Sum512([]byte(src))
	return hex.EncodeToString(sum[:])
}

func calculateSalt(accountName string) string {
	return digest(accountName)
}

func calculatePasshash(accountName, password string) string {
	return digest(password + ":" + calculateSalt(accountName))
}
