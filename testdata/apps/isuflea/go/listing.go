package main

import (
	"database/sql"
	"encoding/json"
	"log"
	"net/http"
	"os/exec"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"goji.io/pat"
)

type reqInitialize struct {
	PaymentServiceURL  string `json:"payment_service_url"`
	ShipmentServiceURL string `json:"shipment_service_url"`
}

type resInitialize struct {
	Campaign int    `json:"campaign"`
	Language string `json:"language"`
}

type resNewItems struct {
	RootCategoryID   int          `json:"root_category_id,omitempty"`
	RootCategoryName string       `json:"root_category_name,omitempty"`
	HasNext          bool         `json:"has_next"`
	Items            []ItemSimple `json:"items"`
}

type resUserItems struct {
	User    *UserSimple  `json:"user"`
	HasNext bool         `json:"has_next"`
	Items   []ItemSimple `json:"items"`
}

type resTransactions struct {
	HasNext bool         `json:"has_next"`
	Items   []ItemDetail `json:"items"`
}

type resSetting struct {
	CSRFToken         string     `json:"csrf_token"`
	PaymentServiceURL string     `json:"payment_service_url"`
	User              *User      `json:"user,omitempty"`
	Categories        []Category `json:"categories"`
}

func postInitialize(w http.ResponseWriter, r *http.Request) {
	ri := reqInitialize{}

	err := json.NewDecoder(r.Body).Decode(&ri)
	if err != nil {
		outputErrorMsg(w, http.StatusBadRequest, "json decode error")
		return
	}

	// The schema and the benchmark data are loaded by the script, not here.
	cmd := exec.Command("../sql/init.sh")
	cmd.Stderr = log.Writer()
	cmd.Stdout = log.Writer()
	if err := cmd.Run(); err != nil {
		outputErrorMsg(w, http.StatusInternalServerError, "exec init.sh error")
		return
	}

	for _, c := range []Config{
		{Name: "payment_service_url", Val: ri.PaymentServiceURL},
		{Name: "shipment_service_url", Val: ri.ShipmentServiceURL},
	} {
		_, err = dbx.Exec("INSERT INTO `configs` (`name`, `val`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `val` = VALUES(`val`)", c.Name, c.Val) // want "n+1: INSERT configs; UPDATE configs runs once per iteration of the bounded loop"
		if err != nil {
			dbError(w, err)
			return
		}
	}

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(resInitialize{Campaign: 0, Language: "Go"})
}

// pageQuery reads the item_id/created_at cursor of the infinite scroll.
func pageQuery(r *http.Request) (itemID int64, createdAt int64, ok bool) {
	query := r.URL.Query()
	if s := query.Get("item_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return 0, 0, false
		}
		itemID = id
	}
	if s := query.Get("created_at"); s != "" {
		t, err := strconv.ParseInt(s, 10, 64)
		if err != nil || t <= 0 {
			return 0, 0, false
		}
		createdAt = t
	}
	return itemID, createdAt, true
}

