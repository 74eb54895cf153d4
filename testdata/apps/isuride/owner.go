package main

import (
	"database/sql"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo/v4"
)

// ownerHandler carries its dependencies; its methods are registered as
// method values.
type ownerHandler struct {
	db   *sqlx.DB
	repo ChairRepository
}

func setupOwnerRoutes(e *echo.Echo) {
	h := &ownerHandler{db: db, repo: newChairRepository(db)}

	owner := e.Group("/api/owner")
	owner.POST("/owners", ownerPostOwners) // want "route: POST /api/owner/owners owners:C"

	// An empty-prefix group only to attach the session middleware.
	authed := owner.Group("", ownerAuthMiddleware)
	authed.GET("/sales", ownerGetSales)               // want "route: GET /api/owner/sales chairs:R owners:R ride_statuses:R rides:R"
	authed.GET("/chairs", h.getChairs)                // want "route: GET /api/owner/chairs chair_total_distances:R chairs:R owners:R"
	authed.GET("/chairs/compare", h.compareChairs)    // want "route: GET /api/owner/chairs/compare chairs:R owners:R"
	authed.GET("/chairs/live", h.getLiveChairs)       // want "route: GET /api/owner/chairs/live chairs:R owners:R rides:R"
	authed.GET("/chairs/:chair_id", h.getChairDetail) // want "route: GET /api/owner/chairs/:chair_id chairs:R owners:R rides:R users:R"
	authed.GET("/ranking", ownerGetRanking)           // want "route: GET /api/owner/ranking chairs:R owners:R rides:R"
	authed.POST("/daily-sales", ownerPostDailySales)  // want "route: POST /api/owner/daily-sales chairs:R owner_daily_sales:CD owners:R rides:R"
	authed.GET("/daily-sales", ownerGetDailySales)    // want "route: GET /api/owner/daily-sales owner_daily_sales:R owners:R"
}

type ownerPostOwnersRequest struct {
	Name string `json:"name"`
}

func ownerPostOwners(c echo.Context) error {
	req := &ownerPostOwnersRequest{}
	if err := c.Bind(req); err != nil || req.Name == "" {
		return writeError(c, http.StatusBadRequest, errors.New("name is required"))
	}
	owner := Owner{
		ID:                 newID(),
		Name:               req.Name,
		AccessToken:        secureRandomStr(32),
		ChairRegisterToken: secureRandomStr(32),
	}
	if _, err := db.NamedExec(`INSERT INTO owners (id, name, access_token, chair_register_token) VALUES (:id, :name, :access_token, :chair_register_token)`, owner); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	c.SetCookie(&http.Cookie{Path: "/", Name: "owner_session", Value: owner.AccessToken})
	return c.JSON(http.StatusCreated, map[string]string{"id": owner.ID, "chair_register_token": owner.ChairRegisterToken})
}

type chairSales struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Sales int    `json:"sales"`
}

type modelSales struct {
	Model string `json:"model"`
	Sales int    `json:"sales"`
}

type ownerGetSalesResponse struct {
	TotalSales int          `json:"total_sales"`
	Chairs     []chairSales `json:"chairs"`
	Models     []modelSales `json:"models"`
}

// completedRidesOfChair: ride_statuses is served through its ON column
// (ride_id) and rides through chair_id, so the join itself is fine; running
// it once per chair is not.
const completedRidesOfChair = `
	SELECT r.*
	FROM ride_statuses rs
	JOIN rides r ON r.id = rs.ride_id
	WHERE r.chair_id = ? AND rs.status = 'COMPLETED' AND r.updated_at BETWEEN ? AND ?`

// ownerGetSales opens a transaction and only ever reads through it.
func ownerGetSales(c echo.Context) error {
	ctx := c.Request().Context()
	owner := c.Get("owner").(*Owner)
	since, until, err := parseSalesRange(c.QueryParam("since"), c.QueryParam("until"))
	if err != nil {
		return writeError(c, http.StatusBadRequest, err)
	}

	tx, err := db.Beginx() // want "readonly-tx: transaction only reads"
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer tx.Rollback()

	chairs := []Chair{}
	if err := tx.SelectContext(ctx, &chairs, "SELECT * FROM chairs WHERE owner_id = ?", owner.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	res := ownerGetSalesResponse{Chairs: []chairSales{}}
	byModel := map[string]int{}
	for _, chair := range chairs {
		rides := []Ride{}
		if err := tx.SelectContext(ctx, &rides, completedRidesOfChair, chair.ID, since, until); err != nil { // want "n+1: SELECT ride_statuses, rides"
			return writeError(c, http.StatusInternalServerError, err)
		}
		sales := 0
		for _, ride := range rides {
			sales += calculateSale(ride)
		}
		res.TotalSales += sales
		res.Chairs = append(res.Chairs, chairSales{ID: chair.ID, Name: chair.Name, Sales: sales})
		byModel[chair.Model] += sales
	}
	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	for model, sales := range byModel {
		res.Models = append(res.Models, modelSales{Model: model, Sales: sales})
	}
	return c.JSON(http.StatusOK, res)
}

func parseSalesRange(sinceStr, untilStr string) (time.Time, time.Time, error) {
	since := time.Unix(0, 0)
	until := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	if sinceStr != "" {
		t, err := time.Parse(time.RFC3339, sinceStr)
		if err != nil {
			return since, until, err
		}
		since = t
	}
	if untilStr != "" {
		t, err := time.Parse(time.RFC3339, untilStr)
		if err != nil {
			return since, until, err
		}
		until = t
	}
	return since, until, nil
}

type ownerChair struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Model         string `json:"model"`
	Active        bool   `json:"active"`
	TotalDistance int    `json:"total_distance"`
}

