// Command ginlegacy is a marketplace that grew three HTTP stacks: gin for
// the shop front (this package), gorilla/mux for the seller API (package
// seller, database/sql) and echo v3 for reviews (package reviews, sqlx).
// A crudmap sample app: the want comments say what crudmap must report.
package main

import (
	"log"
	"net/http"
	"os"

	"ginlegacy/reviews"
	"ginlegacy/seller"

	"github.com/gin-gonic/gin"
	_ "github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo"
)

func main() {
	dsn := os.Getenv("DSN")
	if dsn == "" {
		dsn = "market:market@tcp(127.0.0.1:3306)/market?parseTime=true"
	}
	db := sqlx.MustConnect("mysql", dsn)

	go func() { log.Println(http.ListenAndServe(":8081", seller.NewRouter(db.DB))) }()

	e := echo.New()
	reviews.Register(e, db)
	go func() { log.Println(e.Start(":8082")) }()

	log.Fatal(setupGin(db).Run(":8080"))
}

func setupGin(db *sqlx.DB) *gin.Engine {
	h := &handler{db: db}
	r := gin.New()
	r.Use(gin.Recovery())

	r.POST("/initialize", h.initialize) // want "route: POST /initialize orders:O sessions:D"
	r.GET("/api/items", h.listItems)    // want "route: GET /api/items items:R"
	r.GET("/api/items/:id", h.getItem)  // want "route: GET /api/items/:id items:R reviews:R users:R"

	v1 := r.Group("/v1")
	v1.Use(authRequired(db))
	{
		v1.GET("/orders", h.listOrders)               // want "route: GET /v1/orders items:R order_items:R orders:R sessions:R users:R"
		v1.POST("/orders", h.createOrder)             // want "route: POST /v1/orders items:RU order_items:C orders:C sessions:R users:R"
		v1.GET("/orders/:id/summary", h.orderSummary) // want "route: GET /v1/orders/:id/summary order_items:R orders:R sessions:R users:R"
		v1.PUT("/orders/:id/cancel", h.cancelOrder)   // want "route: PUT /v1/orders/:id/cancel orders:U sessions:R users:R"

		admin := v1.Group("/admin")
		admin.GET("/orders/pending", h.pendingOrders) // want "route: GET /v1/admin/orders/pending orders:R sessions:R users:R"
	}
	return r
}
