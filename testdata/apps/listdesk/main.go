// Command listdesk is a small newsletter service: subscribers, lists,
// campaigns and templates. It is a crudmap sample app (echo v4 + sqlx on
// Postgres) whose SQL is not written at the calls: named queries in
// queries.sql loaded into a struct by field tags (knadh/goyesql), a dotsql
// file (campaigns), a squirrel builder (lists) and go-gorp (templates).
// The want comments say what crudmap must report.
package main

import (
	_ "embed"
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/knadh/goyesql/v2"
	goyesqlx "github.com/knadh/goyesql/v2/sqlx"
	"github.com/labstack/echo/v4"
	_ "github.com/lib/pq"

	"listdesk/campaigns"
	"listdesk/lists"
	"listdesk/reports"
	"listdesk/templates"
)

//go:embed queries.sql
var queriesSQL []byte

// Queries holds the named queries of queries.sql: prepared statements, and
// one plain string run with the handle.
type Queries struct {
	GetSubscriber           *sqlx.Stmt `query:"get-subscriber"`
	GetSubscriberByEmail    *sqlx.Stmt `query:"get-subscriber-by-email"`
	QuerySubscribersByState *sqlx.Stmt `query:"query-subscribers-by-status"`
	InsertSubscriber        *sqlx.Stmt `query:"insert-subscriber"`
	GetSubscriberLists      *sqlx.Stmt `query:"get-subscriber-lists"`
	AddSubscriberToList     string     `query:"add-subscriber-to-list"`
	DeleteSubscriber        string     `query:"delete-subscriber"`
}

type app struct {
	db        *sqlx.DB
	q         *Queries
	campaigns *campaigns.Store
	lists     *lists.Store
	templates *templates.Store
	reports   *reports.Store
}

var campaignsSQL = flag.String("campaigns-sql", campaigns.DefaultFile, "the campaign queries file")

func main() {
	flag.Parse()
	db, err := sqlx.Open("postgres", os.Getenv("LISTDESK_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	qmap, err := goyesql.ParseBytes(queriesSQL)
	if err != nil {
		log.Fatal(err)
	}
	var q Queries
	if err := goyesqlx.ScanToStruct(&q, qmap, db); err != nil {
		log.Fatal(err)
	}
	a := &app{db: db, q: &q, campaigns: campaigns.New(db.DB, *campaignsSQL), lists: lists.New(db.DB), templates: templates.New(db.DB),
		reports: reports.New(db)}

	e := echo.New()
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") }) // want "route: GET /healthz"

	s := e.Group("/api/subscribers")
	s.GET("/:id", a.getSubscriber)       // want "route: GET /api/subscribers/:id lists:R subscriber_lists:R subscribers:R"
	s.GET("/by-email", a.findByEmail)    // want "route: GET /api/subscribers/by-email subscribers:R"
	s.GET("", a.querySubscribers)        // want "route: GET /api/subscribers lists:R subscriber_lists:R subscribers:R"
	s.POST("", a.createSubscriber)       // want "route: POST /api/subscribers subscriber_lists:C subscribers:C"
	s.DELETE("/:id", a.deleteSubscriber) // want "route: DELETE /api/subscribers/:id subscribers:D"

	e.GET("/api/campaigns/:id", a.getCampaign)            // want "route: GET /api/campaigns/:id campaign_views:R campaigns:R"
	e.POST("/api/campaigns", a.createCampaign)            // want "route: POST /api/campaigns campaigns:C"
	e.GET("/api/lists/:id/campaigns", a.listCampaigns)    // want "route: GET /api/lists/:id/campaigns campaign_views:R campaigns:R"
	e.POST("/api/campaigns/:id/views", a.recordViews)     // want "route: POST /api/campaigns/:id/views campaign_views:C"
	e.GET("/api/lists", a.getLists)                       // want "route: GET /api/lists lists:R subscriber_lists:R"
	e.GET("/api/lists/:id", a.getList)                    // want "route: GET /api/lists/:id lists:R"
	e.POST("/api/lists", a.createList)                    // want "route: POST /api/lists lists:C"
	e.PUT("/api/lists/:id", a.renameList)                 // want "route: PUT /api/lists/:id lists:U"
	e.DELETE("/api/lists/:id", a.deleteList)              // want "route: DELETE /api/lists/:id lists:D subscriber_lists:D"
	e.GET("/api/templates", a.getTemplates)               // want "route: GET /api/templates templates:R"
	e.GET("/api/templates/:id", a.getTemplate)            // want "route: GET /api/templates/:id templates:R"
	e.POST("/api/templates", a.createTemplate)            // want "route: POST /api/templates templates:C"
	e.PUT("/api/templates/:id", a.updateTemplate)         // want "route: PUT /api/templates/:id templates:U"
	e.DELETE("/api/templates/:id", a.deleteTemplate)      // want "route: DELETE /api/templates/:id templates:D"
	e.PUT("/api/templates/:id/default", a.makeDefault)    // want "route: PUT /api/templates/:id/default templates:RU"
	e.PUT("/api/templates/:id/name", a.renameTemplate)    // want "route: PUT /api/templates/:id/name templates:U"
	e.GET("/api/reports/top-lists", a.topLists)           // want "route: GET /api/reports/top-lists lists:R subscriber_lists:R"
	e.GET("/api/reports/campaign-views", a.campaignViews) // want "route: GET /api/reports/campaign-views campaign_views:R campaigns:R"
	e.GET("/api/stats/lists", a.countLists)               // want "route: GET /api/stats/lists lists:R"
	e.GET("/api/stats/subscribers", a.countSubscribers)   // want "route: GET /api/stats/subscribers subscribers:R"
	log.Fatal(e.Start(":9000"))
}

func idParam(c echo.Context) int64 {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	return id
}
