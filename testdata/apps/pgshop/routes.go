package main

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes is the API router, mounted under /api by main with
// http.StripPrefix: every path below is reported with /api in front.
//
// requireUser (r.Use in the group, and in the admin router) and
// optionalUser (r.With) look the session up in sessions JOIN users, so
// every route they wrap reads sessions and users.
func (s *server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, middleware.RealIP, middleware.Recoverer) // no SQL
	r.Use(middleware.Timeout(10 * time.Second))

	r.Post("/login", s.login)                                  // want "route: POST /api/login sessions:C users:R"
	r.Get("/categories", s.listCategories)                     // want "route: GET /api/categories categories:R"
	r.Get("/categories/{slug}/products", s.searchCategory)     // want "route: GET /api/categories/{slug}/products categories:R products:R"
	r.With(s.optionalUser).Get("/products/{id}", s.getProduct) // want "route: GET /api/products/{id} products:R reviews:R sessions:R users:R"

	r.Group(func(r chi.Router) {
		r.Use(s.requireUser)
		r.Post("/logout", s.logout)                     // want "route: POST /api/logout sessions:RD users:R"
		r.Get("/cart", s.getCart)                       // want "route: GET /api/cart cart_items:R coupons:R products:R sessions:R users:R"
		r.Put("/cart/items/{productID}", s.putCartItem) // want "route: PUT /api/cart/items/{productID} cart_items:CUD products:R sessions:R users:R"
		r.Post("/checkout", s.checkout)                 // want "route: POST /api/checkout cart_items:RD coupons:RU order_items:C orders:C products:RU sessions:R users:R"
		r.Get("/orders", s.listOrders)                  // want "route: GET /api/orders order_items:R orders:R products:R sessions:R users:R"
		r.Get("/orders/{id}", s.getOrder)               // want "route: GET /api/orders/{id} order_items:R orders:R products:R sessions:R users:R"
		r.Post("/products/{id}/reviews", s.addReview)   // want "route: POST /api/products/{id}/reviews order_items:R orders:R reviews:CR sessions:R users:R"
	})

	r.Mount("/admin", s.adminRouter())
	return r
}
