package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo/v4"
)

// setupChairRoutes registers the chair (driver) API. Authentication is
// per-route middleware here, so chairs:R comes from chairAuthMiddleware.
func setupChairRoutes(e *echo.Echo) {
	e.POST("/api/chair/chairs", chairPostChairs)                                                   // want "route: POST /api/chair/chairs chairs:C owners:R"
	e.POST("/api/chair/activity", chairPostActivity, chairAuthMiddleware)                          // want "route: POST /api/chair/activity chairs:RU"
	e.POST("/api/chair/coordinate", chairPostCoordinate, chairAuthMiddleware, rateLimitMiddleware) // want "route: POST /api/chair/coordinate chair_locations:CR chair_total_distances:CU chairs:R notifications:C ride_statuses:CR rides:R"
	e.GET("/api/chair/notification", chairGetNotification, chairAuthMiddleware)                    // want "route: GET /api/chair/notification chairs:R ride_statuses:RU rides:R users:R"
	e.POST("/api/chair/rides/:ride_id/status", chairPostRideStatus, chairAuthMiddleware)           // want "route: POST /api/chair/rides/:ride_id/status chairs:R ride_statuses:CR rides:R"
	e.Add(http.MethodPut, "/api/chair/model", chairPutModel, chairAuthMiddleware)                  // want "route: PUT /api/chair/model chair_models:R chairs:RU"
}

type chairPostChairsRequest struct {
	Name               string `json:"name"`
	Model              string `json:"model"`
	ChairRegisterToken string `json:"chair_register_token"`
}

func chairPostChairs(c echo.Context) error {
	ctx := c.Request().Context()
	req := &chairPostChairsRequest{}
	if err := c.Bind(req); err != nil {
		return writeError(c, http.StatusBadRequest, err)
	}
	if req.Name == "" || req.Model == "" || req.ChairRegisterToken == "" {
		return writeError(c, http.StatusBadRequest, errors.New("some of required fields(name, model, chair_register_token) are empty"))
	}

	owner := &Owner{}
	if err := db.GetContext(ctx, owner, "SELECT * FROM owners WHERE chair_register_token = ?", req.ChairRegisterToken); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return writeError(c, http.StatusUnauthorized, errors.New("invalid chair_register_token"))
		}
		return writeError(c, http.StatusInternalServerError, err)
	}

	chairID := newID()
	accessToken := secureRandomStr(32)
	_, err := db.ExecContext(ctx,
		"INSERT INTO chairs (id, owner_id, name, model, is_active, access_token) VALUES (?, ?, ?, ?, ?, ?)",
		chairID, owner.ID, req.Name, req.Model, false, accessToken,
	)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	c.SetCookie(&http.Cookie{Path: "/", Name: "chair_session", Value: accessToken})
	return c.JSON(http.StatusCreated, map[string]string{"id": chairID, "owner_id": owner.ID})
}

type chairPostActivityRequest struct {
	IsActive bool `json:"is_active"`
}

