package main

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// purgeProducts deletes products in chunks of 100: each round of the loop
// deletes a batch, it is not an N+1.
func (s *server) purgeProducts(w http.ResponseWriter, r *http.Request) {
	var ids []any
	for _, f := range strings.Split(r.URL.Query().Get("ids"), ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	for _, chunk := range chunkArgs(ids, 100) {
		q := "DELETE FROM products WHERE id IN (?" + strings.Repeat(",?", len(chunk)-1) + ")"
		if _, err := s.db.ExecContext(r.Context(), q, chunk...); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
	}
}

// chunkArgs splits args into slices of at most n.
func chunkArgs(args []any, n int) [][]any {
	var out [][]any
	for len(args) > n {
		out = append(out, args[:n])
		args = args[n:]
	}
	return append(out, args)
}

// enricher adds one kind of detail to a product.
type enricher interface {
	enrich(ctx context.Context, p *product) error
}

type categoryEnricher struct{ db *sql.DB }

func (e categoryEnricher) enrich(ctx context.Context, p *product) error {
	return e.db.QueryRowContext(ctx, "SELECT name FROM categories WHERE id = ?", p.CategoryID).Scan(&p.Category)
}

type nameEnricher struct{ db *sql.DB }

func (e nameEnricher) enrich(ctx context.Context, p *product) error {
	return e.db.QueryRowContext(ctx, "SELECT name FROM products WHERE id = ?", p.ID).Scan(&p.Name)
}

// productDetails runs each enricher once: the loop goes over different
// kinds of detail, not over elements, so no query repeats in it.
func (s *server) productDetails(w http.ResponseWriter, r *http.Request) {
	p := &product{}
	p.ID, _ = strconv.ParseInt(r.PathValue("id"), 10, 64)
	enrichers := []enricher{nameEnricher{s.db}, categoryEnricher{s.db}}
	for _, e := range enrichers {
		if err := e.enrich(r.Context(), p); err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
	}
	writeJSON(w, p, nil)
}

// counter counts rows; countingCounter logs and delegates to the counter
// it wraps: its call of count is not a recursion.
type counter interface {
	count(ctx context.Context) (int, error)
}

type jobCounter struct{ db *sql.DB }

func (c jobCounter) count(ctx context.Context) (n int, err error) {
	err = c.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM jobs").Scan(&n)
	return n, err
}

type countingCounter struct {
	next  counter
	calls atomic.Int64
}

func (c *countingCounter) count(ctx context.Context) (int, error) {
	c.calls.Add(1)
	return c.next.count(ctx)
}

func (s *server) jobCount(w http.ResponseWriter, r *http.Request) {
	var c counter = &countingCounter{next: jobCounter{s.db}}
	n, err := c.count(r.Context())
	writeJSON(w, n, err)
}

// poller refreshes the stats until it is stopped: once per round, not
// once per element.
type poller struct {
	db      *sql.DB
	stopped atomic.Bool
}

func (p *poller) run(ctx context.Context) {
	for !p.stopped.Load() {
		if _, err := p.db.ExecContext(ctx, "INSERT OR REPLACE INTO stats (name, value) SELECT 'products', COUNT(*) FROM products"); err != nil {
			return
		}
		time.Sleep(time.Minute)
	}
}
