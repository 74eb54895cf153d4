package main

import (
	"context"
	"database/sql"
	"errors"
	"iter"
	"net/http"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo/v4"

	"isuride/internal/payment"
)

type getAppRidesResponse struct {
	Rides []*rideResponse `json:"rides"`
}

// appGetRides: the classic N+1. fillRideResponse runs getLatestRideStatus and
// calculateDiscountedFare, then fillChairResponse → getChairModel: the
// chair_models query is three calls below the loop.
func appGetRides(c echo.Context) error {
	ctx := c.Request().Context()
	user := c.Get("user").(*User)

	rides := []Ride{}
	if err := db.SelectContext(ctx, &rides, `SELECT * FROM rides WHERE user_id = ? ORDER BY created_at DESC`, user.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	items := make([]*rideResponse, 0, len(rides))
	for _, ride := range rides {
		item, err := fillRideResponse(ctx, db, ride)
		if err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		items = append(items, item)
	}
	return c.JSON(http.StatusOK, getAppRidesResponse{Rides: items})
}

type appPostRidesRequest struct {
	PickupCoordinate      *Coordinate `json:"pickup_coordinate"`
	DestinationCoordinate *Coordinate `json:"destination_coordinate"`
}

type appPostRidesResponse struct {
	RideID string `json:"ride_id"`
	Fare   int    `json:"fare"`
}

func appPostRides(c echo.Context) error {
	ctx := c.Request().Context()
	req := &appPostRidesRequest{}
	if err := c.Bind(req); err != nil || req.PickupCoordinate == nil || req.DestinationCoordinate == nil {
		return writeError(c, http.StatusBadRequest, errors.New("required fields(pickup_coordinate, destination_coordinate) are empty"))
	}
	user := c.Get("user").(*User)
	rideID := newID()

	tx, err := db.Beginx()
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer tx.Rollback()

	rides := []Ride{}
	if err := tx.SelectContext(ctx, &rides, `SELECT * FROM rides WHERE user_id = ?`, user.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	continuing := 0
	for _, ride := range rides {
		// n+1: reported on the query line inside getLatestRideStatus.
		status, err := getLatestRideStatus(ctx, tx, ride.ID)
		if err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		if status != "COMPLETED" {
			continuing++
		}
	}
	if continuing > 0 {
		return writeError(c, http.StatusConflict, errors.New("ride already exists"))
	}

	if _, err := tx.ExecContext(ctx, `
		INSERT INTO rides (id, user_id, pickup_latitude, pickup_longitude, destination_latitude, destination_longitude)
		VALUES (?, ?, ?, ?, ?, ?)`,
		rideID, user.ID, req.PickupCoordinate.Latitude, req.PickupCoordinate.Longitude,
		req.DestinationCoordinate.Latitude, req.DestinationCoordinate.Longitude,
	); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ride_statuses (id, ride_id, status) VALUES (?, ?, ?)`, newID(), rideID, "MATCHING"); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	var rideCount int
	if err := tx.GetContext(ctx, &rideCount, `SELECT COUNT(*) FROM rides WHERE user_id = ?`, user.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	coupon := &Coupon{}
	if rideCount == 1 {
		// First ride: the welcome coupon takes priority.
		err = tx.GetContext(ctx, coupon, "SELECT * FROM coupons WHERE user_id = ? AND code = 'CP_NEW2024' AND used_by IS NULL FOR UPDATE", user.ID)
	} else {
		err = tx.GetContext(ctx, coupon, "SELECT * FROM coupons WHERE user_id = ? AND used_by IS NULL ORDER BY created_at LIMIT 1 FOR UPDATE", user.ID)
	}
	switch {
	case err == nil:
		if _, err := tx.ExecContext(ctx, "UPDATE coupons SET used_by = ? WHERE user_id = ? AND code = ?", rideID, user.ID, coupon.Code); err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
	case !errors.Is(err, sql.ErrNoRows):
		return writeError(c, http.StatusInternalServerError, err)
	}

	ride := Ride{}
	if err := tx.GetContext(ctx, &ride, "SELECT * FROM rides WHERE id = ?", rideID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	fare, err := calculateDiscountedFare(ctx, tx, &ride)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.JSON(http.StatusAccepted, appPostRidesResponse{RideID: rideID, Fare: fare})
}

type appPostRidesEstimatedFareRequest struct {
	PickupCoordinate      *Coordinate `json:"pickup_coordinate"`
	DestinationCoordinate *Coordinate `json:"destination_coordinate"`
}

func appPostRidesEstimatedFare(c echo.Context) error {
	ctx := c.Request().Context()
	req := &appPostRidesEstimatedFareRequest{}
	if err := c.Bind(req); err != nil || req.PickupCoordinate == nil || req.DestinationCoordinate == nil {
		return writeError(c, http.StatusBadRequest, errors.New("required fields(pickup_coordinate, destination_coordinate) are empty"))
	}
	user := c.Get("user").(*User)
	discount, err := estimateDiscount(ctx, db, user.ID)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	fare := calculateFare(req.PickupCoordinate.Latitude, req.PickupCoordinate.Longitude, req.DestinationCoordinate.Latitude, req.DestinationCoordinate.Longitude)
	discounted := initialFare + max(fare-initialFare-discount, 0)
	return c.JSON(http.StatusOK, map[string]int{"fare": discounted, "discount": fare - discounted})
}

// appGetRide reads a ride and its status in a transaction that only reads,
// but the first read is a locking read (FOR UPDATE): the lock is the point,
// so this is not a read-only-transaction finding.
func appGetRide(c echo.Context) error {
	ctx := c.Request().Context()
	user := c.Get("user").(*User)
	rideID := c.Param("ride_id")

	tx, err := db.Beginx()
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer tx.Rollback()

	ride := Ride{}
	if err := tx.GetContext(ctx, &ride, "SELECT * FROM rides WHERE id = ? AND user_id = ? FOR UPDATE", rideID, user.ID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return writeError(c, http.StatusNotFound, errors.New("ride not found"))
		}
		return writeError(c, http.StatusInternalServerError, err)
	}
	status, err := getLatestRideStatus(ctx, tx, ride.ID)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"id": ride.ID, "status": status, "requested_at": ride.CreatedAt.UnixMilli()})
}

type appPostRideEvaluationRequest struct {
	Evaluation int `json:"evaluation"`
}

// appPostRideEvaluation completes the ride and charges the rider. The tx is
// handed to payment.Charge as a sqlx.QueryerContext.
func appPostRideEvaluation(c echo.Context) error {
	ctx := c.Request().Context()
	rideID := c.Param("ride_id")
	req := &appPostRideEvaluationRequest{}
	if err := c.Bind(req); err != nil {
		return writeError(c, http.StatusBadRequest, err)
	}
	if req.Evaluation < 1 || req.Evaluation > 5 {
		return writeError(c, http.StatusBadRequest, errors.New("evaluation must be between 1 and 5"))
	}

	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer tx.Rollback()

	ride := &Ride{}
	if err := tx.GetContext(ctx, ride, `SELECT * FROM rides WHERE id = ?`, rideID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return writeError(c, http.StatusNotFound, errors.New("ride not found"))
		}
		return writeError(c, http.StatusInternalServerError, err)
	}
	status, err := getLatestRideStatus(ctx, tx, ride.ID)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if status != "ARRIVED" {
		return writeError(c, http.StatusBadRequest, errors.New("not arrived yet"))
	}

	if _, err := tx.ExecContext(ctx, `UPDATE rides SET evaluation = ?, updated_at = ? WHERE id = ?`, req.Evaluation, time.Now(), rideID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO ride_statuses (id, ride_id, status) VALUES (?, ?, ?)`, newID(), rideID, "COMPLETED"); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	var gatewayURL string
	if err := tx.GetContext(ctx, &gatewayURL, "SELECT value FROM settings WHERE name = 'payment_gateway_url'"); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	fare, err := calculateDiscountedFare(ctx, tx, ride)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if err := payment.Charge(ctx, tx, gatewayURL, ride.UserID, fare); err != nil {
		if errors.Is(err, payment.ErrNoPaymentToken) {
			return writeError(c, http.StatusBadRequest, err)
		}
		return writeError(c, http.StatusBadGateway, err)
	}
	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.JSON(http.StatusOK, map[string]int64{"completed_at": time.Now().UnixMilli()})
}

type appGetNotificationResponse struct {
	Ride          *rideResponse `json:"data,omitempty"`
	RetryAfterMs  int           `json:"retry_after_ms"`
	EstimatedFare int           `json:"estimated_fare,omitempty"`
}

// appGetNotification opens a transaction and hands it down two levels
// (buildAppNotification → fillRideResponse/getChairStats → ...): nothing on
// the way writes, so the transaction only reads.
func appGetNotification(c echo.Context) error {
	ctx := c.Request().Context()
	user := c.Get("user").(*User)

	tx, err := db.Beginx() // want "readonly-tx: transaction only reads"
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer tx.Rollback()

	resp, err := buildAppNotification(ctx, tx, user)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return c.JSON(http.StatusOK, appGetNotificationResponse{RetryAfterMs: 30})
		}
		return writeError(c, http.StatusInternalServerError, err)
	}
	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.JSON(http.StatusOK, resp)
}

