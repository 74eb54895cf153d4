package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"
)

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, err error) {
	http.Error(w, err.Error(), http.StatusInternalServerError)
}

type item struct {
	ID         int64  `json:"id"`
	OwnerID    int64  `json:"owner_id"`
	CategoryID int64  `json:"category_id"`
	Title      string `json:"title"`
	Price      int64  `json:"price"`
	Owner      string `json:"owner,omitempty"`
}

// ANY /debug/dbstats — a deliberate count of the whole table: no finding.
func debugDBStats(w http.ResponseWriter, r *http.Request) {
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM sessions").Scan(&n); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, map[string]any{"sessions": n, "open": db.Stats().OpenConnections})
}

// POST /initialize
func initialize(w http.ResponseWriter, r *http.Request) {
	for _, q := range []string{"DELETE FROM item_views", "DELETE FROM sessions"} {
		// A loop over a constant slice of statements: each runs once per
		// request; the loop is bounded and the statement differs per
		// iteration — not an N+1.
		if _, err := db.Exec(q); err != nil {
			fail(w, err)
			return
		}
	}
	writeJSON(w, map[string]string{"language": "go"})
}

// GET /users/{id} — items is read through idx_items_owner (owner_id leads,
// created_at gives the order).
func getUser(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var u user
	if err := db.QueryRowContext(r.Context(), "SELECT id, name FROM users WHERE id = ?1", id).Scan(&u.ID, &u.Name); err != nil {
		http.NotFound(w, r)
		return
	}
	rows, err := db.QueryContext(r.Context(),
		"SELECT id, title, price FROM items WHERE owner_id = ?1 ORDER BY created_at DESC LIMIT 20", id)
	if err != nil {
		fail(w, err)
		return
	}
	defer rows.Close()
	var items []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.ID, &it.Title, &it.Price); err == nil {
			items = append(items, it)
		}
	}
	writeJSON(w, map[string]any{"user": u, "items": items})
}

// POST /users
func createUser(w http.ResponseWriter, r *http.Request) {
	res, err := db.ExecContext(r.Context(), "INSERT INTO users (name, email) VALUES (?1, ?2)",
		r.FormValue("name"), r.FormValue("email"))
	if err != nil {
		http.Error(w, "name taken", http.StatusConflict)
		return
	}
	id, _ := res.LastInsertId()
	writeJSON(w, map[string]int64{"id": id})
}

// ANY /items?category= — category_id has no index, and each item's owner is
// looked up on its own (L1).
func listItems(w http.ResponseWriter, r *http.Request) {
	cat, _ := strconv.ParseInt(r.URL.Query().Get("category"), 10, 64)
	rows, err := db.QueryContext(r.Context(), // want "unindexed: items.category_id"
		"SELECT id, owner_id, category_id, title, price FROM items WHERE category_id = ?1 ORDER BY id DESC LIMIT 50", cat)
	if err != nil {
		fail(w, err)
		return
	}
	var items []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.ID, &it.OwnerID, &it.CategoryID, &it.Title, &it.Price); err == nil {
			items = append(items, it)
		}
	}
	rows.Close()
	for i := range items {
		_ = db.QueryRowContext(r.Context(), "SELECT name FROM users WHERE id = ?1", items[i].OwnerID).Scan(&items[i].Owner) // want "n+1: SELECT users"
	}
	writeJSON(w, items)
}

// POST /items
func createItem(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	price, _ := strconv.ParseInt(r.FormValue("price"), 10, 64)
	cat, _ := strconv.ParseInt(r.FormValue("category"), 10, 64)
	res, err := db.ExecContext(r.Context(),
		"INSERT INTO items (owner_id, category_id, title, price) VALUES (?1, ?2, ?3, ?4)",
		u.ID, cat, r.FormValue("title"), price)
	if err != nil {
		fail(w, err)
		return
	}
	id, _ := res.LastInsertId()
	writeJSON(w, map[string]int64{"id": id})
}

// ANY /me/items
func myItems(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	rows, err := db.QueryContext(r.Context(), "SELECT id, title, price FROM items WHERE owner_id = ?1", u.ID)
	if err != nil {
		fail(w, err)
		return
	}
	defer rows.Close()
	var items []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.ID, &it.Title, &it.Price); err == nil {
			items = append(items, it)
		}
	}
	writeJSON(w, items)
}

