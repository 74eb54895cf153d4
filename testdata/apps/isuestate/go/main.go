package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/labstack/gommon/log"
)

const (
	defaultLimit = 20
	maxPerPage   = 100
	lowPriceSize = 20
)

var (
	db                    *sqlx.DB
	mySQLConnectionData   *MySQLConnectionEnv
	chairSearchCondition  ChairSearchCondition
	estateSearchCondition EstateSearchCondition
)

// InitializeResponse tells the benchmarker which implementation it talks to.
type InitializeResponse struct {
	Language string `json:"language"`
}

// Range is one bucket of a search condition: Min/Max of -1 leave that end open.
type Range struct {
	ID  int64 `json:"id"`
	Min int64 `json:"min"`
	Max int64 `json:"max"`
}

// RangeCondition is a set of buckets the UI offers for one attribute.
type RangeCondition struct {
	Prefix string   `json:"prefix"`
	Suffix string   `json:"suffix"`
	Ranges []*Range `json:"ranges"`
}

// ListCondition is a list of values the UI offers for one attribute.
type ListCondition struct {
	List []string `json:"list"`
}

type EstateSearchCondition struct {
	DoorWidth  RangeCondition `json:"doorWidth"`
	DoorHeight RangeCondition `json:"doorHeight"`
	Rent       RangeCondition `json:"rent"`
	Feature    ListCondition  `json:"feature"`
}

type ChairSearchCondition struct {
	Width   RangeCondition `json:"width"`
	Height  RangeCondition `json:"height"`
	Depth   RangeCondition `json:"depth"`
	Price   RangeCondition `json:"price"`
	Color   ListCondition  `json:"color"`
	Feature ListCondition  `json:"feature"`
	Kind    ListCondition  `json:"kind"`
}

// MySQLConnectionEnv holds how to reach the database, read from the
// environment so the same binary runs on every contest server.
type MySQLConnectionEnv struct {
	Host     string
	Port     string
	User     string
	DBName   string
	Password string
}

func NewMySQLConnectionEnv() *MySQLConnectionEnv {
	return &MySQLConnectionEnv{
		Host:     getEnv("MYSQL_HOST", "127.0.0.1"),
		Port:     getEnv("MYSQL_PORT", "3306"),
		User:     getEnv("MYSQL_USER", "isucon"),
		DBName:   getEnv("MYSQL_DBNAME", "isuestate"),
		Password: getEnv("MYSQL_PASS", "isucon"),
	}
}

func getEnv(key, defaultValue string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return defaultValue
}

// ConnectDB opens a pool to the database described by mc.
func (mc *MySQLConnectionEnv) ConnectDB() (*sqlx.DB, error) {
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	cfg.Addr = net.JoinHostPort(mc.Host, mc.Port)
	cfg.User = mc.User
	cfg.Passwd = mc.Password
	cfg.DBName = mc.DBName
	cfg.ParseTime = true
	cfg.InterpolateParams = true
	cfg.Loc = time.Local

	conn, err := sqlx.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return nil, err
	}
	conn.SetMaxOpenConns(16)
	conn.SetMaxIdleConns(16)
	conn.SetConnMaxLifetime(2 * time.Minute)
	return conn, nil
}

// loadJSON decodes the JSON file at path into v.
func loadJSON(path string, v interface{}) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewDecoder(f).Decode(v)
}

