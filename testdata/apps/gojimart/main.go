// Command gojimart is a small flea market in the style of an older ISUCON
// app: goji routes, sqlx, a category lookup per item.
package main

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/jmoiron/sqlx"
	goji "goji.io"
	"goji.io/pat"
)

var dbx *sqlx.DB

type Item struct {
	ID         int64  `db:"id" json:"id"`
	SellerID   int64  `db:"seller_id" json:"seller_id"`
	Status     string `db:"status" json:"status"`
	CategoryID int    `db:"category_id" json:"category_id"`
}

type Category struct {
	ID       int    `db:"id" json:"id"`
	ParentID int    `db:"parent_id" json:"parent_id"`
	Name     string `db:"name" json:"name"`
}

func main() {
	mux := goji.NewMux()
	mux.Use(logRequests)
	mux.HandleFunc(pat.Post("/initialize"), postInitialize)                   // want "route: POST /initialize items:O transaction_evidences:O"
	mux.HandleFunc(pat.Get("/new_items.json"), getNewItems)                   // want "route: GET /new_items.json categories:R items:R"
	mux.HandleFunc(pat.Get("/items/:item_id.json"), getItem)                  // want "route: GET /items/:item_id.json categories:R items:R users:R"
	mux.HandleFunc(pat.Post("/buy"), postBuy)                                 // want "route: POST /buy items:RU transaction_evidences:C"
	mux.HandleFunc(pat.Post("/items/edit"), postItemEdit)                     // want "route: POST /items/edit items:RU"
	mux.HandleFunc(pat.Get("/search/<script>alert(1)</script>"), getNewItems) // want "route: GET /search/<script>alert(1)</script> categories:R items:R"
	mux.Handle(pat.Get("/*"), http.FileServer(http.Dir("../public")))         // want "route: GET /*"
	http.ListenAndServe(":8000", mux)
}

func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r) })
}

func postInitialize(w http.ResponseWriter, r *http.Request) {
	for _, q := range []string{"TRUNCATE items", "TRUNCATE transaction_evidences"} {
		dbx.MustExec(q)
	}
	w.WriteHeader(http.StatusOK)
}

// getCategoryByID climbs to the parent category: one query per level.
func getCategoryByID(id int) (Category, error) {
	var c Category
	err := dbx.Get(&c, "SELECT * FROM `categories` WHERE `id` = ?", id) // want "n+1: SELECT categories runs once per iteration" "n+1: SELECT categories runs once per recursive call"
	if err == nil && c.ParentID != 0 {
		_, err = getCategoryByID(c.ParentID)
	}
	return c, err
}

func getNewItems(w http.ResponseWriter, r *http.Request) {
	items := []Item{}
	err := dbx.Select(&items, "SELECT * FROM `items` WHERE `status` = ? ORDER BY `created_at` DESC LIMIT 48", "on_sale") // want "unindexed: items.status"
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var out []Category
	for _, item := range items {
		c, err := getCategoryByID(item.CategoryID)
		if err != nil {
			continue
		}
		out = append(out, c)
	}
	json.NewEncoder(w).Encode(out)
}

func getItem(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(pat.Param(r, "item_id"), 10, 64)
	var item Item
	if err := dbx.Get(&item, "SELECT * FROM `items` WHERE `id` = ?", id); err != nil {
		http.NotFound(w, r)
		return
	}
	var name string
	// The literal below is HTML: every report must show it as text.
	dbx.Get(&name, "SELECT account_name FROM users WHERE id = ? AND account_name <> '<script>alert(1)</script>'", item.SellerID)
	c, _ := getCategoryByID(item.CategoryID)
	json.NewEncoder(w).Encode(map[string]any{"item": item, "seller": name, "category": c})
}

func postBuy(w http.ResponseWriter, r *http.Request) {
	tx := dbx.MustBegin()
	var item Item
	if err := tx.Get(&item, "SELECT * FROM `items` WHERE `id` = ? FOR UPDATE", r.FormValue("item_id")); err != nil {
		tx.Rollback()
		http.NotFound(w, r)
		return
	}
	tx.MustExec("INSERT INTO `transaction_evidences` (`item_id`, `status`) VALUES (?, ?)", item.ID, "wait_shipping")
	tx.MustExec("UPDATE `items` SET `status` = ? WHERE `id` = ?", "trading", item.ID)
	tx.Commit()
}

// postItemEdit writes through sqlx's package function with a context:
// the transaction writes, so it is not a read-only one.
func postItemEdit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tx, err := dbx.BeginTxx(ctx, nil)
	if err != nil {
		return
	}
	defer tx.Rollback()
	var item Item
	if err := tx.GetContext(ctx, &item, "SELECT * FROM `items` WHERE `id` = ?", r.FormValue("item_id")); err != nil {
		return
	}
	item.Status = r.FormValue("status")
	sqlx.NamedExecContext(ctx, tx, "UPDATE `items` SET `status` = :status WHERE `id` = :id", item)
	tx.Commit()
}
