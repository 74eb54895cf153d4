package main

import (
	"database/sql"
	"errors"
	"net/http"
	"sort"
	"strconv"

	"github.com/labstack/echo/v4"
)

type LivestreamStatistics struct {
	Rank           int64 `json:"rank"`
	ViewersCount   int64 `json:"viewers_count"`
	TotalReactions int64 `json:"total_reactions"`
	TotalReports   int64 `json:"total_reports"`
	MaxTip         int64 `json:"max_tip"`
}

type LivestreamRankingEntry struct {
	LivestreamID int64
	Score        int64
}
type LivestreamRanking []LivestreamRankingEntry

func (r LivestreamRanking) Len() int      { return len(r) }
func (r LivestreamRanking) Swap(i, j int) { r[i], r[j] = r[j], r[i] }
func (r LivestreamRanking) Less(i, j int) bool {
	if r[i].Score == r[j].Score {
		return r[i].LivestreamID < r[j].LivestreamID
	}
	return r[i].Score < r[j].Score
}

type UserStatistics struct {
	Rank              int64  `json:"rank"`
	ViewersCount      int64  `json:"viewers_count"`
	TotalReactions    int64  `json:"total_reactions"`
	TotalLivecomments int64  `json:"total_livecomments"`
	TotalTip          int64  `json:"total_tip"`
	FavoriteEmoji     string `json:"favorite_emoji"`
}

type UserRankingEntry struct {
	Username string
	Score    int64
}
type UserRanking []UserRankingEntry

func (r UserRanking) Len() int      { return len(r) }
func (r UserRanking) Swap(i, j int) { r[i], r[j] = r[j], r[i] }
func (r UserRanking) Less(i, j int) bool {
	if r[i].Score == r[j].Score {
		return r[i].Username < r[j].Username
	}
	return r[i].Score < r[j].Score
}

type PaymentResult struct {
	TotalTip int64 `json:"total_tip"`
}

