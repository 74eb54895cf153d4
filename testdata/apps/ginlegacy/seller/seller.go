// Package seller is the seller API: gorilla/mux on database/sql.
package seller

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"
)

// API holds the seller API's dependencies.
type API struct {
	db *sql.DB
}

type shopKey struct{}

// NewRouter builds the seller router. Routes on the /api subrouter get the
// /api prefix and the shops:R of requireShopKey.
func NewRouter(db *sql.DB) *mux.Router {
	a := &API{db: db}
	r := mux.NewRouter()
	r.HandleFunc("/healthz", a.healthz)                // want "route: ANY /healthz"
	r.HandleFunc("/shops", a.listShops).Methods("GET") // want "route: GET /shops items:R shops:R"
	// Two methods, one registration: two routes on this line.
	r.HandleFunc("/shops/search", a.searchShops).Methods("GET", "POST") // want "route: GET /shops/search shops:R" "route: POST /shops/search shops:R"

	api := r.PathPrefix("/api").Subrouter()
	api.Use(a.requireShopKey)
	api.HandleFunc("/items", a.createItem).Methods(http.MethodPost)       // want "route: POST /api/items items:C shops:R"
	api.HandleFunc("/items/{id:[0-9]+}/stock", a.setStock).Methods("PUT") // want "route: PUT /api/items/{id:[0-9]+}/stock items:U shops:R"
	api.HandleFunc("/report", a.report).Methods("GET")                    // want "route: GET /api/report items:R order_items:R shops:R"
	return r
}

func (a *API) healthz(w http.ResponseWriter, r *http.Request) {
	w.Write([]byte("ok"))
}

// requireShopKey is gorilla middleware (api.Use): shops is read by its
// unique api_key.
func (a *API) requireShopKey(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var shopID int64
		err := a.db.QueryRowContext(r.Context(), "SELECT id FROM shops WHERE api_key = ?", r.Header.Get("X-Api-Key")).Scan(&shopID)
		if err != nil {
			http.Error(w, "bad api key", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), shopKey{}, shopID)))
	})
}

func shopID(r *http.Request) int64 {
	id, _ := r.Context().Value(shopKey{}).(int64)
	return id
}

type shop struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	City  string `json:"city"`
	Items int    `json:"items"`
}

// GET /shops — an item count per shop, one query each (L1).
func (a *API) listShops(w http.ResponseWriter, r *http.Request) {
	rows, err := a.db.Query("SELECT id, name, city FROM shops ORDER BY id LIMIT 100")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var shops []shop
	for rows.Next() {
		var s shop
		if err := rows.Scan(&s.ID, &s.Name, &s.City); err == nil {
			shops = append(shops, s)
		}
	}
	rows.Close()
	for i := range shops {
		a.db.QueryRow("SELECT COUNT(*) FROM items WHERE shop_id = ?", shops[i].ID).Scan(&shops[i].Items) // want "n+1: SELECT items"
	}
	json.NewEncoder(w).Encode(shops)
}

// GET|POST /shops/search?city= — city has no index.
func (a *API) searchShops(w http.ResponseWriter, r *http.Request) {
	rows, err := a.db.QueryContext(r.Context(), "SELECT id, name, city FROM shops WHERE city = ?", r.FormValue("city")) // want "unindexed: shops.city"
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var shops []shop
	for rows.Next() {
		var s shop
		if err := rows.Scan(&s.ID, &s.Name, &s.City); err == nil {
			shops = append(shops, s)
		}
	}
	json.NewEncoder(w).Encode(shops)
}

// POST /api/items
func (a *API) createItem(w http.ResponseWriter, r *http.Request) {
	price, _ := strconv.Atoi(r.FormValue("price"))
	res, err := a.db.ExecContext(r.Context(), "INSERT INTO items (shop_id, name, price) VALUES (?, ?, ?)",
		shopID(r), r.FormValue("name"), price)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	id, _ := res.LastInsertId()
	json.NewEncoder(w).Encode(map[string]int64{"id": id})
}

// PUT /api/items/{id}/stock
func (a *API) setStock(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(mux.Vars(r)["id"], 10, 64)
	stock, _ := strconv.Atoi(r.FormValue("stock"))
	if _, err := a.db.ExecContext(r.Context(), "UPDATE items SET stock = ? WHERE id = ? AND shop_id = ?", stock, id, shopID(r)); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// GET /api/report — a transaction that only reads. In the revenue query
// items is served by idx_shop, but order_items is reached only through its
// ON column item_id, the second column of its primary key: no index serves
// it, so MySQL scans order_items.
func (a *API) report(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	tx, err := a.db.BeginTx(ctx, nil) // want "readonly-tx: transaction only reads"
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer tx.Rollback()
	var items int
	var revenue sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM items WHERE shop_id = ?", shopID(r)).Scan(&items); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err := tx.QueryRowContext(ctx, // want "unindexed: order_items.item_id"
		`SELECT SUM(oi.qty * oi.price)
		FROM order_items oi
		JOIN items i ON i.id = oi.item_id
		WHERE i.shop_id = ?`, shopID(r)).Scan(&revenue); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	tx.Commit()
	json.NewEncoder(w).Encode(map[string]any{"items": items, "revenue": revenue.Int64})
}