func buildAppNotification(ctx context.Context, tx *sqlx.Tx, user *User) (*appGetNotificationResponse, error) {
	ride := Ride{}
	if err := tx.GetContext(ctx, &ride, `SELECT * FROM rides WHERE user_id = ? ORDER BY created_at DESC LIMIT 1`, user.ID); err != nil {
		return nil, err
	}
	item, err := fillRideResponse(ctx, tx, ride)
	if err != nil {
		return nil, err
	}
	if item.Chair != nil {
		stats, err := getChairStats(ctx, tx, item.Chair.ID)
		if err != nil {
			return nil, err
		}
		item.Chair.Stats = stats
	}
	return &appGetNotificationResponse{Ride: item, RetryAfterMs: 30}, nil
}

// getChairStats takes the narrowest interface it needs.
func getChairStats(ctx context.Context, q sqlx.QueryerContext, chairID string) (*chairStatsDTO, error) {
	stats := &chairStatsDTO{}
	row := q.QueryRowxContext(ctx, `
		SELECT COUNT(*), COALESCE(AVG(evaluation), 0)
		FROM rides
		WHERE chair_id = ? AND evaluation IS NOT NULL`, chairID)
	if err := row.Scan(&stats.TotalRidesCount, &stats.TotalEvaluationAvg); err != nil {
		return nil, err
	}
	return stats, nil
}

