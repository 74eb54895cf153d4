package main

import (
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	"goji.io/pat"
	"golang.org/x/crypto/bcrypt"
)

// txTrade is a trade step's transaction with the rows it has locked.
type txTrade struct {
	tx       *sqlx.Tx
	item     Item
	shipping Shipping
}

type reqItemEdit struct {
	CSRFToken string `json:"csrf_token"`
	ItemID    int64  `json:"item_id"`
	ItemPrice int    `json:"item_price"`
}

type resItemEdit struct {
	ItemID        int64 `json:"item_id"`
	ItemPrice     int   `json:"item_price"`
	ItemCreatedAt int64 `json:"item_created_at"`
	ItemUpdatedAt int64 `json:"item_updated_at"`
}

type reqBuy struct {
	CSRFToken string `json:"csrf_token"`
	ItemID    int64  `json:"item_id"`
	Token     string `json:"token"`
}

type resBuy struct {
	TransactionEvidenceID int64 `json:"transaction_evidence_id"`
}

type resSell struct {
	ID int64 `json:"id"`
}

type reqPostShip struct {
	CSRFToken string `json:"csrf_token"`
	ItemID    int64  `json:"item_id"`
}

type resPostShip struct {
	Path      string `json:"path"`
	ReserveID string `json:"reserve_id"`
}

type reqLogin struct {
	AccountName string `json:"account_name"`
	Password    string `json:"password"`
}

type reqRegister struct {
	AccountName string `json:"account_name"`
	Address     string `json:"address"`
	Password    string `json:"password"`
}

func postItemEdit(w http.ResponseWriter, r *http.Request) {
	rie := reqItemEdit{}
	if err := json.NewDecoder(r.Body).Decode(&rie); err != nil {
		outputErrorMsg(w, http.StatusBadRequest, "json decode error")
		return
	}
	if rie.CSRFToken != getCSRFToken(r) {
		outputErrorMsg(w, http.StatusUnprocessableEntity, "csrf token error")
		return
	}
	if rie.ItemPrice < ItemMinPrice || rie.ItemPrice > ItemMaxPrice {
		outputErrorMsg(w, http.StatusBadRequest, ItemPriceErrMsg)
		return
	}

	seller, errCode, errMsg := getUser(r)
	if errMsg != "" {
		outputErrorMsg(w, errCode, errMsg)
		return
	}

	targetItem := Item{}
	err := dbx.Get(&targetItem, "SELECT * FROM `items` WHERE `id` = ?", rie.ItemID)
	if err == sql.ErrNoRows {
		outputErrorMsg(w, http.StatusNotFound, "item not found")
		return
	}
	if err != nil {
		dbError(w, err)
		return
	}
	if targetItem.SellerID != seller.ID {
		outputErrorMsg(w, http.StatusForbidden, "自分の商品以外は編集できません")
		return
	}

	tx := dbx.MustBegin()
	err = tx.Get(&targetItem, "SELECT * FROM `items` WHERE `id` = ? FOR UPDATE", rie.ItemID)
	if err != nil {
		dbError(w, err)
		tx.Rollback()
		return
	}
	if targetItem.Status != ItemStatusOnSale {
		outputErrorMsg(w, http.StatusForbidden, "販売中の商品以外編集できません")
		tx.Rollback()
		return
	}

	_, err = tx.Exec("UPDATE `items` SET `price` = ?, `updated_at` = ? WHERE `id` = ?", rie.ItemPrice, time.Now(), rie.ItemID)
	if err != nil {
		dbError(w, err)
		tx.Rollback()
		return
	}

	err = tx.Get(&targetItem, "SELECT * FROM `items` WHERE `id` = ?", rie.ItemID)
	if err != nil {
		dbError(w, err)
		tx.Rollback()
		return
	}
	tx.Commit()

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(&resItemEdit{
		ItemID:        targetItem.ID,
		ItemPrice:     targetItem.Price,
		ItemCreatedAt: targetItem.CreatedAt.Unix(),
		ItemUpdatedAt: targetItem.UpdatedAt.Unix(),
	})
}

