// Command isuflea is the web app of a flea market: sellers list items,
// buyers buy them, and the two sides ship and confirm through an external
// shipment service while an external payment service takes the money.
package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	_ "github.com/go-sql-driver/mysql"
	"github.com/gorilla/sessions"
	"github.com/jmoiron/sqlx"
	goji "goji.io"
	"goji.io/pat"
)

const (
	sessionName = "session_isuflea"

	DefaultPaymentServiceURL  = "http://localhost:5555"
	DefaultShipmentServiceURL = "http://localhost:7000"

	ItemMinPrice    = 100
	ItemMaxPrice    = 1000000
	ItemPriceErrMsg = "商品価格は100ｲｽｺｲﾝ以上、1,000,000ｲｽｺｲﾝ以下にしてください"

	ItemStatusOnSale  = "on_sale"
	ItemStatusTrading = "trading"
	ItemStatusSoldOut = "sold_out"
	ItemStatusStop    = "stop"
	ItemStatusCancel  = "cancel"

	PaymentServiceIsufleaAPIKey = "a15400e46c83635eb181-946abb51ff26a868317c"
	PaymentServiceIsufleaShopID = "11"

	TransactionEvidenceStatusWaitShipping = "wait_shipping"
	TransactionEvidenceStatusWaitDone     = "wait_done"
	TransactionEvidenceStatusDone         = "done"

	ShippingsStatusInitial    = "initial"
	ShippingsStatusWaitPickup = "wait_pickup"
	ShippingsStatusShipping   = "shipping"
	ShippingsStatusDone       = "done"

	ItemsPerPage        = 48
	TransactionsPerPage = 10

	BcryptCost = 10
)

var (
	templates *template.Template
	dbx       *sqlx.DB
	store     sessions.Store
)

type Config struct {
	Name string `json:"name" db:"name"`
	Val  string `json:"val" db:"val"`
}

type User struct {
	ID             int64     `json:"id" db:"id"`
	AccountName    string    `json:"account_name" db:"account_name"`
	HashedPassword []byte    `json:"-" db:"hashed_password"`
	Address        string    `json:"address,omitempty" db:"address"`
	NumSellItems   int       `json:"num_sell_items" db:"num_sell_items"`
	LastBump       time.Time `json:"-" db:"last_bump"`
	CreatedAt      time.Time `json:"-" db:"created_at"`
}

type UserSimple struct {
	ID           int64  `json:"id"`
	AccountName  string `json:"account_name"`
	NumSellItems int    `json:"num_sell_items"`
}

type Item struct {
	ID          int64     `json:"id" db:"id"`
	SellerID    int64     `json:"seller_id" db:"seller_id"`
	BuyerID     int64     `json:"buyer_id" db:"buyer_id"`
	Status      string    `json:"status" db:"status"`
	Name        string    `json:"name" db:"name"`
	Price       int       `json:"price" db:"price"`
	Description string    `json:"description" db:"description"`
	ImageName   string    `json:"image_name" db:"image_name"`
	CategoryID  int       `json:"category_id" db:"category_id"`
	CreatedAt   time.Time `json:"-" db:"created_at"`
	UpdatedAt   time.Time `json:"-" db:"updated_at"`
}

type ItemSimple struct {
	ID         int64       `json:"id"`
	SellerID   int64       `json:"seller_id"`
	Seller     *UserSimple `json:"seller"`
	Status     string      `json:"status"`
	Name       string      `json:"name"`
	Price      int         `json:"price"`
	ImageURL   string      `json:"image_url"`
	CategoryID int         `json:"category_id"`
	Category   *Category   `json:"category"`
	CreatedAt  int64       `json:"created_at"`
}

