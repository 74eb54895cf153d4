package main

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jmoiron/sqlx"
)

type handler struct {
	db *sqlx.DB
}

type user struct {
	ID   int64  `db:"id"`
	Name string `db:"name"`
}

// authRequired is a gin middleware factory: every route of the /v1 group
// reads sessions (uniq_token) and users (primary key) through it.
func authRequired(db *sqlx.DB) gin.HandlerFunc {
	return func(c *gin.Context) {
		token, err := c.Cookie("session")
		if err != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		var uid int64
		if err := db.GetContext(c, &uid, "SELECT user_id FROM sessions WHERE token = ? AND expires_at > NOW()", token); err != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		var u user
		if err := db.GetContext(c, &u, "SELECT id, name FROM users WHERE id = ?", uid); err != nil {
			c.AbortWithStatus(http.StatusUnauthorized)
			return
		}
		c.Set("user", u)
		c.Next()
	}
}

func me(c *gin.Context) user { return c.MustGet("user").(user) }

// POST /initialize — TRUNCATE is not CRUD (O); DELETE is D.
func (h *handler) initialize(c *gin.Context) {
	h.db.MustExec("TRUNCATE TABLE orders")
	h.db.MustExec("DELETE FROM sessions") // no WHERE: a deliberate full delete, no index finding
	c.JSON(http.StatusOK, gin.H{"language": "go"})
}

type item struct {
	ID     int64  `db:"id" json:"id"`
	ShopID int64  `db:"shop_id" json:"shop_id"`
	Name   string `db:"name" json:"name"`
	Price  int    `db:"price" json:"price"`
	Stock  int    `db:"stock" json:"stock"`
}