// getUserStatisticsHandler ranks every user by reactions + tips, counting
// them per livestream of every user (two loops deep), then totals the
// requested user's own numbers.
func getUserStatisticsHandler(c echo.Context) error {
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

	user, err := getUserByName(ctx, tx, username)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return echo.NewHTTPError(http.StatusBadRequest, "")
		}
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to get user: "+err.Error())
	}

	// ランク算出
	var users []*UserModel
	if err := tx.SelectContext(ctx, &users, "SELECT * FROM users"); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to get users: "+err.Error())
	}

	var ranking UserRanking
	for _, u := range users {
		var livestreams []*LivestreamModel
		if err := tx.SelectContext(ctx, &livestreams, "SELECT * FROM livestreams WHERE user_id = ?", u.ID); err != nil { // want "n+1: SELECT livestreams"
			return echo.NewHTTPError(http.StatusInternalServerError, "failed to get livestreams: "+err.Error())
		}
		var reactions, tips int64
		for _, ls := range livestreams {
			var cnt int64
			if err := tx.GetContext(ctx, &cnt, "SELECT COUNT(*) FROM reactions WHERE livestream_id = ?", ls.ID); err != nil { // want "n+1: SELECT reactions" "unindexed: reactions.livestream_id"
				return echo.NewHTTPError(http.StatusInternalServerError, "failed to count reactions: "+err.Error())
			}
			reactions += cnt

			var tip int64
			if err := tx.GetContext(ctx, &tip, "SELECT IFNULL(SUM(tip), 0) FROM livecomments WHERE livestream_id = ?", ls.ID); err != nil { // want "n+1: SELECT livecomments" "unindexed: livecomments.livestream_id"
				return echo.NewHTTPError(http.StatusInternalServerError, "failed to sum tips: "+err.Error())
			}
			tips += tip
		}
		ranking = append(ranking, UserRankingEntry{Username: u.Name, Score: reactions + tips})
	}
	sort.Sort(ranking)

	var rank int64 = 1
	for i := len(ranking) - 1; i >= 0; i-- {
		if ranking[i].Username == username {
			break
		}
		rank++
	}

	// リアクション数: an old-style comma join; reactions is only reachable
	// through r.livestream_id.
	var totalReactions int64
	query := `SELECT COUNT(*) FROM users u, livestreams l, reactions r
    WHERE l.user_id = u.id AND r.livestream_id = l.id AND u.name = ?
	`
	if err := tx.GetContext(ctx, &totalReactions, query, username); err != nil && !errors.Is(err, sql.ErrNoRows) { // want "unindexed: reactions.livestream_id"
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to count total reactions: "+err.Error())
	}

	// ライブコメント数、チップ合計: the subquery is served by
	// idx_livestreams_user_id, the outer livecomments.livestream_id is not.
	var totals struct {
		Count int64 `db:"cnt"`
		Tip   int64 `db:"tip"`
	}
	if err := tx.GetContext(ctx, &totals, "SELECT COUNT(*) AS cnt, IFNULL(SUM(tip), 0) AS tip FROM livecomments WHERE livestream_id IN (SELECT id FROM livestreams WHERE user_id = ?)", user.ID); err != nil { // want "unindexed: livecomments.livestream_id"
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to count livecomments: "+err.Error())
	}
	totalLivecomments, totalTip := totals.Count, totals.Tip

	var livestreams []*LivestreamModel
	if err := tx.SelectContext(ctx, &livestreams, "SELECT * FROM livestreams WHERE user_id = ?", user.ID); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to get livestreams: "+err.Error())
	}

	// 合計視聴者数: the (user_id, livestream_id) index does not serve
	// livestream_id alone.
	var viewersCount int64
	for _, livestream := range livestreams {
		var cnt int64
		if err := tx.GetContext(ctx, &cnt, "SELECT COUNT(*) FROM livestream_viewers_history WHERE livestream_id = ?", livestream.ID); err != nil { // want "n+1: SELECT livestream_viewers_history" "unindexed: livestream_viewers_history.livestream_id"
			return echo.NewHTTPError(http.StatusInternalServerError, "failed to get livestream_view_history: "+err.Error())
		}
		viewersCount += cnt
	}

	// お気に入り絵文字
	var favoriteEmoji string
	if err := tx.GetContext(ctx, &favoriteEmoji, // want "unindexed: reactions.livestream_id"
		`SELECT r.emoji_name
		FROM users u
		INNER JOIN livestreams l ON l.user_id = u.id
		INNER JOIN reactions r ON r.livestream_id = l.id
		WHERE u.name = ?
		GROUP BY emoji_name
		ORDER BY COUNT(*) DESC, emoji_name DESC
		LIMIT 1`, username); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to find favorite emoji: "+err.Error())
	}

	if err := tx.Commit(); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to commit: "+err.Error())
	}
	return c.JSON(http.StatusOK, UserStatistics{
		Rank:              rank,
		ViewersCount:      viewersCount,
		TotalReactions:    totalReactions,
		TotalLivecomments: totalLivecomments,
		TotalTip:          totalTip,
		FavoriteEmoji:     favoriteEmoji,
	})
}

