package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

const (
	listenPort          = 8080
	defaultSessionIDKey = "SESSIONID"
	sessionTTL          = 1 * time.Hour
	fallbackImage       = "../img/NoImage.jpg"
)

var (
	dbConn   *sqlx.DB
	sessions sync.Map // session id -> *userSession

	userDisplayNameStmt *sqlx.Stmt
)

type userSession struct {
	UserID    int64
	UserName  string
	ExpiresAt time.Time
}

type InitializeResponse struct {
	Language string `json:"language"`
}

func connectDB() (*sqlx.DB, error) {
	conf := mysql.NewConfig()
	conf.Net = "tcp"
	conf.Addr = net.JoinHostPort(getEnv("ISUCON13_MYSQL_DIALCONFIG_ADDRESS", "127.0.0.1"), getEnv("ISUCON13_MYSQL_DIALCONFIG_PORT", "3306"))
	conf.User = getEnv("ISUCON13_MYSQL_DIALCONFIG_USER", "isucon")
	conf.Passwd = getEnv("ISUCON13_MYSQL_DIALCONFIG_PASSWORD", "isucon")
	conf.DBName = getEnv("ISUCON13_MYSQL_DIALCONFIG_DATABASE", "isulive")
	conf.ParseTime = true
	conf.InterpolateParams = true

	db, err := sqlx.Open("mysql", conf.FormatDSN())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(10)
	if err := db.Ping(); err != nil {
		return nil, err
	}
	return db, nil
}

func getEnv(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

// initializeHandler resets the database by running an external script:
// crudmap sees no SQL here.
func initializeHandler(c echo.Context) error {
	if out, err := exec.Command("../sql/init.sh").CombinedOutput(); err != nil {
		c.Logger().Warnf("init.sh failed with err=%s", string(out))
		return echo.NewHTTPError(http.StatusInternalServerError, "failed to initialize: "+err.Error())
	}
	sessions.Range(func(k, _ any) bool {
		sessions.Delete(k)
		return true
	})
	c.Request().Header.Add("Content-Type", "application/json;charset=utf-8")
	return c.JSON(http.StatusOK, InitializeResponse{Language: "golang"})
}

func main() {
	e := echo.New()
	e.Debug = true
	e.Logger.SetLevel(1)
	e.Use(middleware.Logger())

	// 初期化
	e.POST("/api/initialize", initializeHandler) // want "route: POST /api/initialize"

	// top
	e.GET("/api/tag", getTagHandler)                            // want "route: GET /api/tag tags:R"
	e.GET("/api/user/:username/theme", getStreamerThemeHandler) // want "route: GET /api/user/:username/theme themes:R users:R"
	top := e.Group("/api/top")
	top.GET("/upcoming", getUpcomingLivestreamsHandler) // want "route: GET /api/top/upcoming livestreams:R users:R"
	top.GET("/reactions", getRecentReactionsHandler)    // want "route: GET /api/top/reactions reactions:R"
	top.GET("/streamers", getActiveStreamersHandler)    // want "route: GET /api/top/streamers livestream_viewers_history:R livestreams:R users:R"

	// livestream
	e.POST("/api/livestream/reservation", reserveLivestreamHandler)                                       // want "route: POST /api/livestream/reservation icons:R livestream_tags:CR livestreams:CR reservation_slots:RU tags:R themes:R users:R"
	e.GET("/api/livestream/search", searchLivestreamsHandler)                                             // want "route: GET /api/livestream/search icons:R livestream_tags:R livestreams:R tags:R themes:R users:R"
	e.GET("/api/livestream", getMyLivestreamsHandler)                                                     // want "route: GET /api/livestream icons:R livestream_tags:R livestreams:R tags:R themes:R users:R"
	e.GET("/api/user/:username/livestream", getUserLivestreamsHandler)                                    // want "route: GET /api/user/:username/livestream icons:R livestream_tags:R livestreams:R tags:R themes:R users:R"
	e.GET("/api/livestream/:livestream_id/tag", getLivestreamTagsHandler)                                 // want "route: GET /api/livestream/:livestream_id/tag livestream_tags:R tags:R"
	e.GET("/api/livestream/:livestream_id", getLivestreamHandler)                                         // want "route: GET /api/livestream/:livestream_id icons:R livestream_tags:R livestreams:R tags:R themes:R users:R"
	e.GET("/api/livestream/:livestream_id/livecomment", getLivecommentsHandler)                           // want "route: GET /api/livestream/:livestream_id/livecomment icons:R livecomments:R livestream_tags:R livestreams:R tags:R themes:R users:R"
	e.POST("/api/livestream/:livestream_id/livecomment", postLivecommentHandler)                          // want "route: POST /api/livestream/:livestream_id/livecomment icons:R livecomments:C livestream_tags:R livestreams:R ng_words:R tags:R themes:R users:R"
	e.GET("/api/livestream/:livestream_id/reaction", getReactionsHandler)                                 // want "route: GET /api/livestream/:livestream_id/reaction icons:R livestream_tags:R livestreams:R reactions:R tags:R themes:R users:R"
	e.POST("/api/livestream/:livestream_id/reaction", postReactionHandler)                                // want "route: POST /api/livestream/:livestream_id/reaction icons:R livestream_tags:R livestreams:R reactions:CR tags:R themes:R users:R"
	e.GET("/api/livestream/:livestream_id/report", getLivecommentReportsHandler)                          // want "route: GET /api/livestream/:livestream_id/report icons:R livecomment_reports:R livecomments:R livestream_tags:R livestreams:R tags:R themes:R users:R"
	e.GET("/api/livestream/:livestream_id/ngwords", getNgwords)                                           // want "route: GET /api/livestream/:livestream_id/ngwords ng_words:R"
	e.POST("/api/livestream/:livestream_id/livecomment/:livecomment_id/report", reportLivecommentHandler) // want "route: POST /api/livestream/:livestream_id/livecomment/:livecomment_id/report icons:R livecomment_reports:C livecomments:R livestream_tags:R livestreams:R tags:R themes:R users:R"
	e.POST("/api/livestream/:livestream_id/moderate", moderateHandler)                                    // want "route: POST /api/livestream/:livestream_id/moderate livecomments:RD livestreams:R ng_words:CR"
	e.POST("/api/livestream/:livestream_id/enter", enterLivestreamHandler)                                // want "route: POST /api/livestream/:livestream_id/enter livestream_viewers_history:C livestreams:R"
	e.DELETE("/api/livestream/:livestream_id/exit", exitLivestreamHandler)                                // want "route: DELETE /api/livestream/:livestream_id/exit livestream_viewers_history:D"

	// user
	e.POST("/api/register", registerHandler)                                           // want "route: POST /api/register icons:R themes:CR users:C"
	e.POST("/api/login", loginHandler)                                                 // want "route: POST /api/login users:R"
	e.GET("/api/user/me", getMeHandler)                                                // want "route: GET /api/user/me icons:R themes:R users:R"
	e.GET("/api/user/:username", getUserHandler)                                       // want "route: GET /api/user/:username icons:R themes:R users:R"
	e.GET("/api/user/:username/statistics", getUserStatisticsHandler)                  // want "route: GET /api/user/:username/statistics livecomments:R livestream_viewers_history:R livestreams:R reactions:R users:R"
	e.GET("/api/user/:username/icon", cacheControl(60, getIconHandler))                // want "route: GET /api/user/:username/icon icons:R users:R"
	e.POST("/api/icon", postIconHandler)                                               // want "route: POST /api/icon icons:CD users:R"
	e.GET("/api/livestream/:livestream_id/statistics", getLivestreamStatisticsHandler) // want "route: GET /api/livestream/:livestream_id/statistics livecomment_reports:R livecomments:R livestream_viewers_history:R livestreams:R reactions:R"

	// 課金情報
	e.GET("/api/payment", getPaymentResult) // want "route: GET /api/payment livecomments:R"

	e.HTTPErrorHandler = errorResponseHandler

	conn, err := connectDB()
	if err != nil {
		e.Logger.Errorf("failed to connect db: %v", err)
		os.Exit(1)
	}
	defer conn.Close()
	dbConn = conn
	if err := prepareStatements(conn); err != nil {
		e.Logger.Errorf("failed to prepare statements: %v", err)
		os.Exit(1)
	}

	if err := e.Start(net.JoinHostPort("", strconv.Itoa(listenPort))); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

func prepareStatements(db *sqlx.DB) error {
	var err error
	userDisplayNameStmt, err = db.Preparex("SELECT display_name FROM users WHERE id = ?")
	return err
}

// cacheControl marks a response cacheable by the browser; no SQL.
func cacheControl(maxAge int, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "private, max-age="+strconv.Itoa(maxAge))
		return next(c)
	}
}