func postBuy(w http.ResponseWriter, r *http.Request) {
	rb := reqBuy{}
	if err := json.NewDecoder(r.Body).Decode(&rb); err != nil {
		outputErrorMsg(w, http.StatusBadRequest, "json decode error")
		return
	}
	if rb.CSRFToken != getCSRFToken(r) {
		outputErrorMsg(w, http.StatusUnprocessableEntity, "csrf token error")
		return
	}

	buyer, errCode, errMsg := getUser(r)
	if errMsg != "" {
		outputErrorMsg(w, errCode, errMsg)
		return
	}

	tx := dbx.MustBegin()
	defer tx.Rollback()

	targetItem := Item{}
	err := tx.Get(&targetItem, "SELECT * FROM `items` WHERE `id` = ? FOR UPDATE", rb.ItemID)
	if err == sql.ErrNoRows {
		outputErrorMsg(w, http.StatusNotFound, "item not found")
		return
	}
	if err != nil {
		dbError(w, err)
		return
	}
	if targetItem.Status != ItemStatusOnSale {
		outputErrorMsg(w, http.StatusForbidden, "item is not for sale")
		return
	}
	if targetItem.SellerID == buyer.ID {
		outputErrorMsg(w, http.StatusForbidden, "自分の商品は買えません")
		return
	}

	seller := User{}
	err = tx.Get(&seller, "SELECT * FROM `users` WHERE `id` = ? FOR UPDATE", targetItem.SellerID)
	if err != nil {
		outputErrorMsg(w, http.StatusNotFound, "seller not found")
		return
	}

	category, err := getCategoryByID(tx, targetItem.CategoryID)
	if err != nil {
		log.Print(err)
		outputErrorMsg(w, http.StatusInternalServerError, "category id error")
		return
	}

	result, err := tx.Exec("INSERT INTO `transaction_evidences` (`seller_id`, `buyer_id`, `status`, `item_id`, `item_name`, `item_price`, `item_description`,`item_category_id`,`item_root_category_id`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		targetItem.SellerID,
		buyer.ID,
		TransactionEvidenceStatusWaitShipping,
		targetItem.ID,
		targetItem.Name,
		targetItem.Price,
		targetItem.Description,
		category.ID,
		category.ParentID,
	)
	if err != nil {
		dbError(w, err)
		return
	}
	transactionEvidenceID, err := result.LastInsertId()
	if err != nil {
		dbError(w, err)
		return
	}

	_, err = tx.Exec("UPDATE `items` SET `buyer_id` = ?, `status` = ?, `updated_at` = ? WHERE `id` = ?",
		buyer.ID,
		ItemStatusTrading,
		time.Now(),
		targetItem.ID,
	)
	if err != nil {
		dbError(w, err)
		return
	}

	scr, err := APIShipmentCreate(getShipmentServiceURL(), &APIShipmentCreateReq{
		ToAddress:   buyer.Address,
		ToName:      buyer.AccountName,
		FromAddress: seller.Address,
		FromName:    seller.AccountName,
	})
	if err != nil {
		log.Print(err)
		outputErrorMsg(w, http.StatusInternalServerError, "failed to request to shipment service")
		return
	}

	pstr, err := APIPaymentToken(getPaymentServiceURL(), &APIPaymentServiceTokenReq{
		ShopID: PaymentServiceIsufleaShopID,
		Token:  rb.Token,
		APIKey: PaymentServiceIsufleaAPIKey,
		Price:  targetItem.Price,
	})
	if err != nil || pstr.Status != "ok" {
		outputErrorMsg(w, http.StatusBadRequest, "カード情報に誤りがあります")
		return
	}

	_, err = tx.Exec("INSERT INTO `shippings` (`transaction_evidence_id`, `status`, `item_name`, `item_id`, `reserve_id`, `reserve_time`, `to_address`, `to_name`, `from_address`, `from_name`, `img_binary`) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
		transactionEvidenceID,
		ShippingsStatusInitial,
		targetItem.Name,
		targetItem.ID,
		scr.ReserveID,
		scr.ReserveTime,
		buyer.Address,
		buyer.AccountName,
		seller.Address,
		seller.AccountName,
		"",
	)
	if err != nil {
		dbError(w, err)
		return
	}

	tx.Commit()

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(resBuy{TransactionEvidenceID: transactionEvidenceID})
}