// getLivestreamStatisticsHandler ranks every livestream with two joined
// aggregates per livestream.
func getLivestreamStatisticsHandler(c echo.Context) error {
	ctx := c.Request().Context()
	if err := verifyUserSession(c); err != nil {
		return err
	}
	id, err := strconv.Atoi(c.Param("livestream_id"))
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "livestream_id in path must be integer")
	}
	livestreamID := int64(id)

	tx, err := dbConn.BeginTxx(ctx, nil) // want "readonly-tx: transaction only reads"
	if err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to begin transaction: "+err.Error())
	}
	defer tx.Rollback()

	var livestream LivestreamModel
	if err := tx.GetContext(ctx, &livestream, "SELECT * FROM livestreams WHERE id = ?", livestreamID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return echo.NewHTTPError(http.StatusBadRequest, "cannot get stats of not found livestream")
		}
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to get livestream: "+err.Error())
	}

	var livestreams []*LivestreamModel
	if err := tx.SelectContext(ctx, &livestreams, "SELECT * FROM livestreams"); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to get livestreams: "+err.Error())
	}

	// ランク算出
	var ranking LivestreamRanking
	for _, ls := range livestreams {
		var reactions int64
		if err := tx.GetContext(ctx, &reactions, "SELECT COUNT(*) FROM livestreams l INNER JOIN reactions r ON l.id = r.livestream_id WHERE l.id = ?", ls.ID); err != nil { // want "n+1: SELECT livestreams, reactions" "unindexed: reactions.livestream_id"
			return echo.NewHTTPError(http.StatusInternalServerError, "failed to count reactions: "+err.Error())
		}

		var totalTips int64
		if err := tx.GetContext(ctx, &totalTips, "SELECT IFNULL(SUM(l2.tip), 0) FROM livestreams l INNER JOIN livecomments l2 ON l.id = l2.livestream_id WHERE l.id = ?", ls.ID); err != nil { // want "n+1: SELECT livecomments, livestreams" "unindexed: livecomments.livestream_id"
			return echo.NewHTTPError(http.StatusInternalServerError, "failed to count tips: "+err.Error())
		}

		ranking = append(ranking, LivestreamRankingEntry{LivestreamID: ls.ID, Score: reactions + totalTips})
	}
	sort.Sort(ranking)

	var rank int64 = 1
	for i := len(ranking) - 1; i >= 0; i-- {
		if ranking[i].LivestreamID == livestreamID {
			break
		}
		rank++
	}

	// 視聴者数算出
	var viewersCount int64
	if err := tx.GetContext(ctx, &viewersCount, `SELECT COUNT(*) FROM livestreams l INNER JOIN livestream_viewers_history h ON h.livestream_id = l.id WHERE l.id = ?`, livestreamID); err != nil { // want "unindexed: livestream_viewers_history.livestream_id"
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to count livestream viewers: "+err.Error())
	}

	// 最大チップ額
	var maxTip int64
	if err := tx.GetContext(ctx, &maxTip, `SELECT IFNULL(MAX(tip), 0) FROM livecomments WHERE livestream_id = ?`, livestreamID); err != nil { // want "unindexed: livecomments.livestream_id"
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to find maximum tip livecomment: "+err.Error())
	}

	// リアクション数
	var totalReactions int64
	if err := tx.GetContext(ctx, &totalReactions, "SELECT COUNT(*) FROM reactions WHERE livestream_id = ?", livestreamID); err != nil { // want "unindexed: reactions.livestream_id"
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to count total reactions: "+err.Error())
	}

	// スパム報告数: idx_livecomment_reports_livestream_id serves it.
	var totalReports int64
	if err := tx.GetContext(ctx, &totalReports, `SELECT COUNT(*) FROM livecomment_reports WHERE livestream_id = ?`, livestreamID); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to count total spam reports: "+err.Error())
	}

	if err := tx.Commit(); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to commit: "+err.Error())
	}
	return c.JSON(http.StatusOK, LivestreamStatistics{
		Rank:           rank,
		ViewersCount:   viewersCount,
		MaxTip:         maxTip,
		TotalReactions: totalReactions,
		TotalReports:   totalReports,
	})
}

// getPaymentResult sums every tip: a deliberate full scan (no WHERE, no
// ORDER BY ... LIMIT), in a ReadOnly transaction.
func getPaymentResult(c echo.Context) error {
	ctx := c.Request().Context()

	tx, err := dbConn.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true}) // want "readonly-tx: read-only transaction"
	if err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to begin transaction: "+err.Error())
	}
	defer tx.Rollback()

	var totalTip int64
	if err := tx.GetContext(ctx, &totalTip, "SELECT IFNULL(SUM(tip), 0) FROM livecomments"); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to count total tip: "+err.Error())
	}
	if err := tx.Commit(); err != nil {
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to commit: "+err.Error())
	}
	return c.JSON(http.StatusOK, &PaymentResult{TotalTip: totalTip})
}
