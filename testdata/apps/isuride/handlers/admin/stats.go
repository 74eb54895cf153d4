package admin

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/errgroup"
)

type rideStats struct {
	Rides         int     `db:"total" json:"rides"`
	AvgEvaluation float64 `db:"avg_evaluation" json:"avg_evaluation"`
}

// getRideStats builds its WHERE clause from optional filters. Every
// condition is a constant; crudmap reports rides with user_id, chair_id and
// evaluation. user_id and chair_id each lead an index, so the table is
// served: no finding (and with no filter at all it is a plain full count).
func (h *Handler) getRideStats(c echo.Context) error {
	conds := []string{}
	args := []any{}
	if v := c.QueryParam("user_id"); v != "" {
		conds = append(conds, "user_id = ?")
		args = append(args, v)
	}
	if v := c.QueryParam("chair_id"); v != "" {
		conds = append(conds, "chair_id = ?")
		args = append(args, v)
	}
	if v := c.QueryParam("min_evaluation"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return badRequest(c, "min_evaluation must be an integer")
		}
		conds = append(conds, "evaluation >= ?")
		args = append(args, n)
	}
	query := "SELECT COUNT(*) AS total, COALESCE(AVG(evaluation), 0) AS avg_evaluation FROM rides"
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	st := rideStats{}
	if err := h.db.GetContext(c.Request().Context(), &st, query, args...); err != nil {
		return internalError(c, err)
	}
	return c.JSON(http.StatusOK, st)
}

// getStatusCounts loops over a constant list of three statuses: a bounded
// loop (info), but the column itself has no index.
func (h *Handler) getStatusCounts(c echo.Context) error {
	ctx := c.Request().Context()
	counts := map[string]int{}
	for _, status := range []string{"MATCHING", "ENROUTE", "CARRYING"} {
		var n int
		if err := h.db.GetContext(ctx, &n, "SELECT COUNT(*) FROM ride_statuses WHERE status = ?", status); err != nil { // want "n+1: SELECT ride_statuses" "bounded loop" "unindexed: ride_statuses.status"
			return internalError(c, err)
		}
		counts[status] = n
	}
	return c.JSON(http.StatusOK, counts)
}

// getTestAccounts: LIKE 'bench%' can use the unique index on
// users.username; LIKE '%-bot' cannot use the one on owners.name.
func (h *Handler) getTestAccounts(c echo.Context) error {
	ctx := c.Request().Context()
	var benchUsers int
	if err := h.db.GetContext(ctx, &benchUsers, "SELECT COUNT(*) FROM users WHERE username LIKE 'bench%'"); err != nil {
		return internalError(c, err)
	}
	botOwners := []string{}
	if err := h.db.SelectContext(ctx, &botOwners, "SELECT name FROM owners WHERE name LIKE '%-bot'"); err != nil { // want "unindexed: owners.name"
		return internalError(c, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"bench_users": benchUsers, "bot_owners": botOwners})
}

