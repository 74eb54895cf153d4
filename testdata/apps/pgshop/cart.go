package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"pgshop/db"
	"pgshop/inventory"
)

// couponValid reports whether c can still be used at now.
func couponValid(c db.Coupon, now time.Time) bool {
	if c.ExpiresAt.Valid && !now.Before(c.ExpiresAt.Time) {
		return false
	}
	return !c.MaxUses.Valid || c.UsedCount < c.MaxUses.Int32
}

type cartLine struct {
	db.ListCartLinesRow
	TotalCents int64 `json:"total_cents"`
}

// GET /api/cart?coupon=CODE — the cart with the coupon applied per line.
func (s *server) getCart(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	// cart_items by its primary key (user_id leads), products by its
	// primary key through the join.
	lines, err := s.q.ListCartLines(ctx, me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	code := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("coupon")))
	out := make([]cartLine, 0, len(lines))
	var total int64
	now := time.Now()
	for _, l := range lines {
		price := l.PriceCents * int64(l.Quantity)
		if code != "" {
			// Loop-invariant: the same coupon is fetched again for every
			// line (nothing it uses changes in the loop). Still one SELECT
			// per line.
			c, err := s.q.GetCoupon(ctx, code)
			if err == nil && couponValid(c, now) {
				price -= price * int64(c.PercentOff) / 100
			}
		}
		out = append(out, cartLine{ListCartLinesRow: l, TotalCents: price})
		total += price
	}
	writeJSON(w, http.StatusOK, map[string]any{"lines": out, "total_cents": total})
}

// PUT /api/cart/items/{productID} — quantity 0 removes the line, anything
// else upserts it (INSERT ... ON CONFLICT DO UPDATE: create and update).
func (s *server) putCartItem(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	pid, ok := idParam(w, r, "productID")
	if !ok {
		return
	}
	var body struct {
		Quantity int32 `json:"quantity"`
	}
	if !decodeJSON(w, r, &body) {
		return
	}
	switch {
	case body.Quantity < 0 || body.Quantity > 99:
		writeError(w, http.StatusUnprocessableEntity, "quantity must be between 0 and 99")
		return
	case body.Quantity == 0:
		if err := s.q.DeleteCartItem(ctx, db.DeleteCartItemParams{UserID: me.ID, ProductID: pid}); err != nil {
			s.serverError(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if _, err := s.q.GetProduct(ctx, pid); notFound(w, err) {
		return
	} else if err != nil {
		s.serverError(w, r, err)
		return
	}
	err := s.q.UpsertCartItem(ctx, db.UpsertCartItemParams{UserID: me.ID, ProductID: pid, Quantity: body.Quantity})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type orderLine struct {
	ProductID      int64
	Quantity       int32
	UnitPriceCents int64
}

// POST /api/checkout — turns the cart into an order in one transaction,
// run through the sqlc queries with q.WithTx(tx). It writes (orders,
// order_items, products.stock, coupons, cart_items): no readonly-tx.
func (s *server) checkout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	me := currentUser(ctx)
	var req struct {
		Coupon   string          `json:"coupon"`
		Shipping json.RawMessage `json:"shipping"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	if len(req.Shipping) == 0 {
		writeError(w, http.StatusUnprocessableEntity, "shipping address required")
		return
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	defer tx.Rollback()
	qtx := s.q.WithTx(tx)

	items, err := qtx.ListCartItems(ctx, me.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if len(items) == 0 {
		writeError(w, http.StatusUnprocessableEntity, "your cart is empty")
		return
	}

	lines := make([]orderLine, 0, len(items))
	var total int64
	for _, it := range items {
		// N+1: a locking read and a stock update per cart line.
		p, err := qtx.GetProductForUpdate(ctx, it.ProductID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if p.DeletedAt.Valid || p.Stock < it.Quantity {
			// Leaves the loop: this DELETE runs at most once per request,
			// not once per line. It goes through s.q, outside the
			// transaction, so the removal sticks after the rollback.
			if err := s.q.DeleteCartItem(ctx, db.DeleteCartItemParams{UserID: me.ID, ProductID: it.ProductID}); err != nil {
				s.log.WarnContext(ctx, "dropping unavailable cart line", "err", err)
			}
			writeError(w, http.StatusConflict, fmt.Sprintf("product %d is no longer available", it.ProductID))
			return
		}
		// Through the inventory.Inventory interface: StockColumn.Reserve.
		if err := s.inv.Reserve(ctx, tx, p.ID, it.Quantity); errors.Is(err, inventory.ErrOutOfStock) {
			writeError(w, http.StatusConflict, fmt.Sprintf("product %d is out of stock", it.ProductID))
			return
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
		lines = append(lines, orderLine{ProductID: p.ID, Quantity: it.Quantity, UnitPriceCents: p.PriceCents})
		total += p.PriceCents * int64(it.Quantity)
	}

	var coupon sql.NullString
	if code := strings.ToUpper(strings.TrimSpace(req.Coupon)); code != "" {
		c, err := qtx.GetCouponForUpdate(ctx, code)
		if errors.Is(err, sql.ErrNoRows) || err == nil && !couponValid(c, time.Now()) {
			writeError(w, http.StatusUnprocessableEntity, "this coupon cannot be used")
			return
		} else if err != nil {
			s.serverError(w, r, err)
			return
		}
		total -= total * int64(c.PercentOff) / 100
		if err := qtx.IncrementCouponUse(ctx, c.Code); err != nil {
			s.serverError(w, r, err)
			return
		}
		coupon = sql.NullString{String: c.Code, Valid: true}
	}

	order, err := qtx.CreateOrder(ctx, db.CreateOrderParams{
		UserID: me.ID, CouponCode: coupon, TotalCents: total, Shipping: req.Shipping,
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := insertOrderItems(ctx, tx, order.ID, lines); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := qtx.ClearCart(ctx, me.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := tx.Commit(); err != nil {
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, order)
}

// insertOrderItems writes every line of an order with one multi-row
// INSERT: "VALUES ($1, $2, $3, $4),($5, ...)" built in the loop, the last
// comma trimmed. The loop runs no query.
func insertOrderItems(ctx context.Context, tx *sql.Tx, orderID int64, lines []orderLine) error {
	q := "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES "
	args := make([]any, 0, 4*len(lines))
	n := 1
	for _, l := range lines {
		q += fmt.Sprintf("($%d, $%d, $%d, $%d),", n, n+1, n+2, n+3)
		args = append(args, orderID, l.ProductID, l.Quantity, l.UnitPriceCents)
		n += 4
	}
	q = strings.TrimSuffix(q, ",")
	_, err := tx.ExecContext(ctx, q, args...)
	return err
}
