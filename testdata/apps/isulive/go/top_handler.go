package main

import (
	"database/sql"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
)

type Tag struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type TagModel struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

type TagsResponse struct {
	Tags []*Tag `json:"tags"`
}

type UpcomingLivestream struct {
	ID          int64          `db:"id" json:"id"`
	Title       string         `db:"title" json:"title"`
	StartAt     int64          `db:"start_at" json:"start_at"`
	DisplayName sql.NullString `db:"display_name" json:"display_name"`
}

type EmojiCount struct {
	EmojiName string `json:"emoji_name"`
	Count     int    `json:"count"`
}

type ActiveStreamer struct {
	UserID      int64  `json:"user_id"`
	DisplayName string `json:"display_name"`
	Title       string `json:"title"`
	Viewers     int64  `json:"viewers"`
}

func getTagHandler(c echo.Context) error {
	ctx := c.Request().Context()

	tx, err := dbConn.BeginTxx(ctx, nil) // want "readonly-tx: transaction only reads"
	if err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to begin new transaction: : "+err.Error())
	}
	defer tx.Rollback()

	var tagModels []*TagModel
	if prefix := c.QueryParam("prefix"); prefix != "" {
		// 前方一致: the pattern is a constant expression that does not start
		// with a wildcard, so uniq_tag_name serves it as a range.
		if err := tx.SelectContext(ctx, &tagModels, "SELECT * FROM tags WHERE name LIKE CONCAT(?, '%') ORDER BY name", prefix); err != nil {
			return echo.NewHTTPError(http.StatusInternalServerError, "failed to get tags: "+err.Error())
		}
	} else if err := tx.SelectContext(ctx, &tagModels, "SELECT * FROM tags"); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to get tags: "+err.Error())
	}
	if err := tx.Commit(); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to commit: "+err.Error())
	}

	tags := make([]*Tag, len(tagModels))
	for i := range tagModels {
		tags[i] = &Tag{ID: tagModels[i].ID, Name: tagModels[i].Name}
	}
	return c.JSON(http.StatusOK, &TagsResponse{Tags: tags})
}

// 配信者のテーマ取得API
func getStreamerThemeHandler(c echo.Context) error {
	ctx := c.Request().Context()
	if err := verifyUserSession(c); err != nil {
		return err
	}
	username := c.Param("username")

	tx, err := dbConn.BeginTxx(ctx, nil) // want "readonly-tx: transaction only reads"
	if err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to begin transaction: "+err.Error())
	}
	defer tx.Rollback()

	var userID int64
	if err := tx.GetContext(ctx, &userID, "SELECT id FROM users WHERE name = ?", username); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return echo.NewHTTPError(http.StatusNotFound, "not found user that has the given username")
		}
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to get user: "+err.Error())
	}

	themeModel := ThemeModel{}
	if err := tx.GetContext(ctx, &themeModel, "SELECT * FROM themes WHERE user_id = ?", userID); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to get user theme: "+err.Error())
	}
	if err := tx.Commit(); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to commit: "+err.Error())
	}
	return c.JSON(http.StatusOK, Theme{ID: themeModel.ID, DarkMode: themeModel.DarkMode})
}

// getUpcomingLivestreamsHandler: in a LEFT JOIN the left table is read first,
// so livestreams needs its WHERE column (start_at) indexed; the index on
// l.user_id (its ON column) does not help it.
func getUpcomingLivestreamsHandler(c echo.Context) error {
	ctx := c.Request().Context()
	now := time.Now().Unix()

	var rows []UpcomingLivestream
	if err := dbConn.SelectContext(ctx, &rows, // want "unindexed: livestreams.start_at"
		`SELECT l.id, l.title, l.start_at, u.display_name
		FROM livestreams l
		LEFT JOIN users u ON u.id = l.user_id
		WHERE l.start_at >= ?
		ORDER BY l.start_at
		LIMIT 20`, now); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to get upcoming livestreams: "+err.Error())
	}
	return c.JSON(http.StatusOK, rows)
}

// getRecentReactionsHandler: idx_reactions_user_created is (user_id,
// created_at); created_at alone is not a leftmost prefix, so the ORDER BY
// ... LIMIT sorts the whole table.
func getRecentReactionsHandler(c echo.Context) error {
	ctx := c.Request().Context()
	limit := 50
	if v := c.QueryParam("limit"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 && n <= 500 {
			limit = n
		}
	}

	var reactions []ReactionModel
	if err := dbConn.SelectContext(ctx, &reactions, "SELECT * FROM reactions ORDER BY created_at DESC LIMIT ?", limit); err != nil { // want "unindexed: reactions.created_at"
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to get reactions: "+err.Error())
	}

	counts := map[string]int{}
	for _, r := range reactions {
		counts[r.EmojiName]++
	}
	out := make([]EmojiCount, 0, len(counts))
	for name, n := range counts {
		out = append(out, EmojiCount{EmojiName: name, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count == out[j].Count {
			return out[i].EmojiName < out[j].EmojiName
		}
		return out[i].Count > out[j].Count
	})
	return c.JSON(http.StatusOK, out)
}

// getActiveStreamersHandler: the newest livestreams by primary key, then one
// users lookup (a statement prepared at start-up) per livestream, even with
// the cache.
func getActiveStreamersHandler(c echo.Context) error {
	ctx := c.Request().Context()

	// The correlated subquery runs once per livestream returned, and
	// livestream_viewers_history has no index led by livestream_id.
	var livestreams []struct {
		LivestreamModel
		Viewers int64 `db:"viewers"`
	}
	if err := dbConn.SelectContext(ctx, &livestreams, "SELECT l.*, (SELECT COUNT(*) FROM livestream_viewers_history h WHERE h.livestream_id = l.id) AS viewers FROM livestreams l ORDER BY l.id DESC LIMIT ?", 30); err != nil { // want "unindexed: livestream_viewers_history.livestream_id"
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to get livestreams: "+err.Error())
	}

	names := map[int64]string{}
	out := make([]ActiveStreamer, 0, len(livestreams))
	for _, ls := range livestreams {
		name, ok := names[ls.UserID]
		if !ok {
			if err := userDisplayNameStmt.GetContext(ctx, &name, ls.UserID); err != nil { // want "n+1: SELECT users"
				return echo.NewHTTPError(http.StatusInternalServerError, "failed to get user: "+err.Error())
			}
			names[ls.UserID] = name
		}
		out = append(out, ActiveStreamer{UserID: ls.UserID, DisplayName: name, Title: ls.Title, Viewers: ls.Viewers})
	}
	return c.JSON(http.StatusOK, out)
}