type adminUser struct {
	ID        string    `db:"id" json:"id"`
	Username  string    `db:"username" json:"username"`
	Firstname string    `db:"firstname" json:"firstname"`
	Lastname  string    `db:"lastname" json:"lastname"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
}

var userOrders = []string{"created_at", "created_at DESC", "username", "username DESC"}

// listUsers appends the ORDER BY clause from the request (checked against an
// allow-list): the statement is dynamic. The table is known (users:R); the
// sort column is not, so there is nothing to judge for indexes.
func (h *Handler) listUsers(c echo.Context) error {
	order := c.QueryParam("order")
	if order == "" {
		order = "created_at"
	}
	if !slices.Contains(userOrders, order) {
		return badRequest(c, "unsupported order")
	}
	query := "SELECT id, username, firstname, lastname, created_at FROM users ORDER BY " + order
	users := []adminUser{}
	if err := h.db.SelectContext(c.Request().Context(), &users, query); err != nil {
		return internalError(c, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"users": users})
}

type referral struct {
	ID        string         `db:"id" json:"id"`
	Username  string         `db:"username" json:"username"`
	InvitedBy sql.NullString `db:"invited_by" json:"-"`
}

const maxReferralDepth = 32

// getReferralChain walks up "who invited whom". referralChain recurses
// through getInviter, which queries once per level.
func (h *Handler) getReferralChain(c echo.Context) error {
	chain, err := h.referralChain(c.Request().Context(), c.Param("user_id"), 0)
	if errors.Is(err, sql.ErrNoRows) {
		return c.JSON(http.StatusNotFound, map[string]string{"message": "user not found"})
	}
	if err != nil {
		return internalError(c, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"chain": chain})
}

func (h *Handler) referralChain(ctx context.Context, userID string, depth int) ([]referral, error) {
	if depth >= maxReferralDepth {
		return nil, nil
	}
	u, err := h.getInviter(ctx, userID)
	if err != nil {
		return nil, err
	}
	if !u.InvitedBy.Valid {
		return []referral{*u}, nil
	}
	rest, err := h.referralChain(ctx, u.InvitedBy.String, depth+1)
	if err != nil {
		return nil, err
	}
	return append([]referral{*u}, rest...), nil
}

func (h *Handler) getInviter(ctx context.Context, userID string) (*referral, error) {
	u := &referral{}
	if err := h.db.GetContext(ctx, u, "SELECT id, username, invited_by FROM users WHERE id = ?", userID); err != nil { // want "n+1: SELECT users" "recursive call"
		return nil, err
	}
	return u, nil
}

type searchHit struct {
	ID   string `db:"id" json:"id"`
	Name string `db:"name" json:"name"`
	Kind string `db:"kind" json:"kind"`
}

const exactNameSearch = `
	SELECT id, name, 'owner' AS kind FROM owners WHERE name = ?
	UNION ALL
	SELECT id, username AS name, 'user' AS kind FROM users WHERE username = ?`

// search: both halves of the UNION use a unique index. The fallback wraps
// the column in LOWER(), which hides it from the index.
func (h *Handler) search(c echo.Context) error {
	ctx := c.Request().Context()
	q := c.QueryParam("q")
	if q == "" {
		return badRequest(c, "q is required")
	}
	hits := []searchHit{}
	if err := h.db.SelectContext(ctx, &hits, exactNameSearch, q, q); err != nil {
		return internalError(c, err)
	}
	if len(hits) == 0 {
		if err := h.db.SelectContext(ctx, &hits, "SELECT id, username AS name, 'user' AS kind FROM users WHERE LOWER(username) = LOWER(?)", q); err != nil { // want "unindexed: users.username"
			return internalError(c, err)
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"hits": hits})
}

// postCampaign gives every user a coupon: the INSERT is prepared once but
// executed once per user (the stmt call is the query's position). A bulk
// INSERT ... SELECT would do it in one statement.
func (h *Handler) postCampaign(c echo.Context) error {
	ctx := c.Request().Context()
	var req struct {
		Code     string `json:"code"`
		Discount int    `json:"discount"`
	}
	if err := c.Bind(&req); err != nil || req.Code == "" || req.Discount <= 0 {
		return badRequest(c, "code and a positive discount are required")
	}

	userIDs := []string{}
	if err := h.db.SelectContext(ctx, &userIDs, "SELECT id FROM users"); err != nil {
		return internalError(c, err)
	}
	stmt, err := h.db.Prepare("INSERT INTO coupons (user_id, code, discount) VALUES (?, ?, ?)")
	if err != nil {
		return internalError(c, err)
	}
	defer stmt.Close()
	for _, id := range userIDs {
		if _, err := stmt.Exec(id, req.Code, req.Discount); err != nil { // want "n+1: INSERT coupons"
			return internalError(c, err)
		}
	}
	return c.JSON(http.StatusOK, map[string]int{"issued": len(userIDs)})
}

type chairOverview struct {
	ID            string `db:"id" json:"id"`
	Name          string `db:"name" json:"name"`
	Model         string `db:"model" json:"model"`
	IsActive      bool   `db:"is_active" json:"is_active"`
	TotalDistance int    `db:"-" json:"total_distance"`
}

// getOwnerOverview fetches each chair's distance in parallel with errgroup:
// parallel, but still one query per chair.
func (h *Handler) getOwnerOverview(c echo.Context) error {
	ctx := c.Request().Context()
	chairs := []chairOverview{}
	if err := h.db.SelectContext(ctx, &chairs, "SELECT id, name, model, is_active FROM chairs WHERE owner_id = ?", c.Param("owner_id")); err != nil {
		return internalError(c, err)
	}

	eg, egCtx := errgroup.WithContext(ctx)
	eg.SetLimit(8)
	for i := range chairs {
		eg.Go(func() error {
			err := h.db.GetContext(egCtx, &chairs[i].TotalDistance, "SELECT total_distance FROM chair_total_distances WHERE chair_id = ?", chairs[i].ID) // want "n+1: SELECT chair_total_distances"
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			return err
		})
	}
	if err := eg.Wait(); err != nil {
		return internalError(c, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"chairs": chairs})
}

// exportRides streams rides as CSV. created_at alone is not indexed
// (idx_rides_user_id_created_at leads with user_id), and each row looks
// its rider up: a query per row of another query.
func (h *Handler) exportRides(c echo.Context) error {
	ctx := c.Request().Context()
	since, err := time.Parse(time.DateOnly, c.QueryParam("since"))
	if err != nil {
		return badRequest(c, "since must be YYYY-MM-DD")
	}
	rows, err := h.db.QueryContext(ctx, "SELECT id, user_id, chair_id, evaluation, created_at FROM rides WHERE created_at >= ?", since) // want "unindexed: rides.created_at"
	if err != nil {
		return internalError(c, err)
	}
	defer rows.Close()

	c.Response().Header().Set(echo.HeaderContentType, "text/csv")
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	_ = w.Write([]string{"ride_id", "username", "chair_id", "evaluation", "created_at"})
	for rows.Next() {
		var (
			id, userID string
			chairID    sql.NullString
			evaluation sql.NullInt64
			createdAt  time.Time
		)
		if err := rows.Scan(&id, &userID, &chairID, &evaluation, &createdAt); err != nil {
			return err
		}
		var username string
		if err := h.db.QueryRowContext(ctx, "SELECT username FROM users WHERE id = ?", userID).Scan(&username); err != nil { // want "n+1: SELECT users"
			return err
		}
		eval := ""
		if evaluation.Valid {
			eval = strconv.FormatInt(evaluation.Int64, 10)
		}
		_ = w.Write([]string{id, username, chairID.String, eval, createdAt.Format(time.RFC3339)})
	}
	w.Flush()
	if err := rows.Err(); err != nil {
		return err
	}
	return w.Error()
}

type recentRide struct {
	ID        string         `db:"id" json:"id"`
	UserID    string         `db:"user_id" json:"user_id"`
	ChairID   sql.NullString `db:"chair_id" json:"-"`
	CreatedAt time.Time      `db:"created_at" json:"created_at"`
}

// getRecentRides has no WHERE, but ORDER BY created_at ... LIMIT has to read
// and sort the whole table to return a few rows: no index leads with
// rides.created_at.
func (h *Handler) getRecentRides(c echo.Context) error {
	limit := 50
	if v, err := strconv.Atoi(c.QueryParam("limit")); err == nil && v > 0 && v <= 500 {
		limit = v
	}
	rides := []recentRide{}
	if err := h.db.SelectContext(c.Request().Context(), &rides, "SELECT id, user_id, chair_id, created_at FROM rides ORDER BY created_at DESC LIMIT ?", limit); err != nil { // want "unindexed: rides.created_at"
		return internalError(c, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"rides": rides})
}
