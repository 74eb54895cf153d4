package main

import (
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo/v4"
)

// setupAppRoutes registers the rider app's API. Everything in the app group
// runs appAuthMiddleware first, so users:R is on every one of those routes.
func setupAppRoutes(e *echo.Echo) {
	e.POST("/api/app/users", appPostUsers) // want "route: POST /api/app/users coupons:CR users:CR"

	app := e.Group("/api/app", appAuthMiddleware)
	app.POST("/payment-methods", appPostPaymentMethods)                         // want "route: POST /api/app/payment-methods payment_tokens:C users:R"
	app.GET("/coupons", makeAppGetCoupons(db))                                  // want "route: GET /api/app/coupons coupons:R users:R"
	app.GET("/notifications", appGetNotifications)                              // want "route: GET /api/app/notifications notifications:R users:R"
	app.PATCH("/notifications/:notification_id/read", appPatchNotificationRead) // want "route: PATCH /api/app/notifications/:notification_id/read notifications:U users:R"
	app.POST("/notifications/read-all", appPostNotificationsReadAll)            // want "route: POST /api/app/notifications/read-all notifications:RU users:R"
	app.DELETE("/users/me", appDeleteMe)                                        // want "route: DELETE /api/app/users/me coupons:D notifications:D payment_tokens:D ride_statuses:D rides:RD users:RD"

	// Nested group: the prefix is /api/app/rides and appAuthMiddleware still applies.
	rides := app.Group("/rides")
	rides.GET("", appGetRides)                                // want "route: GET /api/app/rides chair_models:R chairs:R coupons:R owners:R ride_statuses:R rides:R users:R"
	rides.POST("", appPostRides)                              // want "route: POST /api/app/rides coupons:RU ride_statuses:CR rides:CR users:R"
	rides.POST("/estimated-fare", appPostRidesEstimatedFare)  // want "route: POST /api/app/rides/estimated-fare coupons:R users:R"
	rides.GET("/:ride_id", appGetRide)                        // want "route: GET /api/app/rides/:ride_id ride_statuses:R rides:R users:R"
	rides.POST("/:ride_id/evaluation", appPostRideEvaluation) // want "route: POST /api/app/rides/:ride_id/evaluation coupons:R payment_tokens:R ride_statuses:CR rides:RU settings:R users:R"

	app.GET("/notification", appGetNotification)  // want "route: GET /api/app/notification chair_models:R chairs:R coupons:R owners:R ride_statuses:R rides:R users:R"
	app.GET("/nearby-chairs", appGetNearbyChairs) // want "route: GET /api/app/nearby-chairs chair_locations:R chairs:R ride_statuses:R rides:R users:R"
}

type appPostUsersRequest struct {
	Username       string  `json:"username"`
	FirstName      string  `json:"firstname"`
	LastName       string  `json:"lastname"`
	DateOfBirth    string  `json:"date_of_birth"`
	InvitationCode *string `json:"invitation_code"`
}

type appPostUsersResponse struct {
	ID             string `json:"id"`
	InvitationCode string `json:"invitation_code"`
}