func getNewItems(w http.ResponseWriter, r *http.Request) {
	itemID, createdAt, ok := pageQuery(r)
	if !ok {
		outputErrorMsg(w, http.StatusBadRequest, "item_id or created_at param error")
		return
	}

	items := []Item{}
	if itemID > 0 && createdAt > 0 {
		// paging
		err := dbx.Select(&items, // want "unindexed: items.status, items.created_at have no index"
			"SELECT * FROM `items` WHERE `status` IN (?,?) AND (`created_at` < ?  OR (`created_at` <= ? AND `id` < ?)) ORDER BY `created_at` DESC, `id` DESC LIMIT ?",
			ItemStatusOnSale, ItemStatusSoldOut, time.Unix(createdAt, 0), time.Unix(createdAt, 0), itemID, ItemsPerPage+1,
		)
		if err != nil {
			dbError(w, err)
			return
		}
	} else {
		// 1st page
		err := dbx.Select(&items, // want "unindexed: items.status has no index"
			"SELECT * FROM `items` WHERE `status` IN (?,?) ORDER BY `created_at` DESC, `id` DESC LIMIT ?",
			ItemStatusOnSale, ItemStatusSoldOut, ItemsPerPage+1,
		)
		if err != nil {
			dbError(w, err)
			return
		}
	}

	itemSimples := []ItemSimple{}
	for _, item := range items {
		seller, err := getUserSimpleByID(dbx, item.SellerID)
		if err != nil {
			outputErrorMsg(w, http.StatusNotFound, "seller not found")
			return
		}
		category, err := getCategoryByID(dbx, item.CategoryID)
		if err != nil {
			outputErrorMsg(w, http.StatusNotFound, "category not found")
			return
		}
		itemSimples = append(itemSimples, toItemSimple(item, &seller, &category))
	}

	hasNext := false
	if len(itemSimples) > ItemsPerPage {
		hasNext = true
		itemSimples = itemSimples[0:ItemsPerPage]
	}

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(resNewItems{Items: itemSimples, HasNext: hasNext})
}

func getNewCategoryItems(w http.ResponseWriter, r *http.Request) {
	rootCategoryID, err := strconv.Atoi(pat.Param(r, "root_category_id"))
	if err != nil || rootCategoryID <= 0 {
		outputErrorMsg(w, http.StatusBadRequest, "incorrect category id")
		return
	}

	rootCategory, err := getCategoryByID(dbx, rootCategoryID)
	if err != nil || rootCategory.ParentID != 0 {
		outputErrorMsg(w, http.StatusNotFound, "category not found")
		return
	}

	var categoryIDs []int
	err = dbx.Select(&categoryIDs, "SELECT id FROM `categories` WHERE parent_id=?", rootCategory.ID) // want "unindexed: categories.parent_id"
	if err != nil {
		dbError(w, err)
		return
	}

	itemID, createdAt, ok := pageQuery(r)
	if !ok {
		outputErrorMsg(w, http.StatusBadRequest, "item_id or created_at param error")
		return
	}

	var inQuery string
	var inArgs []interface{}
	if itemID > 0 && createdAt > 0 {
		// paging
		inQuery, inArgs, err = sqlx.In(
			"SELECT * FROM `items` WHERE `status` IN (?,?) AND category_id IN (?) AND (`created_at` < ?  OR (`created_at` <= ? AND `id` < ?)) ORDER BY `created_at` DESC, `id` DESC LIMIT ?",
			ItemStatusOnSale, ItemStatusSoldOut, categoryIDs, time.Unix(createdAt, 0), time.Unix(createdAt, 0), itemID, ItemsPerPage+1,
		)
	} else {
		// 1st page
		inQuery, inArgs, err = sqlx.In(
			"SELECT * FROM `items` WHERE `status` IN (?,?) AND category_id IN (?) ORDER BY created_at DESC, id DESC LIMIT ?",
			ItemStatusOnSale, ItemStatusSoldOut, categoryIDs, ItemsPerPage+1,
		)
	}
	if err != nil {
		dbError(w, err)
		return
	}

	items := []Item{}
	inQuery = dbx.Rebind(inQuery)
	err = dbx.Select(&items, inQuery, inArgs...)
	if err != nil {
		dbError(w, err)
		return
	}

	itemSimples := []ItemSimple{}
	for _, item := range items {
		seller, err := getUserSimpleByID(dbx, item.SellerID)
		if err != nil {
			outputErrorMsg(w, http.StatusNotFound, "seller not found")
			return
		}
		category, err := getCategoryByID(dbx, item.CategoryID)
		if err != nil {
			outputErrorMsg(w, http.StatusNotFound, "category not found")
			return
		}
		itemSimples = append(itemSimples, toItemSimple(item, &seller, &category))
	}

	hasNext := false
	if len(itemSimples) > ItemsPerPage {
		hasNext = true
		itemSimples = itemSimples[0:ItemsPerPage]
	}

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(resNewItems{
		RootCategoryID:   rootCategory.ID,
		RootCategoryName: rootCategory.CategoryName,
		Items:            itemSimples,
		HasNext:          hasNext,
	})
}

