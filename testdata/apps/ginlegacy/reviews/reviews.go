// Package reviews is the review service: echo v3 (github.com/labstack/echo,
// no /v4) on sqlx.
package reviews

import (
	"net/http"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo"
)

// Handler holds the review service's dependencies.
type Handler struct {
	db *sqlx.DB
}

// Register adds the review routes to e. Group routes get the /api/v3 prefix
// and the sessions:R users:R of the group middleware.
func Register(e *echo.Echo, db *sqlx.DB) {
	h := &Handler{db: db}
	// echo's Static registers GET prefix and GET prefix/*; they run no SQL.
	e.Static("/assets", "public")                                                         // want "route: GET /assets" "route: GET /assets/*"
	e.GET("/reviews/:id", h.getReview)                                                    // want "route: GET /reviews/:id reviews:R users:R"
	e.Match([]string{"GET", "HEAD"}, "/reviews", h.latestReviews)                         // want "route: GET /reviews items:R reviews:R" "route: HEAD /reviews items:R reviews:R"
	e.Any("/ping", func(c echo.Context) error { return c.String(http.StatusOK, "pong") }) // want "route: ANY /ping"

	g := e.Group("/api/v3", h.auth)
	g.POST("/reviews", h.postReview)         // want "route: POST /api/v3/reviews reviews:C sessions:R users:R"
	g.GET("/me/reviews", h.myReviews)        // want "route: GET /api/v3/me/reviews items:R reviews:R sessions:R users:R"
	g.DELETE("/reviews/:id", h.deleteReview) // want "route: DELETE /api/v3/reviews/:id reviews:D sessions:R users:R"
}

type user struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// auth is echo group middleware that reads sessions and users.
func (h *Handler) auth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie("session")
		if err != nil {
			return echo.ErrUnauthorized
		}
		var u user
		err = h.db.Get(&u, `
			SELECT u.id, u.name
			FROM sessions s
			JOIN users u ON u.id = s.user_id
			WHERE s.token = ? AND s.expires_at > NOW()`, ck.Value)
		if err != nil {
			return echo.ErrUnauthorized
		}
		c.Set("user", u)
		return next(c)
	}
}

type review struct {
	ID        int64     `db:"id" json:"id"`
	ItemID    int64     `db:"item_id" json:"item_id"`
	UserID    int64     `db:"user_id" json:"user_id"`
	Rating    int       `db:"rating" json:"rating"`
	Body      string    `db:"body" json:"body"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	ItemName  string    `db:"-" json:"item_name,omitempty"`
	Author    string    `db:"-" json:"author,omitempty"`
}

// GET /reviews/:id — Beginx, two reads, Commit: only reads.
func (h *Handler) getReview(c echo.Context) error {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	tx, err := h.db.Beginx() // want "readonly-tx: transaction only reads"
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var rv review
	if err := tx.Get(&rv, "SELECT id, item_id, user_id, rating, body, created_at FROM reviews WHERE id = ?", id); err != nil {
		return echo.ErrNotFound
	}
	if err := tx.Get(&rv.Author, "SELECT name FROM users WHERE id = ?", rv.UserID); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rv)
}

// GET|HEAD /reviews?min_rating= — rating has no index; then each item name
// is fetched per row of the Queryx result (L3).
func (h *Handler) latestReviews(c echo.Context) error {
	min, _ := strconv.Atoi(c.QueryParam("min_rating"))
	rows, err := h.db.Queryx( // want "unindexed: reviews.rating"
		"SELECT id, item_id, user_id, rating, body, created_at FROM reviews WHERE rating >= ? ORDER BY created_at DESC LIMIT 20", min)
	if err != nil {
		return err
	}
	defer rows.Close()
	var out []review
	for rows.Next() {
		var rv review
		if err := rows.StructScan(&rv); err != nil {
			return err
		}
		if err := h.db.Get(&rv.ItemName, "SELECT name FROM items WHERE id = ?", rv.ItemID); err != nil { // want "n+1: SELECT items"
			return err
		}
		out = append(out, rv)
	}
	return c.JSON(http.StatusOK, out)
}

// POST /api/v3/reviews
func (h *Handler) postReview(c echo.Context) error {
	u := c.Get("user").(user)
	rv := review{UserID: u.ID, Body: c.FormValue("body")}
	rv.ItemID, _ = strconv.ParseInt(c.FormValue("item_id"), 10, 64)
	rv.Rating, _ = strconv.Atoi(c.FormValue("rating"))
	_, err := h.db.NamedExecContext(c.Request().Context(),
		"INSERT INTO reviews (item_id, user_id, rating, body) VALUES (:item_id, :user_id, :rating, :body)", &rv)
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusCreated)
}

// GET /api/v3/me/reviews — reviews by idx_user, then the item name of each
// through a helper (L2).
func (h *Handler) myReviews(c echo.Context) error {
	u := c.Get("user").(user)
	var rs []review
	if err := h.db.SelectContext(c.Request().Context(), &rs,
		"SELECT id, item_id, user_id, rating, body, created_at FROM reviews WHERE user_id = ? ORDER BY id DESC", u.ID); err != nil {
		return err
	}
	for i := range rs {
		rs[i].ItemName = h.itemName(c, rs[i].ItemID)
	}
	return c.JSON(http.StatusOK, rs)
}

func (h *Handler) itemName(c echo.Context, id int64) string {
	var name string
	_ = h.db.GetContext(c.Request().Context(), &name, "SELECT name FROM items WHERE id = ?", id) // want "n+1: SELECT items"
	return name
}

// DELETE /api/v3/reviews/:id
func (h *Handler) deleteReview(c echo.Context) error {
	u := c.Get("user").(user)
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	h.db.MustExecContext(c.Request().Context(), "DELETE FROM reviews WHERE id = ? AND user_id = ?", id, u.ID)
	return c.NoContent(http.StatusNoContent)
}