func postSell(w http.ResponseWriter, r *http.Request) {
	if r.FormValue("csrf_token") != getCSRFToken(r) {
		outputErrorMsg(w, http.StatusUnprocessableEntity, "csrf token error")
		return
	}
	name := r.FormValue("name")
	description := r.FormValue("description")
	price, err := strconv.Atoi(r.FormValue("price"))
	if err != nil {
		outputErrorMsg(w, http.StatusBadRequest, "price error")
		return
	}
	categoryID, err := strconv.Atoi(r.FormValue("category_id"))
	if err != nil || categoryID < 0 {
		outputErrorMsg(w, http.StatusBadRequest, "category id error")
		return
	}
	if name == "" || description == "" || price == 0 || categoryID == 0 {
		outputErrorMsg(w, http.StatusBadRequest, "all parameters are required")
		return
	}
	if price < ItemMinPrice || price > ItemMaxPrice {
		outputErrorMsg(w, http.StatusBadRequest, ItemPriceErrMsg)
		return
	}

	category, err := getCategoryByID(dbx, categoryID)
	if err != nil || category.ParentID == 0 {
		outputErrorMsg(w, http.StatusBadRequest, "Incorrect category ID")
		return
	}

	user, errCode, errMsg := getUser(r)
	if errMsg != "" {
		outputErrorMsg(w, errCode, errMsg)
		return
	}

	f, header, err := r.FormFile("image")
	if err != nil {
		outputErrorMsg(w, http.StatusBadRequest, "image error")
		return
	}
	defer f.Close()
	img, err := io.ReadAll(f)
	if err != nil {
		outputErrorMsg(w, http.StatusInternalServerError, "image error")
		return
	}
	ext := filepath.Ext(header.Filename)
	if ext != ".jpg" && ext != ".jpeg" && ext != ".png" && ext != ".gif" {
		outputErrorMsg(w, http.StatusBadRequest, "unsupported image format error")
		return
	}
	if ext == ".jpeg" {
		ext = ".jpg"
	}
	imgName := fmt.Sprintf("%s%s", secureRandomStr(16), ext)
	if err := os.WriteFile(fmt.Sprintf("../public/upload/%s", imgName), img, 0644); err != nil {
		log.Print(err)
		outputErrorMsg(w, http.StatusInternalServerError, "Saving image failed")
		return
	}

	tx := dbx.MustBegin()

	seller := User{}
	err = tx.Get(&seller, "SELECT * FROM `users` WHERE `id` = ? FOR UPDATE", user.ID)
	if err != nil {
		outputErrorMsg(w, http.StatusNotFound, "user not found")
		tx.Rollback()
		return
	}

	result, err := tx.Exec("INSERT INTO `items` (`seller_id`, `status`, `name`, `price`, `description`,`image_name`,`category_id`) VALUES (?, ?, ?, ?, ?, ?, ?)",
		seller.ID,
		ItemStatusOnSale,
		name,
		price,
		description,
		imgName,
		category.ID,
	)
	if err != nil {
		dbError(w, err)
		tx.Rollback()
		return
	}
	itemID, err := result.LastInsertId()
	if err != nil {
		dbError(w, err)
		tx.Rollback()
		return
	}

	now := time.Now()
	_, err = tx.Exec("UPDATE `users` SET `num_sell_items`=?, `last_bump`=? WHERE `id`=?",
		seller.NumSellItems+1,
		now,
		seller.ID,
	)
	if err != nil {
		dbError(w, err)
		tx.Rollback()
		return
	}
	tx.Commit()

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(resSell{ID: itemID})
}

