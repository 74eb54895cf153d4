package main

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// chairBusyQuery: a chair is busy while one of its rides has no COMPLETED
// status. rides is found by chair_id, the NOT EXISTS subquery by ride_id:
// both indexed.
const chairBusyQuery = `
	SELECT EXISTS (
		SELECT 1 FROM rides r
		WHERE r.chair_id = ?
		  AND NOT EXISTS (SELECT 1 FROM ride_statuses rs WHERE rs.ride_id = r.id AND rs.status = 'COMPLETED')
	)`

// internalGetMatching assigns waiting rides to free chairs. It is called by
// a cron job with any method, hence e.Any.
func internalGetMatching(c echo.Context) error {
	ctx := c.Request().Context()

	// "chair_id IS NULL" can use idx_rides_chair_id_updated_at (IS NULL is a
	// ref lookup in MySQL), so no finding even with ORDER BY ... LIMIT.
	waiting := []Ride{}
	if err := db.SelectContext(ctx, &waiting, `SELECT * FROM rides WHERE chair_id IS NULL ORDER BY created_at LIMIT 20`); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if len(waiting) == 0 {
		return c.NoContent(http.StatusNoContent)
	}

	// is_active has no index.
	candidates := []Chair{}
	if err := db.SelectContext(ctx, &candidates, `SELECT * FROM chairs WHERE is_active = TRUE`); err != nil { // want "unindexed: chairs.is_active"
		return writeError(c, http.StatusInternalServerError, err)
	}

	matched := 0
	for i := 0; i < len(waiting); i++ {
		ride := waiting[i]
		assigned := false
		for !assigned && len(candidates) > 0 {
			chair := candidates[0]
			candidates = candidates[1:]

			busy := false
			if err := db.GetContext(ctx, &busy, chairBusyQuery, chair.ID); err != nil { // want "n+1: SELECT ride_statuses, rides"
				return writeError(c, http.StatusInternalServerError, err)
			}
			if busy {
				continue
			}
			res, err := db.ExecContext(ctx, "UPDATE rides SET chair_id = ?, updated_at = ? WHERE id = ? AND chair_id IS NULL", chair.ID, time.Now(), ride.ID) // want "n+1: UPDATE rides"
			if err != nil {
				return writeError(c, http.StatusInternalServerError, err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				assigned = true
				matched++
			}
		}
	}
	return c.JSON(http.StatusOK, map[string]int{"matched": matched})
}