type ItemDetail struct {
	ID                        int64       `json:"id"`
	SellerID                  int64       `json:"seller_id"`
	Seller                    *UserSimple `json:"seller"`
	BuyerID                   int64       `json:"buyer_id,omitempty"`
	Buyer                     *UserSimple `json:"buyer,omitempty"`
	Status                    string      `json:"status"`
	Name                      string      `json:"name"`
	Price                     int         `json:"price"`
	Description               string      `json:"description"`
	ImageURL                  string      `json:"image_url"`
	CategoryID                int         `json:"category_id"`
	Category                  *Category   `json:"category"`
	TransactionEvidenceID     int64       `json:"transaction_evidence_id,omitempty"`
	TransactionEvidenceStatus string      `json:"transaction_evidence_status,omitempty"`
	ShippingStatus            string      `json:"shipping_status,omitempty"`
	CreatedAt                 int64       `json:"created_at"`
}

type TransactionEvidence struct {
	ID                 int64     `json:"id" db:"id"`
	SellerID           int64     `json:"seller_id" db:"seller_id"`
	BuyerID            int64     `json:"buyer_id" db:"buyer_id"`
	Status             string    `json:"status" db:"status"`
	ItemID             int64     `json:"item_id" db:"item_id"`
	ItemName           string    `json:"item_name" db:"item_name"`
	ItemPrice          int       `json:"item_price" db:"item_price"`
	ItemDescription    string    `json:"item_description" db:"item_description"`
	ItemCategoryID     int       `json:"item_category_id" db:"item_category_id"`
	ItemRootCategoryID int       `json:"item_root_category_id" db:"item_root_category_id"`
	CreatedAt          time.Time `json:"-" db:"created_at"`
	UpdatedAt          time.Time `json:"-" db:"updated_at"`
}

type Shipping struct {
	TransactionEvidenceID int64     `json:"transaction_evidence_id" db:"transaction_evidence_id"`
	Status                string    `json:"status" db:"status"`
	ItemName              string    `json:"item_name" db:"item_name"`
	ItemID                int64     `json:"item_id" db:"item_id"`
	ReserveID             string    `json:"reserve_id" db:"reserve_id"`
	ReserveTime           int64     `json:"reserve_time" db:"reserve_time"`
	ToAddress             string    `json:"to_address" db:"to_address"`
	ToName                string    `json:"to_name" db:"to_name"`
	FromAddress           string    `json:"from_address" db:"from_address"`
	FromName              string    `json:"from_name" db:"from_name"`
	ImgBinary             []byte    `json:"-" db:"img_binary"`
	CreatedAt             time.Time `json:"-" db:"created_at"`
	UpdatedAt             time.Time `json:"-" db:"updated_at"`
}

type Category struct {
	ID                 int    `json:"id" db:"id"`
	ParentID           int    `json:"parent_id" db:"parent_id"`
	CategoryName       string `json:"category_name" db:"category_name"`
	ParentCategoryName string `json:"parent_category_name,omitempty" db:"-"`
}

func init() {
	store = sessions.NewCookieStore([]byte("abc"))

	templates = template.Must(template.ParseFiles("../public/index.html"))
}