// lockTrade locks the item, its transaction evidence and its shipping, in
// that order, the way every step of a trade does. The transaction lives in
// a struct field: the callers write through t.tx and commit it.
func lockTrade(w http.ResponseWriter, itemID int64, te *TransactionEvidence) (*txTrade, bool) {
	t := &txTrade{tx: dbx.MustBegin()}
	err := t.tx.Get(&t.item, "SELECT * FROM `items` WHERE `id` = ? FOR UPDATE", itemID)
	if err != nil {
		log.Print(err)
		outputErrorMsg(w, http.StatusNotFound, "item not found")
		t.tx.Rollback()
		return nil, false
	}
	if t.item.Status != ItemStatusTrading {
		outputErrorMsg(w, http.StatusForbidden, "商品が取引中ではありません")
		t.tx.Rollback()
		return nil, false
	}
	err = t.tx.Get(te, "SELECT * FROM `transaction_evidences` WHERE `id` = ? FOR UPDATE", te.ID)
	if err != nil {
		log.Print(err)
		outputErrorMsg(w, http.StatusNotFound, "transaction_evidences not found")
		t.tx.Rollback()
		return nil, false
	}
	err = t.tx.Get(&t.shipping, "SELECT * FROM `shippings` WHERE `transaction_evidence_id` = ? FOR UPDATE", te.ID)
	if err != nil {
		log.Print(err)
		outputErrorMsg(w, http.StatusNotFound, "shippings not found")
		t.tx.Rollback()
		return nil, false
	}
	return t, true
}

// startTrade reads a trade step's request and checks that the session's
// user is the seller (ship, ship_done) or the buyer (complete) of the item.
func startTrade(w http.ResponseWriter, r *http.Request, asSeller bool) (te TransactionEvidence, itemID int64, ok bool) {
	req := reqPostShip{}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		outputErrorMsg(w, http.StatusBadRequest, "json decode error")
		return te, 0, false
	}
	if req.CSRFToken != getCSRFToken(r) {
		outputErrorMsg(w, http.StatusUnprocessableEntity, "csrf token error")
		return te, 0, false
	}

	user, errCode, errMsg := getUser(r)
	if errMsg != "" {
		outputErrorMsg(w, errCode, errMsg)
		return te, 0, false
	}

	err := dbx.Get(&te, "SELECT * FROM `transaction_evidences` WHERE `item_id` = ?", req.ItemID)
	if err != nil {
		outputErrorMsg(w, http.StatusNotFound, "transaction_evidences not found")
		return te, 0, false
	}
	if (asSeller && te.SellerID != user.ID) || (!asSeller && te.BuyerID != user.ID) {
		outputErrorMsg(w, http.StatusForbidden, "権限がありません")
		return te, 0, false
	}
	return te, req.ItemID, true
}

func postShip(w http.ResponseWriter, r *http.Request) {
	transactionEvidence, itemID, ok := startTrade(w, r, true)
	if !ok {
		return
	}
	t, ok := lockTrade(w, itemID, &transactionEvidence)
	if !ok {
		return
	}
	if transactionEvidence.Status != TransactionEvidenceStatusWaitShipping {
		outputErrorMsg(w, http.StatusForbidden, "準備ができていません")
		t.tx.Rollback()
		return
	}

	img, err := APIShipmentRequest(getShipmentServiceURL(), &APIShipmentRequestReq{
		ReserveID: t.shipping.ReserveID,
	})
	if err != nil {
		log.Print(err)
		outputErrorMsg(w, http.StatusInternalServerError, "failed to request to shipment service")
		t.tx.Rollback()
		return
	}

	_, err = t.tx.Exec("UPDATE `shippings` SET `status` = ?, `img_binary` = ?, `updated_at` = ? WHERE `transaction_evidence_id` = ?",
		ShippingsStatusWaitPickup,
		img,
		time.Now(),
		transactionEvidence.ID,
	)
	if err != nil {
		dbError(w, err)
		t.tx.Rollback()
		return
	}
	t.tx.Commit()

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(resPostShip{
		Path:      fmt.Sprintf("/transactions/%d.png", transactionEvidence.ID),
		ReserveID: t.shipping.ReserveID,
	})
}

