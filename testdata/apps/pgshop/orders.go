package main

import (
	"net/http"
	"strings"

	"golang.org/x/sync/errgroup"

	"pgshop/db"
)

type orderView struct {
	db.Order
	Items []db.ListOrderItemsRow `json:"items"`
}

// GET /api/orders — the last 20 orders (orders_user_id_created_at_idx,
// both columns), then their lines with one goroutine per order: one
// SELECT order_items per order (L5).
func (s *server) listOrders(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	orders, err := s.q.ListUserOrders(ctx, db.ListUserOrdersParams{UserID: me.ID, Limit: 20})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	views := make([]orderView, len(orders))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, o := range orders {
		views[i].Order = o
		g.Go(func() error {
			items, err := s.q.ListOrderItems(gctx, o.ID)
			if err != nil {
				return err
			}
			views[i].Items = items
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, views)
}

// GET /api/orders/{id} — the order and its lines, read "from one snapshot"
// in a transaction through q.WithTx(tx). It only reads, and under
// Postgres' default READ COMMITTED each statement takes its own snapshot
// anyway: the transaction buys nothing.
func (s *server) getOrder(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	id, ok := idParam(w, r, "id")
	if !ok {
		return
	}
	tx, err := s.db.BeginTx(ctx, nil) // want "readonly-tx: transaction only reads"
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer tx.Rollback()
	qtx := s.q.WithTx(tx)
	order, err := qtx.GetOrder(ctx, db.GetOrderParams{ID: id, UserID: me.ID})
	if notFound(w, err) {
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	items, err := qtx.ListOrderItems(ctx, order.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := tx.Commit(); err != nil {
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, orderView{Order: order, Items: items})
}

// POST /api/products/{id}/reviews — only buyers may review, once.
// HasPurchased finds orders by user_id (leftmost column of
// orders_user_id_created_at_idx) and order_items through its primary key
// (order_id, the join column); HasReviewed uses the leftmost column of
// reviews_product_id_created_at_idx. No index finding.
func (s *server) addReview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	pid, ok := idParam(w, r, "id")
	if !ok {
		return
	}
	var body struct {
		Rating int16  `json:"rating"`
		Body   string `json:"body"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	if body.Rating < 1 || body.Rating > 5 {
		writeError(w, http.StatusUnprocessableEntity, "rating must be between 1 and 5")
		return
	}
	bought, err := s.q.HasPurchased(ctx, db.HasPurchasedParams{UserID: me.ID, ProductID: pid})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !bought {
		writeError(w, http.StatusForbidden, "only customers who bought this product can review it")
		return
	}
	done, err := s.q.HasReviewed(ctx, db.HasReviewedParams{ProductID: pid, UserID: me.ID})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if done {
		writeError(w, http.StatusConflict, "you already reviewed this product")
		return
	}
	rv, err := s.q.CreateReview(ctx, db.CreateReviewParams{
		ProductID: pid, UserID: me.ID, Rating: body.Rating, Body: strings.TrimSpace(body.Body),
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rv)
}