// GET /api/items?ids=1,2,3 — one IN query through sqlx.In and Rebind; the
// loop only parses ids (L7: not an N+1).
func (h *handler) listItems(c *gin.Context) {
	var ids []int64
	for _, s := range strings.Split(c.Query("ids"), ",") {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	items := []item{}
	if len(ids) == 0 {
		// ORDER BY the primary key: no sort, no finding.
		if err := h.db.SelectContext(c, &items, "SELECT id, shop_id, name, price, stock FROM items ORDER BY id DESC LIMIT 50"); err != nil {
			c.AbortWithError(http.StatusInternalServerError, err)
			return
		}
		c.JSON(http.StatusOK, items)
		return
	}
	q, args, err := sqlx.In("SELECT id, shop_id, name, price, stock FROM items WHERE id IN (?)", ids)
	if err != nil {
		c.AbortWithError(http.StatusBadRequest, err)
		return
	}
	q = h.db.Rebind(q)
	if err := h.db.Select(&items, q, args...); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	c.JSON(http.StatusOK, items)
}

type review struct {
	ID       int64  `db:"id" json:"id"`
	UserID   int64  `db:"user_id" json:"user_id"`
	Rating   int    `db:"rating" json:"rating"`
	Body     string `db:"body" json:"body"`
	UserName string `db:"-" json:"user_name"`
}

// GET /api/items/:id — reviews has no index on item_id; and each review's
// author is fetched on its own.
func (h *handler) getItem(c *gin.Context) {
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	var it item
	if err := h.db.Get(&it, "SELECT id, shop_id, name, price, stock FROM items WHERE id = ?", id); err != nil {
		c.AbortWithStatus(http.StatusNotFound)
		return
	}
	var rs []review
	if err := h.db.Select(&rs, "SELECT id, user_id, rating, body FROM reviews WHERE item_id = ? ORDER BY created_at DESC LIMIT 20", id); err != nil { // want "unindexed: reviews.item_id"
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	for i := range rs {
		if err := h.db.Get(&rs[i].UserName, "SELECT name FROM users WHERE id = ?", rs[i].UserID); err != nil { // want "n+1: SELECT users"
			rs[i].UserName = "(deleted)"
		}
	}
	c.JSON(http.StatusOK, gin.H{"item": it, "reviews": rs})
}

type order struct {
	ID        int64     `db:"id" json:"id"`
	UserID    int64     `db:"user_id" json:"user_id"`
	Status    string    `db:"status" json:"status"`
	Total     int       `db:"total" json:"total"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	Lines     []line    `db:"-" json:"lines"`
}

type line struct {
	OrderID int64  `db:"order_id" json:"-"`
	ItemID  int64  `db:"item_id" json:"item_id"`
	Qty     int    `db:"qty" json:"qty"`
	Price   int    `db:"price" json:"price"`
	Name    string `db:"name" json:"name,omitempty"`
}

// GET /v1/orders — L2: loadLines runs once per order.
func (h *handler) listOrders(c *gin.Context) {
	u := me(c)
	var os []order
	if err := h.db.SelectContext(c, &os,
		"SELECT id, user_id, status, total, created_at FROM orders WHERE user_id = ? ORDER BY created_at DESC LIMIT 20", u.ID); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	for i := range os {
		if err := h.loadLines(c, &os[i]); err != nil {
			c.AbortWithError(http.StatusInternalServerError, err)
			return
		}
	}
	c.JSON(http.StatusOK, os)
}

// loadLines: order_items is served by its primary key (order_id leads),
// items by its primary key through the ON column.
func (h *handler) loadLines(ctx context.Context, o *order) error {
	return h.db.SelectContext(ctx, &o.Lines, // want "n+1: SELECT items, order_items"
		`SELECT oi.order_id, oi.item_id, oi.qty, oi.price, i.name
		FROM order_items oi
		JOIN items i ON i.id = oi.item_id
		WHERE oi.order_id = ?`, o.ID)
}

// POST /v1/orders — a locking read and a stock update per line (an N+1 a
// senior would keep only if lines are few; still reported), then one
// batched insert of all lines after the loop.
func (h *handler) createOrder(c *gin.Context) {
	u := me(c)
	var req struct {
		Lines []line `json:"lines"`
	}
	if err := c.BindJSON(&req); err != nil {
		return
	}
	tx, err := h.db.Beginx()
	if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	defer tx.Rollback()
	total := 0
	for i, l := range req.Lines {
		var it item
		if err := tx.GetContext(c, &it, "SELECT id, price, stock FROM items WHERE id = ? FOR UPDATE", l.ItemID); err != nil { // want "n+1: SELECT items"
			c.AbortWithStatus(http.StatusNotFound)
			return
		}
		if it.Stock < l.Qty {
			c.AbortWithStatus(http.StatusConflict)
			return
		}
		if _, err := tx.ExecContext(c, "UPDATE items SET stock = stock - ? WHERE id = ?", l.Qty, l.ItemID); err != nil { // want "n+1: UPDATE items"
			c.AbortWithError(http.StatusInternalServerError, err)
			return
		}
		req.Lines[i].Price = it.Price
		total += it.Price * l.Qty
	}
	res, err := tx.ExecContext(c, "INSERT INTO orders (user_id, total) VALUES (?, ?)", u.ID, total)
	if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	oid, _ := res.LastInsertId()
	for i := range req.Lines {
		req.Lines[i].OrderID = oid
	}
	// sqlx expands a slice into one multi-row INSERT: runs once.
	if _, err := tx.NamedExecContext(c,
		"INSERT INTO order_items (order_id, item_id, qty, price) VALUES (:order_id, :item_id, :qty, :price)", req.Lines); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	if err := tx.Commit(); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"id": oid, "total": total})
}

// GET /v1/orders/:id/summary — MustBegin, two reads, Commit: the
// transaction only reads.
func (h *handler) orderSummary(c *gin.Context) {
	u := me(c)
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	tx := h.db.MustBegin() // want "readonly-tx: transaction only reads"
	defer tx.Rollback()
	var o order
	if err := tx.Get(&o, "SELECT id, user_id, status, total, created_at FROM orders WHERE id = ? AND user_id = ?", id, u.ID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			c.AbortWithStatus(http.StatusNotFound)
			return
		}
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	if err := tx.Select(&o.Lines, "SELECT order_id, item_id, qty, price FROM order_items WHERE order_id = ?", id); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	if err := tx.Commit(); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	c.JSON(http.StatusOK, o)
}

// PUT /v1/orders/:id/cancel
func (h *handler) cancelOrder(c *gin.Context) {
	u := me(c)
	id, _ := strconv.ParseInt(c.Param("id"), 10, 64)
	res, err := h.db.ExecContext(c,
		"UPDATE orders SET status = 'cancelled' WHERE id = ? AND user_id = ? AND status = 'new'", id, u.ID)
	if err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		c.AbortWithStatus(http.StatusConflict)
		return
	}
	c.Status(http.StatusNoContent)
}

// GET /v1/admin/orders/pending — status has no index.
func (h *handler) pendingOrders(c *gin.Context) {
	var os []order
	if err := h.db.SelectContext(c, &os, // want "unindexed: orders.status"
		"SELECT id, user_id, status, total, created_at FROM orders WHERE status = 'new' LIMIT 100"); err != nil {
		c.AbortWithError(http.StatusInternalServerError, err)
		return
	}
	c.JSON(http.StatusOK, os)
}