func postShipDone(w http.ResponseWriter, r *http.Request) {
	transactionEvidence, itemID, ok := startTrade(w, r, true)
	if !ok {
		return
	}
	t, ok := lockTrade(w, itemID, &transactionEvidence)
	if !ok {
		return
	}
	if transactionEvidence.Status != TransactionEvidenceStatusWaitShipping {
		outputErrorMsg(w, http.StatusForbidden, "準備ができていません")
		t.tx.Rollback()
		return
	}

	ssr, err := APIShipmentStatus(getShipmentServiceURL(), &APIShipmentStatusReq{
		ReserveID: t.shipping.ReserveID,
	})
	if err != nil || !(ssr.Status == ShippingsStatusShipping || ssr.Status == ShippingsStatusDone) {
		outputErrorMsg(w, http.StatusForbidden, "shipment service側で配送中か配送完了になっていません")
		t.tx.Rollback()
		return
	}

	now := time.Now()
	_, err = t.tx.Exec("UPDATE `shippings` SET `status` = ?, `updated_at` = ? WHERE `transaction_evidence_id` = ?", ssr.Status, now, transactionEvidence.ID)
	if err != nil {
		dbError(w, err)
		t.tx.Rollback()
		return
	}
	_, err = t.tx.Exec("UPDATE `transaction_evidences` SET `status` = ?, `updated_at` = ? WHERE `id` = ?", TransactionEvidenceStatusWaitDone, now, transactionEvidence.ID)
	if err != nil {
		dbError(w, err)
		t.tx.Rollback()
		return
	}
	t.tx.Commit()

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(resBuy{TransactionEvidenceID: transactionEvidence.ID})
}

func postComplete(w http.ResponseWriter, r *http.Request) {
	transactionEvidence, itemID, ok := startTrade(w, r, false)
	if !ok {
		return
	}
	t, ok := lockTrade(w, itemID, &transactionEvidence)
	if !ok {
		return
	}
	if transactionEvidence.Status != TransactionEvidenceStatusWaitDone {
		outputErrorMsg(w, http.StatusForbidden, "準備ができていません")
		t.tx.Rollback()
		return
	}

	ssr, err := APIShipmentStatus(getShipmentServiceURL(), &APIShipmentStatusReq{
		ReserveID: t.shipping.ReserveID,
	})
	if err != nil || ssr.Status != ShippingsStatusDone {
		outputErrorMsg(w, http.StatusBadRequest, "shipment service側で配送完了になっていません")
		t.tx.Rollback()
		return
	}

	now := time.Now()
	// the three rows are already locked: move them all to their last state
	if _, err := t.tx.Exec("UPDATE `shippings` SET `status` = ?, `updated_at` = ? WHERE `transaction_evidence_id` = ?", ShippingsStatusDone, now, transactionEvidence.ID); err != nil {
		dbError(w, err)
		t.tx.Rollback()
		return
	}
	if _, err := t.tx.Exec("UPDATE `transaction_evidences` SET `status` = ?, `updated_at` = ? WHERE `id` = ?", TransactionEvidenceStatusDone, now, transactionEvidence.ID); err != nil {
		dbError(w, err)
		t.tx.Rollback()
		return
	}
	if _, err := t.tx.Exec("UPDATE `items` SET `status` = ?, `updated_at` = ? WHERE `id` = ?", ItemStatusSoldOut, now, itemID); err != nil {
		dbError(w, err)
		t.tx.Rollback()
		return
	}
	t.tx.Commit()

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(resBuy{TransactionEvidenceID: transactionEvidence.ID})
}

