// Package payment talks to the payment gateway. It reads what it needs from
// the database through whatever handle the caller passes (usually the
// caller's transaction).
package payment

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/jmoiron/sqlx"
)

// ErrNoPaymentToken means the rider has not registered a payment method.
var ErrNoPaymentToken = errors.New("payment token not registered")

const maxAttempts = 5

var client = &http.Client{Timeout: 5 * time.Second}

type chargeRequest struct {
	Amount int `json:"amount"`
}

// Charge posts a charge of amount for userID. The idempotency key is the
// number of rides the user has completed, so a retried request is not
// charged twice.
func Charge(ctx context.Context, q sqlx.QueryerContext, gatewayURL, userID string, amount int) error {
	var token string
	if err := sqlx.GetContext(ctx, q, &token, "SELECT token FROM payment_tokens WHERE user_id = ?", userID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoPaymentToken
		}
		return err
	}

	var completed int
	if err := q.QueryRowxContext(ctx, "SELECT COUNT(*) FROM rides WHERE user_id = ? AND evaluation IS NOT NULL", userID).Scan(&completed); err != nil {
		return err
	}

	body, err := json.Marshal(chargeRequest{Amount: amount})
	if err != nil {
		return err
	}
	idempotencyKey := fmt.Sprintf("%s-%d", userID, completed)

	// Retries call the gateway only; no SQL inside this loop.
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		lastErr = post(ctx, gatewayURL+"/payments", token, idempotencyKey, body)
		if lastErr == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 50 * time.Millisecond):
		}
	}
	return fmt.Errorf("payment gateway: %w", lastErr)
}

func post(ctx context.Context, url, token, key string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		return fmt.Errorf("unexpected status %d", res.StatusCode)
	}
	return nil
}