// GET /items/{id} — records a view.
func getItem(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var it item
	err := db.QueryRowContext(r.Context(),
		"SELECT id, owner_id, category_id, title, price FROM items WHERE id = ?1", id).
		Scan(&it.ID, &it.OwnerID, &it.CategoryID, &it.Title, &it.Price)
	if errors.Is(err, sql.ErrNoRows) {
		http.NotFound(w, r)
		return
	} else if err != nil {
		fail(w, err)
		return
	}
	if _, err := db.ExecContext(r.Context(),
		"INSERT INTO item_views (item_id, viewed_at) VALUES (?1, ?2)", id, time.Now().Unix()); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, it)
}

// DELETE /items/{id} — both statements use an index (rowid; idx_item_views_item).
func deleteItem(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	res, err := db.ExecContext(r.Context(), "DELETE FROM items WHERE id = ?1 AND owner_id = ?2", id, u.ID)
	if err != nil {
		fail(w, err)
		return
	}
	if n, _ := res.RowsAffected(); n == 0 {
		http.NotFound(w, r)
		return
	}
	if _, err := db.ExecContext(r.Context(), "DELETE FROM item_views WHERE item_id = ?1", id); err != nil {
		fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// GET /search?min=&max= — the one query written with Postgres-style $1/$2
// placeholders (SQLite accepts them). price has no index.
func search(w http.ResponseWriter, r *http.Request) {
	lo, _ := strconv.ParseInt(r.URL.Query().Get("min"), 10, 64)
	hi, _ := strconv.ParseInt(r.URL.Query().Get("max"), 10, 64)
	rows, err := db.QueryContext(r.Context(), // want "unindexed: items.price"
		"SELECT id, title, price FROM items WHERE price BETWEEN $1 AND $2 ORDER BY price LIMIT 50", lo, hi)
	if err != nil {
		fail(w, err)
		return
	}
	defer rows.Close()
	var items []item
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.ID, &it.Title, &it.Price); err == nil {
			items = append(items, it)
		}
	}
	writeJSON(w, items)
}

// GET /popular — the most viewed items of the last hour. viewed_at has no
// index; then each title is fetched through itemTitle (L2).
func popular(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rows, err := db.QueryContext(ctx, // want "unindexed: item_views.viewed_at"
		`SELECT item_id, COUNT(*) AS views
		FROM item_views
		WHERE viewed_at > ?1
		GROUP BY item_id
		ORDER BY views DESC
		LIMIT 10`, time.Now().Add(-time.Hour).Unix())
	if err != nil {
		fail(w, err)
		return
	}
	type entry struct {
		ItemID int64
		Views  int
		Title  string
	}
	var es []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.ItemID, &e.Views); err == nil {
			es = append(es, e)
		}
	}
	rows.Close()
	for i := range es {
		es[i].Title = itemTitle(ctx, es[i].ItemID)
	}
	writeJSON(w, es)
}

func itemTitle(ctx context.Context, id int64) string {
	var t string
	_ = db.QueryRowContext(ctx, "SELECT title FROM items WHERE id = ?1", id).Scan(&t) // want "n+1: SELECT items"
	return t
}

// GET /categories/{id}/path — the breadcrumb: a `for cond` loop that walks
// parent_id one query at a time (L4). A recursive CTE would do it in one.
func categoryPath(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var names []string
	for id != 0 {
		var name string
		var parent sql.NullInt64
		if err := db.QueryRowContext(r.Context(), "SELECT name, parent_id FROM categories WHERE id = ?1", id).Scan(&name, &parent); err != nil { // want "n+1: SELECT categories"
			http.NotFound(w, r)
			return
		}
		names = append([]string{name}, names...)
		id = parent.Int64
	}
	writeJSON(w, names)
}

// PUT /settings/{name} — INSERT OR REPLACE: an insert, and a delete of the
// row it replaces.
func putSetting(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	if _, err := db.ExecContext(r.Context(),
		"INSERT OR REPLACE INTO settings (user_id, name, value) VALUES (?1, ?2, ?3)",
		u.ID, r.PathValue("name"), r.FormValue("value")); err != nil {
		fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// statsHandler is registered as a value with a ServeHTTP method.
type statsHandler struct {
	db *sql.DB
}

// ServeHTTP counts users and items inside a transaction that only reads.
func (h *statsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tx, err := h.db.Begin() // want "readonly-tx: transaction only reads"
	if err != nil {
		fail(w, err)
		return
	}
	defer tx.Rollback()
	var users, items int
	if err := tx.QueryRow("SELECT COUNT(*) FROM users").Scan(&users); err != nil {
		fail(w, err)
		return
	}
	if err := tx.QueryRow("SELECT COUNT(*) FROM items").Scan(&items); err != nil {
		fail(w, err)
		return
	}
	if err := tx.Commit(); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, map[string]int{"users": users, "items": items})
}