func chairPostActivity(c echo.Context) error {
	chair := c.Get("chair").(*Chair)
	req := &chairPostActivityRequest{}
	if err := c.Bind(req); err != nil {
		return writeError(c, http.StatusBadRequest, err)
	}
	if _, err := db.ExecContext(c.Request().Context(), "UPDATE chairs SET is_active = ? WHERE id = ?", req.IsActive, chair.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.NoContent(http.StatusNoContent)
}

// chairPostCoordinate records a position, keeps the running total distance
// (INSERT ... ON DUPLICATE KEY UPDATE: C and U) and advances the ride.
func chairPostCoordinate(c echo.Context) error {
	ctx := c.Request().Context()
	req := &Coordinate{}
	if err := c.Bind(req); err != nil {
		return writeError(c, http.StatusBadRequest, err)
	}
	chair := c.Get("chair").(*Chair)

	tx, err := db.Beginx()
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer tx.Rollback()

	// chair_id is not indexed: scans chair_locations on every coordinate post.
	prev := ChairLocation{}
	hasPrev := true
	if err := tx.GetContext(ctx, &prev, `SELECT * FROM chair_locations WHERE chair_id = ? ORDER BY created_at DESC LIMIT 1`, chair.ID); err != nil { // want "unindexed: chair_locations.chair_id"
		if !errors.Is(err, sql.ErrNoRows) {
			return writeError(c, http.StatusInternalServerError, err)
		}
		hasPrev = false
	}

	locationID := newID()
	if _, err := tx.ExecContext(ctx, `INSERT INTO chair_locations (id, chair_id, latitude, longitude) VALUES (?, ?, ?, ?)`, locationID, chair.ID, req.Latitude, req.Longitude); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	location := ChairLocation{}
	if err := tx.GetContext(ctx, &location, `SELECT * FROM chair_locations WHERE id = ?`, locationID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	moved := 0
	if hasPrev {
		moved = calculateDistance(prev.Latitude, prev.Longitude, req.Latitude, req.Longitude)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO chair_total_distances (chair_id, total_distance, total_distance_updated_at)
		VALUES (?, ?, ?)
		ON DUPLICATE KEY UPDATE
			total_distance = total_distance + VALUES(total_distance),
			total_distance_updated_at = VALUES(total_distance_updated_at)`,
		chair.ID, moved, location.CreatedAt,
	); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	ride := Ride{}
	if err := tx.GetContext(ctx, &ride, `SELECT * FROM rides WHERE chair_id = ? ORDER BY updated_at DESC LIMIT 1`, chair.ID); err != nil {
		if !errors.Is(err, sql.ErrNoRows) {
			return writeError(c, http.StatusInternalServerError, err)
		}
	} else {
		status, err := getLatestRideStatus(ctx, tx, ride.ID)
		if err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		switch {
		case status == "ENROUTE" && req.Latitude == ride.PickupLatitude && req.Longitude == ride.PickupLongitude:
			if _, err := tx.ExecContext(ctx, "INSERT INTO ride_statuses (id, ride_id, status) VALUES (?, ?, ?)", newID(), ride.ID, "PICKUP"); err != nil {
				return writeError(c, http.StatusInternalServerError, err)
			}
		case status == "CARRYING" && req.Latitude == ride.DestinationLatitude && req.Longitude == ride.DestinationLongitude:
			if _, err := tx.ExecContext(ctx, "INSERT INTO ride_statuses (id, ride_id, status) VALUES (?, ?, ?)", newID(), ride.ID, "ARRIVED"); err != nil {
				return writeError(c, http.StatusInternalServerError, err)
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO notifications (user_id, kind, body) VALUES (?, 'ride_arrived', ?)", ride.UserID, fmt.Sprintf("%s が目的地に到着しました", chair.Name)); err != nil {
				return writeError(c, http.StatusInternalServerError, err)
			}
		}
	}

	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.JSON(http.StatusOK, map[string]int64{"recorded_at": location.CreatedAt.UnixMilli()})
}

type chairNotification struct {
	RideID string     `json:"ride_id"`
	User   string     `json:"user"`
	Pickup Coordinate `json:"pickup_coordinate"`
	Dest   Coordinate `json:"destination_coordinate"`
	Status string     `json:"status"`
}

// chairGetNotification passes its transaction down: buildChairNotification
// → nextChairStatus → markChairSent, and the deepest helper writes
// (UPDATE ride_statuses), so this is not a read-only transaction.
func chairGetNotification(c echo.Context) error {
	ctx := c.Request().Context()
	chair := c.Get("chair").(*Chair)

	tx, err := db.Beginx()
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer tx.Rollback()

	n, err := buildChairNotification(ctx, tx, chair)
	if errors.Is(err, sql.ErrNoRows) {
		return c.JSON(http.StatusOK, map[string]int{"retry_after_ms": 30})
	}
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"data": n, "retry_after_ms": 30})
}

func buildChairNotification(ctx context.Context, tx *sqlx.Tx, chair *Chair) (*chairNotification, error) {
	ride := Ride{}
	if err := tx.GetContext(ctx, &ride, `SELECT * FROM rides WHERE chair_id = ? ORDER BY updated_at DESC LIMIT 1`, chair.ID); err != nil {
		return nil, err
	}
	user := User{}
	if err := tx.GetContext(ctx, &user, "SELECT * FROM users WHERE id = ?", ride.UserID); err != nil {
		return nil, err
	}
	status, found, err := nextChairStatus(ctx, tx, ride.ID)
	if err != nil {
		return nil, err
	}
	if !found {
		if status, err = getLatestRideStatus(ctx, tx, ride.ID); err != nil {
			return nil, err
		}
	}
	return &chairNotification{
		RideID: ride.ID,
		User:   user.Firstname + " " + user.Lastname,
		Pickup: Coordinate{Latitude: ride.PickupLatitude, Longitude: ride.PickupLongitude},
		Dest:   Coordinate{Latitude: ride.DestinationLatitude, Longitude: ride.DestinationLongitude},
		Status: status,
	}, nil
}

// nextChairStatus returns the oldest status change not yet sent to the chair
// and marks it sent. The tx arrives as a sqlx.ExtContext.
func nextChairStatus(ctx context.Context, ext sqlx.ExtContext, rideID string) (string, bool, error) {
	rs := RideStatus{}
	err := sqlx.GetContext(ctx, ext, &rs, `SELECT * FROM ride_statuses WHERE ride_id = ? AND chair_sent_at IS NULL ORDER BY created_at ASC LIMIT 1`, rideID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	if err := markChairSent(ctx, ext, rs.ID); err != nil {
		return "", false, err
	}
	return rs.Status, true, nil
}

func markChairSent(ctx context.Context, ext sqlx.ExtContext, statusID string) error {
	_, err := ext.ExecContext(ctx, `UPDATE ride_statuses SET chair_sent_at = CURRENT_TIMESTAMP(6) WHERE id = ?`, statusID)
	return err
}

type chairPostRideStatusRequest struct {
	Status string `json:"status"`
}

// chairPostRideStatus locks the ride, then writes on two of three branches.
func chairPostRideStatus(c echo.Context) error {
	ctx := c.Request().Context()
	rideID := c.Param("ride_id")
	chair := c.Get("chair").(*Chair)
	req := &chairPostRideStatusRequest{}
	if err := c.Bind(req); err != nil {
		return writeError(c, http.StatusBadRequest, err)
	}

	tx, err := db.Beginx()
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer tx.Rollback()

	ride := &Ride{}
	if err := tx.GetContext(ctx, ride, "SELECT * FROM rides WHERE id = ? FOR UPDATE", rideID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return writeError(c, http.StatusNotFound, errors.New("ride not found"))
		}
		return writeError(c, http.StatusInternalServerError, err)
	}
	if ride.ChairID.String != chair.ID {
		return writeError(c, http.StatusBadRequest, errors.New("not assigned to this ride"))
	}

	switch req.Status {
	case "ENROUTE":
		if _, err := tx.ExecContext(ctx, "INSERT INTO ride_statuses (id, ride_id, status) VALUES (?, ?, ?)", newID(), ride.ID, "ENROUTE"); err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
	case "CARRYING":
		status, err := getLatestRideStatus(ctx, tx, ride.ID)
		if err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		if status != "PICKUP" {
			return writeError(c, http.StatusBadRequest, errors.New("chair has not arrived yet"))
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO ride_statuses (id, ride_id, status) VALUES (?, ?, ?)", newID(), ride.ID, "CARRYING"); err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
	default:
		return writeError(c, http.StatusBadRequest, errors.New("invalid status"))
	}

	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.NoContent(http.StatusNoContent)
}

type chairPutModelRequest struct {
	Model string `json:"model"`
}

// chairPutModel writes only when the model actually changes. A transaction
// whose write sits on one branch is not read-only.
func chairPutModel(c echo.Context) error {
	ctx := c.Request().Context()
	chair := c.Get("chair").(*Chair)
	req := &chairPutModelRequest{}
	if err := c.Bind(req); err != nil || req.Model == "" {
		return writeError(c, http.StatusBadRequest, errors.New("model is required"))
	}

	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer tx.Rollback()

	var known int
	if err := tx.GetContext(ctx, &known, "SELECT COUNT(*) FROM chair_models WHERE name = ?", req.Model); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if known == 0 {
		return writeError(c, http.StatusBadRequest, errors.New("unknown chair model"))
	}
	if req.Model != chair.Model {
		if _, err := tx.ExecContext(ctx, "UPDATE chairs SET model = ?, updated_at = ? WHERE id = ?", req.Model, time.Now(), chair.ID); err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.NoContent(http.StatusNoContent)
}