func getUserItems(w http.ResponseWriter, r *http.Request) {
	userID, err := strconv.ParseInt(pat.Param(r, "user_id"), 10, 64)
	if err != nil || userID <= 0 {
		outputErrorMsg(w, http.StatusBadRequest, "incorrect user id")
		return
	}

	userSimple, err := getUserSimpleByID(dbx, userID)
	if err != nil {
		outputErrorMsg(w, http.StatusNotFound, "user not found")
		return
	}

	itemID, createdAt, ok := pageQuery(r)
	if !ok {
		outputErrorMsg(w, http.StatusBadRequest, "item_id or created_at param error")
		return
	}

	items := []Item{}
	if itemID > 0 && createdAt > 0 {
		// paging
		err := dbx.Select(&items, // want "unindexed: items.seller_id, items.status, items.created_at have no index"
			"SELECT * FROM `items` WHERE `seller_id` = ? AND `status` IN (?,?,?) AND (`created_at` < ?  OR (`created_at` <= ? AND `id` < ?)) ORDER BY `created_at` DESC, `id` DESC LIMIT ?",
			userSimple.ID, ItemStatusOnSale, ItemStatusTrading, ItemStatusSoldOut, time.Unix(createdAt, 0), time.Unix(createdAt, 0), itemID, ItemsPerPage+1,
		)
		if err != nil {
			dbError(w, err)
			return
		}
	} else {
		// 1st page
		err := dbx.Select(&items, // want "unindexed: items.seller_id, items.status have no index"
			"SELECT * FROM `items` WHERE `seller_id` = ? AND `status` IN (?,?,?) ORDER BY `created_at` DESC, `id` DESC LIMIT ?",
			userSimple.ID, ItemStatusOnSale, ItemStatusTrading, ItemStatusSoldOut, ItemsPerPage+1,
		)
		if err != nil {
			dbError(w, err)
			return
		}
	}

	// Every item has the same seller: only the category is looked up.
	itemSimples := []ItemSimple{}
	for _, item := range items {
		category, err := getCategoryByID(dbx, item.CategoryID)
		if err != nil {
			outputErrorMsg(w, http.StatusNotFound, "category not found")
			return
		}
		itemSimples = append(itemSimples, toItemSimple(item, &userSimple, &category))
	}

	hasNext := false
	if len(itemSimples) > ItemsPerPage {
		hasNext = true
		itemSimples = itemSimples[0:ItemsPerPage]
	}

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(resUserItems{User: &userSimple, Items: itemSimples, HasNext: hasNext})
}

