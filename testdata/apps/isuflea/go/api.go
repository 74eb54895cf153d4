package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// The payment and shipment services are other processes: every call here
// is HTTP, none of it touches the database.

const userAgent = "isucon9-qualify-webapp"

var apiClient = &http.Client{Timeout: 5 * time.Second}

type APIPaymentServiceTokenReq struct {
	ShopID string `json:"shop_id"`
	Token  string `json:"token"`
	APIKey string `json:"api_key"`
	Price  int    `json:"price"`
}

type APIPaymentServiceTokenRes struct {
	Status string `json:"status"`
}

type APIShipmentCreateReq struct {
	ToAddress   string `json:"to_address"`
	ToName      string `json:"to_name"`
	FromAddress string `json:"from_address"`
	FromName    string `json:"from_name"`
}

type APIShipmentCreateRes struct {
	ReserveID   string `json:"reserve_id"`
	ReserveTime int64  `json:"reserve_time"`
}

type APIShipmentRequestReq struct {
	ReserveID string `json:"reserve_id"`
}

type APIShipmentStatusRes struct {
	Status      string `json:"status"`
	ReserveTime int64  `json:"reserve_time"`
}

type APIShipmentStatusReq struct {
	ReserveID string `json:"reserve_id"`
}

// callAPI posts body as JSON and returns the response body of a 200.
func callAPI(url string, body any, auth bool) ([]byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewBuffer(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Content-Type", "application/json")
	if auth {
		req.Header.Set("Authorization", "Bearer "+PaymentServiceIsufleaAPIKey)
	}
	res, err := apiClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err == nil && res.StatusCode != http.StatusOK {
		err = fmt.Errorf("status code: %d; body: %s", res.StatusCode, out)
	}
	return out, err
}

func APIPaymentToken(paymentURL string, param *APIPaymentServiceTokenReq) (*APIPaymentServiceTokenRes, error) {
	pstr := &APIPaymentServiceTokenRes{}
	b, err := callAPI(paymentURL+"/token", param, false)
	if err != nil {
		return nil, err
	}
	return pstr, json.Unmarshal(b, pstr)
}

func APIShipmentCreate(shipmentURL string, param *APIShipmentCreateReq) (*APIShipmentCreateRes, error) {
	scr := &APIShipmentCreateRes{}
	b, err := callAPI(shipmentURL+"/create", param, true)
	if err != nil {
		return nil, err
	}
	return scr, json.Unmarshal(b, scr)
}

func APIShipmentRequest(shipmentURL string, param *APIShipmentRequestReq) ([]byte, error) {
	return callAPI(shipmentURL+"/request", param, true)
}

func APIShipmentStatus(shipmentURL string, param *APIShipmentStatusReq) (*APIShipmentStatusRes, error) {
	ssr := &APIShipmentStatusRes{}
	b, err := callAPI(shipmentURL+"/status", param, true)
	if err != nil {
		return nil, err
	}
	return ssr, json.Unmarshal(b, ssr)
}
