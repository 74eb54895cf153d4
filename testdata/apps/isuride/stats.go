package main

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

const dailySalesTable = "owner_daily_sales"

// rankingQuery ranks the owner's chairs by sales with a window function
// over a derived table. The derived table is judged on its own WHERE
// (c.owner_id is indexed, rides joins on chair_id); the outer query has no
// predicate and no LIMIT.
const rankingQuery = `
	SELECT t.chair_id, t.chair_name, t.sales, RANK() OVER (ORDER BY t.sales DESC) AS sales_rank
	FROM (
		SELECT c.id AS chair_id, c.name AS chair_name,
		       SUM(500 + 100 * (ABS(r.pickup_latitude - r.destination_latitude) + ABS(r.pickup_longitude - r.destination_longitude))) AS sales
		FROM chairs c
		JOIN rides r ON r.chair_id = c.id
		WHERE c.owner_id = ? AND r.evaluation IS NOT NULL
		GROUP BY c.id, c.name
	) AS t
	ORDER BY sales_rank`

type rankingRow struct {
	ChairID   string `db:"chair_id" json:"chair_id"`
	ChairName string `db:"chair_name" json:"chair_name"`
	Sales     int64  `db:"sales" json:"sales"`
	Rank      int    `db:"sales_rank" json:"rank"`
}

// ownerGetRanking iterates rows with Queryx; nothing inside the loop queries.
func ownerGetRanking(c echo.Context) error {
	owner := c.Get("owner").(*Owner)
	rows, err := db.QueryxContext(c.Request().Context(), rankingQuery, owner.ID)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer rows.Close()

	ranking := []rankingRow{}
	for rows.Next() {
		var r rankingRow
		if err := rows.StructScan(&r); err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		ranking = append(ranking, r)
	}
	if err := rows.Err(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"ranking": ranking})
}

// aggregateDailySales is INSERT ... SELECT: owner_daily_sales:C, and the
// source tables are read (chairs:R, rides:R).
const aggregateDailySales = `
	INSERT INTO owner_daily_sales (owner_id, sales_date, sales, ride_count)
	SELECT c.owner_id, DATE(r.updated_at),
	       SUM(500 + 100 * (ABS(r.pickup_latitude - r.destination_latitude) + ABS(r.pickup_longitude - r.destination_longitude))),
	       COUNT(*)
	FROM rides r
	JOIN chairs c ON c.id = r.chair_id
	WHERE c.owner_id = ? AND r.evaluation IS NOT NULL AND r.updated_at >= ?
	GROUP BY c.owner_id, DATE(r.updated_at)`

// ownerPostDailySales rebuilds the owner's daily aggregates from a date on.
func ownerPostDailySales(c echo.Context) error {
	ctx := c.Request().Context()
	owner := c.Get("owner").(*Owner)
	from, err := time.Parse(time.DateOnly, c.QueryParam("from"))
	if err != nil {
		return writeError(c, http.StatusBadRequest, err)
	}

	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx, "DELETE FROM owner_daily_sales WHERE owner_id = ? AND sales_date >= ?", owner.ID, from); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	res, err := tx.ExecContext(ctx, aggregateDailySales, owner.ID, from)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	days, _ := res.RowsAffected()
	return c.JSON(http.StatusOK, map[string]int64{"days": days})
}

// ownerGetDailySales: fmt.Sprintf with a constant table name is still a
// fully known statement.
func ownerGetDailySales(c echo.Context) error {
	owner := c.Get("owner").(*Owner)
	query := fmt.Sprintf("SELECT * FROM %s WHERE owner_id = ? ORDER BY sales_date DESC LIMIT 31", dailySalesTable)
	sales := []OwnerDailySales{}
	if err := db.SelectContext(c.Request().Context(), &sales, query, owner.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"daily_sales": sales})
}
