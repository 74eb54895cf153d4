package main

import (
	"database/sql"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// appAuthMiddleware resolves the rider from the app_session cookie. Its
// query (users:R) belongs to every route of the /api/app group.
func appAuthMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		cookie, err := c.Cookie("app_session")
		if errors.Is(err, http.ErrNoCookie) || cookie.Value == "" {
			return writeError(c, http.StatusUnauthorized, errors.New("app_session cookie is required"))
		}
		user := &User{}
		err = db.GetContext(ctx, user, "SELECT * FROM users WHERE access_token = ?", cookie.Value)
		if err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return writeError(c, http.StatusUnauthorized, errors.New("invalid access token"))
			}
			return writeError(c, http.StatusInternalServerError, err)
		}
		c.Set("user", user)
		return next(c)
	}
}

// ownerAuthMiddleware is the owner console's session check (owners:R).
func ownerAuthMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		cookie, err := c.Cookie("owner_session")
		if errors.Is(err, http.ErrNoCookie) || cookie.Value == "" {
			return writeError(c, http.StatusUnauthorized, errors.New("owner_session cookie is required"))
		}
		owner := &Owner{}
		if err := db.GetContext(ctx, owner, "SELECT * FROM owners WHERE access_token = ?", cookie.Value); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return writeError(c, http.StatusUnauthorized, errors.New("invalid access token"))
			}
			return writeError(c, http.StatusInternalServerError, err)
		}
		c.Set("owner", owner)
		return next(c)
	}
}

// chairAuthMiddleware is attached per route (chairs:R); access_token has a
// unique index from sql/indexes.sql.
func chairAuthMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		cookie, err := c.Cookie("chair_session")
		if errors.Is(err, http.ErrNoCookie) || cookie.Value == "" {
			return writeError(c, http.StatusUnauthorized, errors.New("chair_session cookie is required"))
		}
		chair := &Chair{}
		if err := db.GetContext(ctx, chair, "SELECT * FROM chairs WHERE access_token = ?", cookie.Value); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return writeError(c, http.StatusUnauthorized, errors.New("invalid access token"))
			}
			return writeError(c, http.StatusInternalServerError, err)
		}
		c.Set("chair", chair)
		return next(c)
	}
}

// requestIDMiddleware runs no SQL.
func requestIDMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if id == "" {
			id = newID()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

var (
	rateMu   sync.Mutex
	rateSeen = map[string]time.Time{}
)

// rateLimitMiddleware drops coordinate updates sent more often than every
// 10ms by the same chair. In-memory only: no SQL.
func rateLimitMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.RealIP()
		if ch, ok := c.Get("chair").(*Chair); ok {
			key = ch.ID
		}
		now := time.Now()
		rateMu.Lock()
		last, seen := rateSeen[key]
		rateSeen[key] = now
		rateMu.Unlock()
		if seen && now.Sub(last) < 10*time.Millisecond {
			return c.NoContent(http.StatusTooManyRequests)
		}
		return next(c)
	}
}