// getChairs: the loop only collects ids; the distances come from one
// IN (?) query after it. Not an N+1.
func (h *ownerHandler) getChairs(c echo.Context) error {
	ctx := c.Request().Context()
	owner := c.Get("owner").(*Owner)

	chairs, err := h.repo.ListByOwner(ctx, owner.ID)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	ids := make([]string, 0, len(chairs))
	for _, ch := range chairs {
		ids = append(ids, ch.ID)
	}

	distances := map[string]int{}
	if len(ids) > 0 {
		query, args, err := sqlx.In(`SELECT chair_id, total_distance, total_distance_updated_at FROM chair_total_distances WHERE chair_id IN (?)`, ids)
		if err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		rows := []ChairTotalDistance{}
		if err := h.db.Select(&rows, h.db.Rebind(query), args...); err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		for _, r := range rows {
			distances[r.ChairID] = r.TotalDistance
		}
	}

	res := make([]ownerChair, 0, len(chairs))
	for _, ch := range chairs {
		res = append(res, ownerChair{ID: ch.ID, Name: ch.Name, Model: ch.Model, Active: ch.IsActive, TotalDistance: distances[ch.ID]})
	}
	return c.JSON(http.StatusOK, map[string]any{"chairs": res})
}

// compareChairs looks chairs up one by one through the repository
// interface: the n+1 is reported inside sqlChairRepository.FindChair.
func (h *ownerHandler) compareChairs(c echo.Context) error {
	ctx := c.Request().Context()
	owner := c.Get("owner").(*Owner)
	ids := strings.Split(c.QueryParam("ids"), ",")
	if len(ids) < 2 {
		return writeError(c, http.StatusBadRequest, errors.New("give at least two chair ids"))
	}
	res := []ownerChair{}
	for _, id := range ids {
		chair, err := h.repo.FindChair(ctx, id)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && chair.OwnerID != owner.ID) {
			return writeError(c, http.StatusNotFound, errors.New("chair not found: "+id))
		}
		if err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		res = append(res, ownerChair{ID: chair.ID, Name: chair.Name, Model: chair.Model, Active: chair.IsActive})
	}
	return c.JSON(http.StatusOK, map[string]any{"chairs": res})
}

type liveChair struct {
	ID     string `json:"id"`
	RideID string `json:"ride_id,omitempty"`
	Since  int64  `json:"since,omitempty"`
}

// getLiveChairs fans out one goroutine per chair: still one query per chair.
func (h *ownerHandler) getLiveChairs(c echo.Context) error {
	ctx := c.Request().Context()
	owner := c.Get("owner").(*Owner)
	chairs, err := h.repo.ListByOwner(ctx, owner.ID)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	res := make([]liveChair, len(chairs))
	errs := make([]error, len(chairs))
	var wg sync.WaitGroup
	for i, ch := range chairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ride := Ride{}
			err := h.db.GetContext(ctx, &ride, `SELECT * FROM rides WHERE chair_id = ? ORDER BY updated_at DESC LIMIT 1`, ch.ID) // want "n+1: SELECT rides"
			switch {
			case errors.Is(err, sql.ErrNoRows):
				res[i] = liveChair{ID: ch.ID}
			case err != nil:
				errs[i] = err
			default:
				res[i] = liveChair{ID: ch.ID, RideID: ride.ID, Since: ride.UpdatedAt.UnixMilli()}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"chairs": res})
}

type rideHistory struct {
	ID         string    `db:"id" json:"id"`
	UserID     string    `db:"user_id" json:"-"`
	Username   string    `db:"-" json:"username"`
	Evaluation int       `db:"evaluation" json:"evaluation"`
	MovingAvg  float64   `db:"moving_avg" json:"moving_avg"`
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
}

// getChairDetail: a window function for the moving average, and a closure
// that queries, called once per history row.
func (h *ownerHandler) getChairDetail(c echo.Context) error {
	ctx := c.Request().Context()
	owner := c.Get("owner").(*Owner)

	chair, err := h.repo.FindChair(ctx, c.Param("chair_id"))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && chair.OwnerID != owner.ID) {
		return writeError(c, http.StatusNotFound, errors.New("chair not found"))
	}
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	const historyQuery = `
		SELECT id, user_id, evaluation, created_at,
		       AVG(evaluation) OVER (ORDER BY created_at ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS moving_avg
		FROM rides
		WHERE chair_id = ? AND evaluation IS NOT NULL
		ORDER BY created_at DESC
		LIMIT 20`
	history := []rideHistory{}
	if err := h.db.SelectContext(ctx, &history, historyQuery, chair.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	usernameOf := func(userID string) (string, error) {
		var name string
		err := h.db.GetContext(ctx, &name, "SELECT username FROM users WHERE id = ?", userID) // want "n+1: SELECT users"
		return name, err
	}
	for i := range history {
		name, err := usernameOf(history[i].UserID)
		if err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		history[i].Username = name
	}
	return c.JSON(http.StatusOK, map[string]any{
		"id": chair.ID, "name": chair.Name, "model": chair.Model, "active": chair.IsActive,
		"history": history,
	})
}