func getTransactions(w http.ResponseWriter, r *http.Request) {
	user, errCode, errMsg := getUser(r)
	if errMsg != "" {
		outputErrorMsg(w, errCode, errMsg)
		return
	}

	itemID, createdAt, ok := pageQuery(r)
	if !ok {
		outputErrorMsg(w, http.StatusBadRequest, "item_id or created_at param error")
		return
	}

	tx := dbx.MustBegin() // want "readonly-tx: transaction only reads"
	defer tx.Rollback()
	items := []Item{}
	if itemID > 0 && createdAt > 0 {
		// paging
		err := tx.Select(&items, // want "unindexed: items.seller_id, items.buyer_id"
			"SELECT * FROM `items` WHERE (`seller_id` = ? OR `buyer_id` = ?) AND `status` IN (?,?,?,?,?) AND (`created_at` < ?  OR (`created_at` <= ? AND `id` < ?)) ORDER BY `created_at` DESC, `id` DESC LIMIT ?",
			user.ID, user.ID, ItemStatusOnSale, ItemStatusTrading, ItemStatusSoldOut, ItemStatusCancel, ItemStatusStop, time.Unix(createdAt, 0), time.Unix(createdAt, 0), itemID, TransactionsPerPage+1,
		)
		if err != nil {
			dbError(w, err)
			return
		}
	} else {
		// 1st page
		err := tx.Select(&items, // want "unindexed: items.seller_id, items.buyer_id"
			"SELECT * FROM `items` WHERE (`seller_id` = ? OR `buyer_id` = ?) AND `status` IN (?,?,?,?,?) ORDER BY `created_at` DESC, `id` DESC LIMIT ?",
			user.ID, user.ID, ItemStatusOnSale, ItemStatusTrading, ItemStatusSoldOut, ItemStatusCancel, ItemStatusStop, TransactionsPerPage+1,
		)
		if err != nil {
			dbError(w, err)
			return
		}
	}

	itemDetails := []ItemDetail{}
	for _, item := range items {
		seller, err := getUserSimpleByID(tx, item.SellerID)
		if err != nil {
			outputErrorMsg(w, http.StatusNotFound, "seller not found")
			return
		}
		category, err := getCategoryByID(tx, item.CategoryID)
		if err != nil {
			outputErrorMsg(w, http.StatusNotFound, "category not found")
			return
		}

		itemDetail := toItemDetail(item, &seller, &category)
		if item.BuyerID != 0 {
			buyer, err := getUserSimpleByID(tx, item.BuyerID)
			if err != nil {
				outputErrorMsg(w, http.StatusNotFound, "buyer not found")
				return
			}
			itemDetail.BuyerID = item.BuyerID
			itemDetail.Buyer = &buyer
		}

		transactionEvidence := TransactionEvidence{}
		err = tx.Get(&transactionEvidence, "SELECT * FROM `transaction_evidences` WHERE `item_id` = ?", item.ID) // want "n+1: SELECT transaction_evidences runs once per iteration"
		if err != nil && err != sql.ErrNoRows {
			dbError(w, err)
			return
		}

		if transactionEvidence.ID > 0 {
			shipping := Shipping{}
			err = tx.Get(&shipping, "SELECT * FROM `shippings` WHERE `transaction_evidence_id` = ?", transactionEvidence.ID) // want "n+1: SELECT shippings runs once per iteration"
			if err == sql.ErrNoRows {
				outputErrorMsg(w, http.StatusNotFound, "shipping not found")
				return
			}
			if err != nil {
				dbError(w, err)
				return
			}
			// one HTTP call per item as well, after a config lookup
			ssr, err := APIShipmentStatus(getShipmentServiceURL(), &APIShipmentStatusReq{
				ReserveID: shipping.ReserveID,
			})
			if err != nil {
				log.Print(err)
				outputErrorMsg(w, http.StatusInternalServerError, "failed to request to shipment service")
				return
			}

			itemDetail.TransactionEvidenceID = transactionEvidence.ID
			itemDetail.TransactionEvidenceStatus = transactionEvidence.Status
			itemDetail.ShippingStatus = ssr.Status
		}

		itemDetails = append(itemDetails, itemDetail)
	}
	tx.Commit()

	hasNext := false
	if len(itemDetails) > TransactionsPerPage {
		hasNext = true
		itemDetails = itemDetails[0:TransactionsPerPage]
	}

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(resTransactions{Items: itemDetails, HasNext: hasNext})
}