func main() {
	host := getEnv("MYSQL_HOST", "127.0.0.1")
	port, err := strconv.Atoi(getEnv("MYSQL_PORT", "3306"))
	if err != nil {
		log.Fatalf("failed to read DB port number from an environment variable MYSQL_PORT.\nError: %s", err.Error())
	}
	user := getEnv("MYSQL_USER", "isucon")
	dbname := getEnv("MYSQL_DBNAME", "isuflea")
	password := getEnv("MYSQL_PASS", "isucon")

	dsn := fmt.Sprintf(
		"%s:%s@tcp(%s:%d)/%s?charset=utf8mb4&parseTime=true&loc=Local",
		user, password, host, port, dbname,
	)

	dbx, err = sqlx.Open("mysql", dsn)
	if err != nil {
		log.Fatalf("failed to connect to DB: %s.", err.Error())
	}
	defer dbx.Close()

	mux := goji.NewMux()

	// API
	mux.HandleFunc(pat.Post("/initialize"), postInitialize)                                    // want "route: POST /initialize configs:CU"
	mux.HandleFunc(pat.Get("/new_items.json"), getNewItems)                                    // want "route: GET /new_items.json categories:R items:R users:R"
	mux.HandleFunc(pat.Get("/new_items/:root_category_id.json"), getNewCategoryItems)          // want "route: GET /new_items/:root_category_id.json categories:R items:R users:R"
	mux.HandleFunc(pat.Get("/users/transactions.json"), getTransactions)                       // want "route: GET /users/transactions.json categories:R configs:R items:R shippings:R transaction_evidences:R users:R"
	mux.HandleFunc(pat.Get("/users/:user_id.json"), getUserItems)                              // want "route: GET /users/:user_id.json categories:R items:R users:R"
	mux.HandleFunc(pat.Get("/items/:item_id.json"), getItem)                                   // want "route: GET /items/:item_id.json categories:R items:R shippings:R transaction_evidences:R users:R"
	mux.HandleFunc(pat.Post("/items/edit"), postItemEdit)                                      // want "route: POST /items/edit items:RU users:R"
	mux.HandleFunc(pat.Post("/buy"), postBuy)                                                  // want "route: POST /buy categories:R configs:R items:RU shippings:C transaction_evidences:C users:R"
	mux.HandleFunc(pat.Post("/sell"), postSell)                                                // want "route: POST /sell categories:R items:C users:RU"
	mux.HandleFunc(pat.Post("/ship"), postShip)                                                // want "route: POST /ship configs:R items:R shippings:RU transaction_evidences:R users:R"
	mux.HandleFunc(pat.Post("/ship_done"), postShipDone)                                       // want "route: POST /ship_done configs:R items:R shippings:RU transaction_evidences:RU users:R"
	mux.HandleFunc(pat.Post("/complete"), postComplete)                                        // want "route: POST /complete configs:R items:RU shippings:RU transaction_evidences:RU users:R"
	mux.HandleFunc(pat.Get("/transactions/:transaction_evidence_id.png"), getQRCode)           // want "route: GET /transactions/:transaction_evidence_id.png shippings:R transaction_evidences:R users:R"
	mux.HandleFunc(pat.Get("/settings"), getSettings)                                          // want "route: GET /settings categories:R configs:R users:R"
	mux.HandleFunc(pat.Post("/login"), postLogin)                                              // want "route: POST /login users:R"
	mux.HandleFunc(pat.Post("/register"), postRegister)                                        // want "route: POST /register users:C"
	mux.HandleFunc(pat.Get("/reports.json"), getReports)                                       // want "route: GET /reports.json transaction_evidences:R"
	mux.Handle(pat.Get("/upload/*"), http.StripPrefix("/upload/", http.FileServer(uploadDir))) // want "route: GET /upload/*"

	// Frontend: every page is the same single-page app.
	mux.HandleFunc(pat.Get("/"), getIndex)                              // want "route: GET /"
	mux.HandleFunc(pat.Get("/login"), getIndex)                         // want "route: GET /login"
	mux.HandleFunc(pat.Get("/register"), getIndex)                      // want "route: GET /register"
	mux.HandleFunc(pat.Get("/timeline"), getIndex)                      // want "route: GET /timeline"
	mux.HandleFunc(pat.Get("/categories/:category_id/items"), getIndex) // want "route: GET /categories/:category_id/items"
	mux.HandleFunc(pat.Get("/sell"), getIndex)                          // want "route: GET /sell"
	mux.HandleFunc(pat.Get("/items/:item_id"), getIndex)                // want "route: GET /items/:item_id"
	mux.HandleFunc(pat.Get("/items/:item_id/edit"), getIndex)           // want "route: GET /items/:item_id/edit"
	mux.HandleFunc(pat.Get("/items/:item_id/buy"), getIndex)            // want "route: GET /items/:item_id/buy"
	mux.HandleFunc(pat.Get("/buy/complete"), getIndex)                  // want "route: GET /buy/complete"
	mux.HandleFunc(pat.Get("/transactions/:transaction_id"), getIndex)  // want "route: GET /transactions/:transaction_id"
	mux.HandleFunc(pat.Get("/users/:user_id"), getIndex)                // want "route: GET /users/:user_id"
	mux.HandleFunc(pat.Get("/users/setting"), getIndex)                 // want "route: GET /users/setting"

	// Assets
	mux.Handle(pat.Get("/*"), http.FileServer(http.Dir("../public"))) // want "route: GET /*"
	log.Fatal(http.ListenAndServe(":8000", mux))
}