type nearbyChair struct {
	ID                string     `json:"id"`
	Name              string     `json:"name"`
	Model             string     `json:"model"`
	CurrentCoordinate Coordinate `json:"current_coordinate"`
}

// activeChairs yields the chairs that are accepting rides.
func activeChairs(chairs []Chair) iter.Seq[Chair] {
	return func(yield func(Chair) bool) {
		for _, ch := range chairs {
			if !ch.IsActive {
				continue
			}
			if !yield(ch) {
				return
			}
		}
	}
}

// appGetNearbyChairs asks for a read-only transaction (a consistent
// snapshot): reported as info. The body of the range-over-func loop queries
// per chair.
func appGetNearbyChairs(c echo.Context) error {
	ctx := c.Request().Context()
	lat, errLat := strconv.Atoi(c.QueryParam("latitude"))
	lon, errLon := strconv.Atoi(c.QueryParam("longitude"))
	if errLat != nil || errLon != nil {
		return writeError(c, http.StatusBadRequest, errors.New("latitude and longitude must be integers"))
	}
	distance := 50
	if d := c.QueryParam("distance"); d != "" {
		v, err := strconv.Atoi(d)
		if err != nil {
			return writeError(c, http.StatusBadRequest, err)
		}
		distance = v
	}

	tx, err := db.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true}) // want "readonly-tx: read-only transaction"
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer tx.Rollback()

	// No WHERE at all: a deliberate full scan, not an index finding.
	chairs := []Chair{}
	if err := tx.SelectContext(ctx, &chairs, `SELECT * FROM chairs`); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	nearby := []nearbyChair{}
	for chair := range activeChairs(chairs) {
		rides := []Ride{}
		if err := tx.SelectContext(ctx, &rides, `SELECT * FROM rides WHERE chair_id = ? ORDER BY created_at DESC`, chair.ID); err != nil { // want "n+1: SELECT rides"
			return writeError(c, http.StatusInternalServerError, err)
		}
		busy := false
		for _, ride := range rides {
			status, err := getLatestRideStatus(ctx, tx, ride.ID)
			if err != nil {
				return writeError(c, http.StatusInternalServerError, err)
			}
			if status != "COMPLETED" {
				busy = true
				break
			}
		}
		if busy {
			continue
		}

		// chair_locations has no index on chair_id (see schema.sql).
		loc := ChairLocation{}
		err := tx.GetContext(ctx, &loc, `SELECT * FROM chair_locations WHERE chair_id = ? ORDER BY created_at DESC LIMIT 1`, chair.ID) // want "n+1: SELECT chair_locations" "unindexed: chair_locations.chair_id"
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		if calculateDistance(lat, lon, loc.Latitude, loc.Longitude) <= distance {
			nearby = append(nearby, nearbyChair{
				ID: chair.ID, Name: chair.Name, Model: chair.Model,
				CurrentCoordinate: Coordinate{Latitude: loc.Latitude, Longitude: loc.Longitude},
			})
		}
	}
	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"chairs": nearby, "retrieved_at": time.Now().UnixMilli()})
}