func appPostUsers(c echo.Context) error {
	ctx := c.Request().Context()
	req := &appPostUsersRequest{}
	if err := c.Bind(req); err != nil {
		return writeError(c, http.StatusBadRequest, err)
	}
	if req.Username == "" || req.FirstName == "" || req.LastName == "" || req.DateOfBirth == "" {
		return writeError(c, http.StatusBadRequest, errors.New("required fields(username, firstname, lastname, date_of_birth) are empty"))
	}

	userID := newID()
	accessToken := secureRandomStr(32)
	invitationCode := secureRandomStr(15)

	tx, err := db.Beginx()
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer tx.Rollback()

	var invitedBy sql.NullString
	inviter := User{}
	if req.InvitationCode != nil && *req.InvitationCode != "" {
		if err := tx.GetContext(ctx, &inviter, "SELECT * FROM users WHERE invitation_code = ?", *req.InvitationCode); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return writeError(c, http.StatusBadRequest, errors.New("この招待コードは使用できません。"))
			}
			return writeError(c, http.StatusInternalServerError, err)
		}
		// An invitation code can be used three times. "code = ?" alone cannot
		// use PRIMARY KEY (user_id, code): leftmost-prefix rule.
		used := []Coupon{}
		if err := tx.SelectContext(ctx, &used, "SELECT * FROM coupons WHERE code = ? FOR UPDATE", "INV_"+*req.InvitationCode); err != nil { // want "unindexed: coupons.code"
			return writeError(c, http.StatusInternalServerError, err)
		}
		if len(used) >= 3 {
			return writeError(c, http.StatusBadRequest, errors.New("この招待コードは使用できません。"))
		}
		invitedBy = sql.NullString{String: inviter.ID, Valid: true}
	}

	_, err = tx.ExecContext(ctx, `
		INSERT INTO users (id, username, firstname, lastname, date_of_birth, access_token, invitation_code, invited_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		userID, req.Username, req.FirstName, req.LastName, req.DateOfBirth, accessToken, invitationCode, invitedBy,
	)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	// Welcome coupon for every new rider.
	if _, err := tx.ExecContext(ctx, "INSERT INTO coupons (user_id, code, discount) VALUES (?, 'CP_NEW2024', 3000)", userID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	if invitedBy.Valid {
		// The invitee gets a coupon, and so does the inviter.
		if _, err := tx.ExecContext(ctx, "INSERT INTO coupons (user_id, code, discount) VALUES (?, ?, ?)", userID, "INV_"+*req.InvitationCode, 1500); err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO coupons (user_id, code, discount) VALUES (?, CONCAT(?, '_', FLOOR(UNIX_TIMESTAMP(NOW(3))*1000)), ?)", inviter.ID, "RWD_"+*req.InvitationCode, 1000); err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
	}

	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	c.SetCookie(&http.Cookie{Path: "/", Name: "app_session", Value: accessToken})
	return c.JSON(http.StatusCreated, appPostUsersResponse{ID: userID, InvitationCode: invitationCode})
}

type appPostPaymentMethodsRequest struct {
	Token string `json:"token"`
}

func appPostPaymentMethods(c echo.Context) error {
	ctx := c.Request().Context()
	req := &appPostPaymentMethodsRequest{}
	if err := c.Bind(req); err != nil || req.Token == "" {
		return writeError(c, http.StatusBadRequest, errors.New("token is required but was empty"))
	}
	user := c.Get("user").(*User)
	if _, err := db.ExecContext(ctx, `INSERT INTO payment_tokens (user_id, token) VALUES (?, ?)`, user.ID, req.Token); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.NoContent(http.StatusNoContent)
}

type couponDTO struct {
	Code      string `json:"code"`
	Discount  int    `json:"discount"`
	CreatedAt int64  `json:"created_at"`
}

// makeAppGetCoupons returns the handler: the route's SQL is in the closure.
func makeAppGetCoupons(conn *sqlx.DB) echo.HandlerFunc {
	return func(c echo.Context) error {
		user := c.Get("user").(*User)
		coupons := []Coupon{}
		if err := conn.SelectContext(c.Request().Context(), &coupons, `SELECT * FROM coupons WHERE user_id = ? AND used_by IS NULL ORDER BY created_at`, user.ID); err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		res := make([]couponDTO, 0, len(coupons))
		for _, cp := range coupons {
			res = append(res, couponDTO{Code: cp.Code, Discount: cp.Discount, CreatedAt: cp.CreatedAt.UnixMilli()})
		}
		return c.JSON(http.StatusOK, map[string]any{"coupons": res})
	}
}

func appGetNotifications(c echo.Context) error {
	ctx := c.Request().Context()
	user := c.Get("user").(*User)

	// The SQL is chosen per branch: both variants are reported, both served
	// by idx_notifications_user_id_created_at.
	var query string
	if c.QueryParam("unread") == "1" {
		query = "SELECT * FROM notifications WHERE user_id = ? AND read_at IS NULL ORDER BY created_at DESC LIMIT 50"
	} else {
		query = "SELECT * FROM notifications WHERE user_id = ? ORDER BY created_at DESC LIMIT 50"
	}
	notifications := []Notification{}
	if err := db.SelectContext(ctx, &notifications, query, user.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.JSON(http.StatusOK, map[string]any{"notifications": notifications})
}

func appPatchNotificationRead(c echo.Context) error {
	user := c.Get("user").(*User)
	id, err := strconv.ParseInt(c.Param("notification_id"), 10, 64)
	if err != nil {
		return writeError(c, http.StatusBadRequest, err)
	}
	res, err := db.NamedExecContext(c.Request().Context(),
		"UPDATE notifications SET read_at = :read_at WHERE id = :id AND user_id = :user_id",
		map[string]any{"read_at": time.Now(), "id": id, "user_id": user.ID},
	)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return writeError(c, http.StatusNotFound, errors.New("notification not found"))
	}
	return c.NoContent(http.StatusNoContent)
}

// appPostNotificationsReadAll acknowledges each notification in its own
// transaction; the loop body is a closure (so the deferred Rollback runs per
// iteration), and the UPDATE still runs once per notification.
func appPostNotificationsReadAll(c echo.Context) error {
	ctx := c.Request().Context()
	user := c.Get("user").(*User)

	unread := []Notification{}
	if err := db.SelectContext(ctx, &unread, "SELECT * FROM notifications WHERE user_id = ? AND read_at IS NULL", user.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	now := time.Now()
	acked := 0
	for _, n := range unread {
		err := func() error {
			tx, err := db.BeginTxx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, "UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL", now, n.ID); err != nil { // want "n+1: UPDATE notifications"
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			return writeError(c, http.StatusInternalServerError, err)
		}
		acked++
	}
	return c.JSON(http.StatusOK, map[string]int{"acknowledged": acked})
}

// appDeleteMe withdraws the rider. The multi-table DELETE removes
// ride_statuses rows only (rides is just read through the join).
func appDeleteMe(c echo.Context) error {
	ctx := c.Request().Context()
	user := c.Get("user").(*User)

	tx := db.MustBegin()
	defer tx.Rollback()

	if _, err := tx.ExecContext(ctx, `DELETE rs FROM ride_statuses rs JOIN rides r ON r.id = rs.ride_id WHERE r.user_id = ?`, user.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM rides WHERE user_id = ?", user.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM payment_tokens WHERE user_id = ?", user.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM coupons WHERE user_id = ?", user.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM notifications WHERE user_id = ?", user.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM users WHERE id = ?", user.ID); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	if err := tx.Commit(); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	c.SetCookie(&http.Cookie{Path: "/", Name: "app_session", Value: "", MaxAge: -1})
	return c.NoContent(http.StatusNoContent)
}
