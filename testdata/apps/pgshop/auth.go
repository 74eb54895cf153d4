package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"errors"
	"net/http"
	"strings"
	"time"

	"pgshop/db"
)

const sessionTTL = 30 * 24 * time.Hour

// checkPassword compares a password with a stored salt||sha256(salt||password).
func checkPassword(stored []byte, password string) bool {
	if len(stored) != 16+sha256.Size {
		return false
	}
	sum := sha256.Sum256(append(append([]byte{}, stored[:16]...), password...))
	return subtle.ConstantTimeCompare(sum[:], stored[16:]) == 1
}

// POST /api/login — users by its unique email, then a new session.
func (s *server) login(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	ctx := r.Context()
	u, err := s.q.GetUserByEmail(ctx, strings.ToLower(strings.TrimSpace(body.Email)))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !checkPassword(u.PasswordHash, body.Password) {
		writeError(w, http.StatusUnauthorized, "wrong email or password")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	expires := time.Now().Add(sessionTTL)
	token, err := s.q.CreateSession(ctx, db.CreateSessionParams{
		UserID:    u.ID,
		UserAgent: sql.NullString{String: r.UserAgent(), Valid: r.UserAgent() != ""},
		ExpiresAt: expires,
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	})
	writeJSON(w, http.StatusOK, map[string]any{"id": u.ID, "name": u.Name, "role": u.Role})
}

// POST /api/logout — requireUser has checked the cookie.
func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		writeError(w, http.StatusUnauthorized, "login required")
		return
	}
	if err := s.q.DeleteSession(r.Context(), c.Value); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	w.WriteHeader(http.StatusNoContent)
}