func getQRCode(w http.ResponseWriter, r *http.Request) {
	transactionEvidenceID, err := strconv.ParseInt(pat.Param(r, "transaction_evidence_id"), 10, 64)
	if err != nil || transactionEvidenceID <= 0 {
		outputErrorMsg(w, http.StatusBadRequest, "incorrect transaction_evidence id")
		return
	}

	seller, errCode, errMsg := getUser(r)
	if errMsg != "" {
		outputErrorMsg(w, errCode, errMsg)
		return
	}

	transactionEvidence := TransactionEvidence{}
	err = dbx.Get(&transactionEvidence, "SELECT * FROM `transaction_evidences` WHERE `id` = ?", transactionEvidenceID)
	if err != nil {
		outputErrorMsg(w, http.StatusNotFound, "transaction_evidences not found")
		return
	}
	if transactionEvidence.SellerID != seller.ID {
		outputErrorMsg(w, http.StatusForbidden, "権限がありません")
		return
	}

	shipping := Shipping{}
	err = dbx.Get(&shipping, "SELECT * FROM `shippings` WHERE `transaction_evidence_id` = ?", transactionEvidence.ID)
	if err != nil {
		outputErrorMsg(w, http.StatusNotFound, "shippings not found")
		return
	}
	if shipping.Status != ShippingsStatusWaitPickup && shipping.Status != ShippingsStatusShipping {
		outputErrorMsg(w, http.StatusForbidden, "qrcode not available")
		return
	}

	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("ETag", fmt.Sprintf("%x", sha256.Sum256(shipping.ImgBinary)))
	w.Write(shipping.ImgBinary)
}

func postLogin(w http.ResponseWriter, r *http.Request) {
	rl := reqLogin{}
	if err := json.NewDecoder(r.Body).Decode(&rl); err != nil {
		outputErrorMsg(w, http.StatusBadRequest, "json decode error")
		return
	}
	if rl.AccountName == "" || rl.Password == "" {
		outputErrorMsg(w, http.StatusBadRequest, "all parameters are required")
		return
	}

	u := User{}
	err := dbx.Get(&u, "SELECT * FROM `users` WHERE `account_name` = ?", rl.AccountName)
	if err == sql.ErrNoRows {
		outputErrorMsg(w, http.StatusUnauthorized, "アカウント名かパスワードが間違えています")
		return
	}
	if err != nil {
		dbError(w, err)
		return
	}
	if err := bcrypt.CompareHashAndPassword(u.HashedPassword, []byte(rl.Password)); err != nil {
		outputErrorMsg(w, http.StatusUnauthorized, "アカウント名かパスワードが間違えています")
		return
	}

	session := getSession(r)
	session.Values["user_id"] = u.ID
	session.Values["csrf_token"] = secureRandomStr(20)
	if err := session.Save(r, w); err != nil {
		log.Print(err)
		outputErrorMsg(w, http.StatusInternalServerError, "session error")
		return
	}

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(u)
}

func postRegister(w http.ResponseWriter, r *http.Request) {
	rr := reqRegister{}
	if err := json.NewDecoder(r.Body).Decode(&rr); err != nil {
		outputErrorMsg(w, http.StatusBadRequest, "json decode error")
		return
	}
	if rr.AccountName == "" || rr.Password == "" || rr.Address == "" {
		outputErrorMsg(w, http.StatusBadRequest, "all parameters are required")
		return
	}

	hashedPassword, err := bcrypt.GenerateFromPassword([]byte(rr.Password), BcryptCost)
	if err != nil {
		log.Print(err)
		outputErrorMsg(w, http.StatusInternalServerError, "error")
		return
	}

	result, err := dbx.Exec("INSERT INTO `users` (`account_name`, `hashed_password`, `address`) VALUES (?, ?, ?)",
		rr.AccountName,
		hashedPassword,
		rr.Address,
	)
	if err != nil {
		dbError(w, err)
		return
	}
	userID, err := result.LastInsertId()
	if err != nil {
		dbError(w, err)
		return
	}

	u := User{ID: userID, AccountName: rr.AccountName, Address: rr.Address}

	session := getSession(r)
	session.Values["user_id"] = u.ID
	session.Values["csrf_token"] = secureRandomStr(20)
	if err := session.Save(r, w); err != nil {
		log.Print(err)
		outputErrorMsg(w, http.StatusInternalServerError, "session error")
		return
	}

	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	json.NewEncoder(w).Encode(u)
}