func getItem(w http.ResponseWriter, r *http.Request) {
	itemID, err := strconv.ParseInt(pat.Param(r, "item_id"), 10, 64)
	if err != nil || itemID <= 0 {
		outputErrorMsg(w, http.StatusBadRequest, "incorrect item id")
		return
	}

	user, errCode, errMsg := getUser(r)
	if errMsg != "" {
		outputErrorMsg(w, errCode, errMsg)
		return
	}

	item := Item{}
	err = dbx.Get(&item, "SELECT * FROM `items` WHERE `id` = ?", itemID)
	if err == sql.ErrNoRows {
		outputErrorMsg(w, http.StatusNotFound, "item not found")
		return
	}
	if err != nil {
		dbError(w, err)
		return
	}

	category, err := getCategoryByID(dbx, item.CategoryID)
	if err != nil {
		outputErrorMsg(w, http.StatusNotFound, "category not found")
		return
	}
	seller, err := getUserSimpleByID(dbx, item.SellerID)
	if err != nil {
		outputErrorMsg(w, http.StatusNotFound, "seller not found")
		return
	}

	itemDetail := toItemDetail(item, &seller, &category)

	if (user.ID == item.SellerID || user.ID == item.BuyerID) && item.BuyerID != 0 {
		buyer, err := getUserSimpleByID(dbx, item.BuyerID)
		if err != nil {
			outputErrorMsg(w, http.StatusNotFound, "buyer not found")
			return
		}
		itemDetail.BuyerID = item.BuyerID
		itemDetail.Buyer = &buyer

		transactionEvidence := TransactionEvidence{}
		err = dbx.Get(&transactionEvidence, "SELECT * FROM `transaction_evidences` WHERE `item_id` = ?", item.ID)
		if err != nil && err != sql.ErrNoRows {
			dbError(w, err)
			return
		}

		if transactionEvidence.ID > 0 {
			shipping := Shipping{}
			err = dbx.Get(&shipping, "SELECT * FROM `shippings` WHERE `transaction_evidence_id` = ?", transactionEvidence.ID)
			if err != nil {
				dbError(w, err)
				return
			}
			itemDetail.TransactionEvidenceID = transactionEvidence.ID
			itemDetail.TransactionEvidenceStatus = transactionEvidence.Status
			itemDetail.ShippingStatus = shipping.Status
		}
	}

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(itemDetail)
}

func getSettings(w http.ResponseWriter, r *http.Request) {
	ress := resSetting{}
	ress.CSRFToken = getCSRFToken(r)

	// Anonymous visitors get the settings too.
	user, _, errMsg := getUser(r)
	if errMsg == "" {
		ress.User = &user
	}

	ress.PaymentServiceURL = getPaymentServiceURL()

	categories := []Category{}
	err := dbx.Select(&categories, "SELECT * FROM `categories`")
	if err != nil {
		dbError(w, err)
		return
	}
	ress.Categories = categories

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(ress)
}

func getReports(w http.ResponseWriter, r *http.Request) {
	transactionEvidences := make([]TransactionEvidence, 0)
	err := dbx.Select(&transactionEvidences, "SELECT * FROM `transaction_evidences` WHERE `id` > 15007")
	if err != nil {
		dbError(w, err)
		return
	}

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(transactionEvidences)
}

func toItemSimple(item Item, seller *UserSimple, category *Category) ItemSimple {
	return ItemSimple{
		ID:         item.ID,
		SellerID:   item.SellerID,
		Seller:     seller,
		Status:     item.Status,
		Name:       item.Name,
		Price:      item.Price,
		ImageURL:   getImageURL(item.ImageName),
		CategoryID: item.CategoryID,
		Category:   category,
		CreatedAt:  item.CreatedAt.Unix(),
	}
}

func toItemDetail(item Item, seller *UserSimple, category *Category) ItemDetail {
	return ItemDetail{
		ID:          item.ID,
		SellerID:    item.SellerID,
		Seller:      seller,
		Status:      item.Status,
		Name:        item.Name,
		Price:       item.Price,
		Description: item.Description,
		ImageURL:    getImageURL(item.ImageName),
		CategoryID:  item.CategoryID,
		Category:    category,
		CreatedAt:   item.CreatedAt.Unix(),
	}
}