func main() {
	e := echo.New()
	e.Debug = true
	e.Logger.SetLevel(log.DEBUG)

	e.Use(middleware.Logger())
	e.Use(middleware.Recover())

	// Initialize
	e.POST("/initialize", initialize) // want "route: POST /initialize document_request:D"

	// Chair Handler
	e.GET("/api/chair/:id", getChairDetail)                                // want "route: GET /api/chair/:id chair:R"
	e.POST("/api/chair", postChair)                                        // want "route: POST /api/chair chair:C"
	e.GET("/api/chair/search", searchChairs)                               // want "route: GET /api/chair/search chair:R"
	e.GET("/api/chair/low_priced", getLowPricedChair)                      // want "route: GET /api/chair/low_priced chair:R"
	e.GET("/api/chair/search/condition", getChairSearchCondition)          // want "route: GET /api/chair/search/condition"
	e.POST("/api/chair/buy/:id", buyChair)                                 // want "route: POST /api/chair/buy/:id chair:RU"
	e.GET("/api/recommended_estate/:id", searchRecommendedEstateWithChair) // want "route: GET /api/recommended_estate/:id chair:R estate:R"

	// Estate Handler
	estateAPI := e.Group("/api/estate")
	estateAPI.GET("/:id", getEstateDetail)                       // want "route: GET /api/estate/:id estate:R"
	estateAPI.POST("", postEstate)                               // want "route: POST /api/estate estate:C"
	estateAPI.GET("/search", searchEstates)                      // want "route: GET /api/estate/search estate:R"
	estateAPI.GET("/low_priced", getLowPricedEstate)             // want "route: GET /api/estate/low_priced estate:R"
	estateAPI.POST("/req_doc/:id", postEstateRequestDocument)    // want "route: POST /api/estate/req_doc/:id document_request:CR estate:R"
	estateAPI.POST("/nazotte", searchEstateNazotte)              // want "route: POST /api/estate/nazotte estate:R"
	estateAPI.GET("/search/condition", getEstateSearchCondition) // want "route: GET /api/estate/search/condition"

	mySQLConnectionData = NewMySQLConnectionEnv()

	var err error
	db, err = mySQLConnectionData.ConnectDB()
	if err != nil {
		e.Logger.Fatalf("DB connection failed : %v", err)
	}
	defer db.Close()

	fixtureDir := getEnv("FIXTURE_DIR", "../fixture")
	if err := loadJSON(filepath.Join(fixtureDir, "chair_condition.json"), &chairSearchCondition); err != nil {
		e.Logger.Fatalf("failed to load chair search condition: %v", err)
	}
	if err := loadJSON(filepath.Join(fixtureDir, "estate_condition.json"), &estateSearchCondition); err != nil {
		e.Logger.Fatalf("failed to load estate search condition: %v", err)
	}

	serverPort := fmt.Sprintf(":%v", getEnv("SERVER_PORT", "1323"))
	e.Logger.Fatal(e.Start(serverPort))
}

// initialize rebuilds the catalogue by feeding the SQL files to the mysql
// client, then forgets every document request.
func initialize(c echo.Context) error {
	sqlDir := filepath.Join("..", "mysql", "db")
	paths := []string{
		filepath.Join(sqlDir, "0_Schema.sql"),
		filepath.Join(sqlDir, "1_DummyEstateData.sql"),
		filepath.Join(sqlDir, "2_DummyChairData.sql"),
	}

	for _, p := range paths {
		sqlFile, _ := filepath.Abs(p)
		cmdStr := fmt.Sprintf("mysql -h %v -u %v -p%v -P %v %v < %v",
			mySQLConnectionData.Host,
			mySQLConnectionData.User,
			mySQLConnectionData.Password,
			mySQLConnectionData.Port,
			mySQLConnectionData.DBName,
			sqlFile,
		)
		if out, err := exec.Command("bash", "-c", cmdStr).CombinedOutput(); err != nil {
			c.Logger().Errorf("Initialize script error : %v: %s", err, out)
			return c.NoContent(http.StatusInternalServerError)
		}
	}

	if _, err := db.Exec("DELETE FROM document_request"); err != nil {
		c.Logger().Errorf("failed to clear document requests: %v", err)
		return c.NoContent(http.StatusInternalServerError)
	}

	return c.JSON(http.StatusOK, InitializeResponse{Language: "go"})
}

func getChairSearchCondition(c echo.Context) error {
	return c.JSON(http.StatusOK, chairSearchCondition)
}

func getEstateSearchCondition(c echo.Context) error {
	return c.JSON(http.StatusOK, estateSearchCondition)
}

// getRange returns the bucket of cond whose id is rangeID.
func getRange(cond RangeCondition, rangeID string) (*Range, error) {
	id, err := strconv.Atoi(rangeID)
	if err != nil {
		return nil, err
	}
	if id < 0 || len(cond.Ranges) <= id {
		return nil, fmt.Errorf("unexpected range id %d", id)
	}
	return cond.Ranges[id], nil
}

// pageParams reads the page and perPage query parameters.
func pageParams(c echo.Context) (page, perPage int, err error) {
	page, err = strconv.Atoi(c.QueryParam("page"))
	if err != nil || page < 0 {
		return 0, 0, fmt.Errorf("invalid format page parameter: %q", c.QueryParam("page"))
	}
	perPage, err = strconv.Atoi(c.QueryParam("perPage"))
	if err != nil || perPage <= 0 || perPage > maxPerPage {
		return 0, 0, fmt.Errorf("invalid format perPage parameter: %q", c.QueryParam("perPage"))
	}
	return page, perPage, nil
}
