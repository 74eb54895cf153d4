package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"isuride/handlers/admin"
)

var db *sqlx.DB

func main() {
	if err := setupDB(); err != nil {
		slog.Error("failed to connect to db", "error", err)
		os.Exit(1)
	}

	e := echo.New()
	e.HideBanner = true
	e.Use(middleware.Logger())
	e.Use(middleware.Recover())
	e.Use(requestIDMiddleware) // no SQL: adds nothing to any route

	// Static files: echo v4 registers both /assets and /assets/*.
	e.Static("/assets", "public")    // want "route: GET /assets" "route: GET /assets/*"
	e.File("/", "public/index.html") // want "route: GET /"

	e.POST("/api/initialize", postInitialize)                                    // want "route: POST /api/initialize chair_locations:O chair_total_distances:O coupons:O notifications:O owner_daily_sales:O payment_tokens:O ride_statuses:O rides:O settings:U"
	e.Match([]string{"GET", "HEAD"}, "/api/health", func(c echo.Context) error { // want "route: GET /api/health settings:R" "route: HEAD /api/health settings:R"
		var url string
		if err := db.QueryRowContext(c.Request().Context(), "SELECT `value` FROM `settings` WHERE `name` = ?", "payment_gateway_url").Scan(&url); err != nil {
			return writeError(c, http.StatusServiceUnavailable, err)
		}
		return c.JSON(http.StatusOK, map[string]any{"status": "ok", "payment_gateway": url != ""})
	})
	e.GET("/api/chair-models", getChairModels)           // want "route: GET /api/chair-models chair_models:R"
	e.Any("/api/internal/matching", internalGetMatching) // want "route: ANY /api/internal/matching chairs:R ride_statuses:R rides:RU"

	setupAppRoutes(e)
	setupChairRoutes(e)
	setupOwnerRoutes(e)

	adminGroup := e.Group("/api/admin")
	admin.NewHandler(db).Register(adminGroup)

	addr := net.JoinHostPort("", getEnv("ISUCON_PORT", "8080"))
	if err := e.Start(addr); err != nil && !errors.Is(err, http.ErrServerClosed) {
		slog.Error("server stopped", "error", err)
		os.Exit(1)
	}
}

func setupDB() error {
	port, err := strconv.Atoi(getEnv("ISUCON_DB_PORT", "3306"))
	if err != nil {
		return fmt.Errorf("ISUCON_DB_PORT: %w", err)
	}
	cfg := mysql.NewConfig()
	cfg.User = getEnv("ISUCON_DB_USER", "isucon")
	cfg.Passwd = getEnv("ISUCON_DB_PASSWORD", "isucon")
	cfg.Net = "tcp"
	cfg.Addr = net.JoinHostPort(getEnv("ISUCON_DB_HOST", "127.0.0.1"), strconv.Itoa(port))
	cfg.DBName = getEnv("ISUCON_DB_NAME", "isuride")
	cfg.ParseTime = true
	cfg.InterpolateParams = true

	conn, err := sqlx.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return err
	}
	conn.SetMaxOpenConns(64)
	conn.SetMaxIdleConns(64)
	conn.SetConnMaxLifetime(3 * time.Minute)
	db = conn
	return nil
}

func getEnv(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

type postInitializeRequest struct {
	PaymentServer string `json:"payment_server"`
}

type postInitializeResponse struct {
	Language string `json:"language"`
}

// postInitialize resets the per-run tables. TRUNCATE is not CRUD (O); the
// SET statements touch no table. The master data (users, owners, chairs,
// chair_models) is loaded by init.sh and kept.
func postInitialize(c echo.Context) error {
	ctx := c.Request().Context()
	req := &postInitializeRequest{}
	if err := c.Bind(req); err != nil {
		return writeError(c, http.StatusBadRequest, err)
	}

	// SET is per session: run everything on one connection.
	conn, err := db.Connx(ctx)
	if err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	defer conn.Close()

	if err := resetTables(ctx, conn); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}

	db.MustExec("UPDATE settings SET value = ? WHERE name = 'payment_gateway_url'", req.PaymentServer)

	return c.JSON(http.StatusOK, postInitializeResponse{Language: "go"})
}

func resetTables(ctx context.Context, conn *sqlx.Conn) error {
	if _, err := conn.ExecContext(ctx, "SET FOREIGN_KEY_CHECKS = 0"); err != nil {
		return err
	}
	// One statement per call (not a loop over table names) so each TRUNCATE
	// names its table in the SQL text.
	if _, err := conn.ExecContext(ctx, "TRUNCATE TABLE ride_statuses"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "TRUNCATE TABLE rides"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "TRUNCATE TABLE chair_locations"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "TRUNCATE TABLE chair_total_distances"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "TRUNCATE TABLE payment_tokens"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "TRUNCATE TABLE coupons"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "TRUNCATE TABLE notifications"); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "TRUNCATE TABLE owner_daily_sales"); err != nil {
		return err
	}
	_, err := conn.ExecContext(ctx, "SET FOREIGN_KEY_CHECKS = 1")
	return err
}

// getChairModels is the public catalogue of chair models.
func getChairModels(c echo.Context) error {
	models := []ChairModel{}
	if err := db.Select(&models, "SELECT * FROM chair_models ORDER BY speed DESC, name"); err != nil {
		return writeError(c, http.StatusInternalServerError, err)
	}
	return c.JSON(http.StatusOK, models)
}