var uploadDir = http.Dir("../public/upload")

func getSession(r *http.Request) *sessions.Session {
	session, _ := store.Get(r, sessionName)

	return session
}

func getCSRFToken(r *http.Request) string {
	session := getSession(r)

	csrfToken, ok := session.Values["csrf_token"]
	if !ok {
		return ""
	}

	return csrfToken.(string)
}

// getUser is the logged-in user of the request's session: nearly every
// API handler starts with it.
func getUser(r *http.Request) (user User, errCode int, errMsg string) {
	session := getSession(r)
	userID, ok := session.Values["user_id"]
	if !ok {
		return user, http.StatusNotFound, "no session"
	}

	err := dbx.Get(&user, "SELECT * FROM `users` WHERE `id` = ?", userID)
	if err == sql.ErrNoRows {
		return user, http.StatusNotFound, "user not found"
	}
	if err != nil {
		log.Print(err)
		return user, http.StatusInternalServerError, "db error"
	}

	return user, http.StatusOK, ""
}

// getUserSimpleByID takes dbx or a transaction: the list handlers call it
// once per item.
func getUserSimpleByID(q sqlx.Queryer, userID int64) (userSimple UserSimple, err error) {
	user := User{}
	err = sqlx.Get(q, &user, "SELECT * FROM `users` WHERE `id` = ?", userID) // want "n+1: SELECT users runs once per iteration"
	if err != nil {
		return userSimple, err
	}
	userSimple.ID = user.ID
	userSimple.AccountName = user.AccountName
	userSimple.NumSellItems = user.NumSellItems
	return userSimple, err
}

// getCategoryByID fills in the parent's name by looking the parent up
// too: one query per level, per item.
func getCategoryByID(q sqlx.Queryer, categoryID int) (category Category, err error) {
	err = sqlx.Get(q, &category, "SELECT * FROM `categories` WHERE `id` = ?", categoryID) // want "n+1: SELECT categories runs once per iteration" "n+1: SELECT categories runs once per recursive call"
	if category.ParentID != 0 {
		parentCategory, err := getCategoryByID(q, category.ParentID)
		if err != nil {
			return category, err
		}
		category.ParentCategoryName = parentCategory.CategoryName
	}
	return category, err
}

func getConfigByName(name string) (string, error) {
	config := Config{}
	err := dbx.Get(&config, "SELECT * FROM `configs` WHERE `name` = ?", name) // want "n+1: SELECT configs runs once per iteration"
	if err == sql.ErrNoRows {
		return "", nil
	}
	if err != nil {
		log.Print(err)
		return "", err
	}
	return config.Val, err
}

func getPaymentServiceURL() string {
	val, _ := getConfigByName("payment_service_url")
	if val == "" {
		return DefaultPaymentServiceURL
	}
	return val
}

func getShipmentServiceURL() string {
	val, _ := getConfigByName("shipment_service_url")
	if val == "" {
		return DefaultShipmentServiceURL
	}
	return val
}

func getIndex(w http.ResponseWriter, r *http.Request) {
	templates.ExecuteTemplate(w, "index.html", struct{}{})
}

func getImageURL(imageName string) string {
	return fmt.Sprintf("/upload/%s", imageName)
}

func secureRandomStr(b int) string {
	k := make([]byte, b)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return hex.EncodeToString(k)
}

func getEnv(key, defaultValue string) string {
	if val := os.Getenv(key); val != "" {
		return val
	}
	return defaultValue
}

func outputErrorMsg(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)

	json.NewEncoder(w).Encode(struct {
		Error string `json:"error"`
	}{Error: msg})
}

func dbError(w http.ResponseWriter, err error) {
	log.Print(err)
	outputErrorMsg(w, http.StatusInternalServerError, "db error")
}
