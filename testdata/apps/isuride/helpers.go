package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

const (
	initialFare     = 500
	farePerDistance = 100
)

const latestRideStatusQuery = `SELECT status FROM ride_statuses WHERE ride_id = ? ORDER BY created_at DESC LIMIT 1`

func writeError(c echo.Context, status int, err error) error {
	if status >= 500 {
		slog.Error("request failed", "path", c.Path(), "error", err)
	}
	return c.JSON(status, map[string]string{"message": err.Error()})
}

// newID returns a 26-character, roughly time-ordered identifier.
func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return strings.ToUpper(fmt.Sprintf("%010x%s", time.Now().UnixMilli(), hex.EncodeToString(b)))[:26]
}

func secureRandomStr(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func abs(a int) int {
	if a < 0 {
		return -a
	}
	return a
}

func calculateDistance(aLat, aLon, bLat, bLon int) int {
	return abs(aLat-bLat) + abs(aLon-bLon)
}

func calculateFare(pickupLat, pickupLon, destLat, destLon int) int {
	return initialFare + farePerDistance*calculateDistance(pickupLat, pickupLon, destLat, destLon)
}

func calculateSale(ride Ride) int {
	return calculateFare(ride.PickupLatitude, ride.PickupLongitude, ride.DestinationLatitude, ride.DestinationLongitude)
}

// getLatestRideStatus is reached from several loops (appGetRides through
// fillRideResponse, appPostRides, appGetNearbyChairs): one report per loop,
// all on this line.
func getLatestRideStatus(ctx context.Context, q querier, rideID string) (string, error) {
	status := ""
	if err := q.GetContext(ctx, &status, latestRideStatusQuery, rideID); err != nil { // want "n+1: SELECT ride_statuses"
		return "", err
	}
	return status, nil
}

// calculateDiscountedFare prices a ride with the coupon attached to it.
// coupons.used_by has no index.
func calculateDiscountedFare(ctx context.Context, q querier, ride *Ride) (int, error) {
	discount := 0
	coupon := Coupon{}
	if err := q.GetContext(ctx, &coupon, "SELECT * FROM coupons WHERE used_by = ?", ride.ID); err != nil { // want "n+1: SELECT coupons" "unindexed: coupons.used_by"
		if !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
	} else {
		discount = coupon.Discount
	}
	fare := calculateFare(ride.PickupLatitude, ride.PickupLongitude, ride.DestinationLatitude, ride.DestinationLongitude)
	meteredFare := fare - initialFare
	return initialFare + max(meteredFare-discount, 0), nil
}

// estimateDiscount is the discount the rider's next ride would get: the
// welcome coupon first, then the oldest unused one. Both queries lead with
// user_id, the first column of the primary key.
func estimateDiscount(ctx context.Context, q querier, userID string) (int, error) {
	coupon := Coupon{}
	err := q.GetContext(ctx, &coupon, "SELECT * FROM coupons WHERE user_id = ? AND code = 'CP_NEW2024' AND used_by IS NULL", userID)
	if err == nil {
		return coupon.Discount, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	err = q.GetContext(ctx, &coupon, "SELECT * FROM coupons WHERE user_id = ? AND used_by IS NULL ORDER BY created_at LIMIT 1", userID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return coupon.Discount, err
}

type rideChair struct {
	ID    string         `json:"id"`
	Name  string         `json:"name"`
	Model string         `json:"model"`
	Speed int            `json:"speed"`
	Owner string         `json:"owner"`
	Stats *chairStatsDTO `json:"stats,omitempty"`
}

type chairStatsDTO struct {
	TotalRidesCount    int     `json:"total_rides_count"`
	TotalEvaluationAvg float64 `json:"total_evaluation_avg"`
}

type rideResponse struct {
	ID                    string     `json:"id"`
	PickupCoordinate      Coordinate `json:"pickup_coordinate"`
	DestinationCoordinate Coordinate `json:"destination_coordinate"`
	Status                string     `json:"status"`
	Fare                  int        `json:"fare"`
	Evaluation            *int       `json:"evaluation,omitempty"`
	Chair                 *rideChair `json:"chair,omitempty"`
	RequestedAt           int64      `json:"requested_at"`
	CompletedAt           int64      `json:"completed_at,omitempty"`
}

// fillRideResponse → fillChairResponse → getChairModel: each level runs its
// own query, so a loop over rides that calls this runs all of them per ride.
func fillRideResponse(ctx context.Context, q querier, ride Ride) (*rideResponse, error) {
	status, err := getLatestRideStatus(ctx, q, ride.ID)
	if err != nil {
		return nil, err
	}
	fare, err := calculateDiscountedFare(ctx, q, &ride)
	if err != nil {
		return nil, err
	}
	resp := &rideResponse{
		ID:                    ride.ID,
		PickupCoordinate:      Coordinate{Latitude: ride.PickupLatitude, Longitude: ride.PickupLongitude},
		DestinationCoordinate: Coordinate{Latitude: ride.DestinationLatitude, Longitude: ride.DestinationLongitude},
		Status:                status,
		Fare:                  fare,
		Evaluation:            ride.Evaluation,
		RequestedAt:           ride.CreatedAt.UnixMilli(),
	}
	if status == "COMPLETED" {
		resp.CompletedAt = ride.UpdatedAt.UnixMilli()
	}
	if ride.ChairID.Valid {
		chair, err := fillChairResponse(ctx, q, ride.ChairID.String)
		if err != nil {
			return nil, err
		}
		resp.Chair = chair
	}
	return resp, nil
}

func fillChairResponse(ctx context.Context, q querier, chairID string) (*rideChair, error) {
	chair := Chair{}
	if err := q.GetContext(ctx, &chair, "SELECT * FROM chairs WHERE id = ?", chairID); err != nil { // want "n+1: SELECT chairs"
		return nil, err
	}
	owner := Owner{}
	if err := q.GetContext(ctx, &owner, "SELECT * FROM owners WHERE id = ?", chair.OwnerID); err != nil { // want "n+1: SELECT owners"
		return nil, err
	}
	model, err := getChairModel(ctx, q, chair.Model)
	if err != nil {
		return nil, err
	}
	return &rideChair{ID: chair.ID, Name: chair.Name, Model: model.Name, Speed: model.Speed, Owner: owner.Name}, nil
}

func getChairModel(ctx context.Context, q querier, name string) (*ChairModel, error) {
	model := &ChairModel{}
	if err := q.GetContext(ctx, model, "SELECT * FROM chair_models WHERE name = ?", name); err != nil { // want "n+1: SELECT chair_models"
		return nil, fmt.Errorf("chair model %q: %w", name, err)
	}
	return model, nil
}