type ErrorResponse struct {
	Error string `json:"error"`
}

func errorResponseHandler(err error, c echo.Context) {
	c.Logger().Errorf("error at %s: %+v", c.Path(), err)
	var he *echo.HTTPError
	if errors.As(err, &he) {
		if e := c.JSON(he.Code, &ErrorResponse{Error: err.Error()}); e != nil {
			c.Logger().Errorf("%+v", e)
		}
		return
	}
	if e := c.JSON(http.StatusInternalServerError, &ErrorResponse{Error: err.Error()}); e != nil {
		c.Logger().Errorf("%+v", e)
	}
}

// --- sessions (in memory; no SQL) -------------------------------------------

func newSessionID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func createSession(c echo.Context, userID int64, name string) {
	id := newSessionID()
	sessions.Store(id, &userSession{UserID: userID, UserName: name, ExpiresAt: time.Now().Add(sessionTTL)})
	c.SetCookie(&http.Cookie{
		Name:     defaultSessionIDKey,
		Value:    id,
		Path:     "/",
		MaxAge:   int(sessionTTL / time.Second),
		HttpOnly: true,
	})
}

func currentSession(c echo.Context) (*userSession, bool) {
	cookie, err := c.Cookie(defaultSessionIDKey)
	if err != nil {
		return nil, false
	}
	v, ok := sessions.Load(cookie.Value)
	if !ok {
		return nil, false
	}
	return v.(*userSession), true
}

// verifyUserSession is called at the top of every handler that needs a
// logged-in user. It never touches the database.
func verifyUserSession(c echo.Context) error {
	sess, ok := currentSession(c)
	if !ok {
		return echo.NewHTTPError(http.StatusUnauthorized, "failed to get session")
	}
	if time.Now().After(sess.ExpiresAt) {
		return echo.NewHTTPError(http.StatusUnauthorized, "session has expired")
	}
	return nil
}

func sessionUserID(c echo.Context) int64 {
	sess, _ := currentSession(c)
	if sess == nil {
		return 0
	}
	return sess.UserID
}
