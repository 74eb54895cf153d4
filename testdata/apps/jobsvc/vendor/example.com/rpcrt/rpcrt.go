// Package rpcrt is a stand-in for an RPC runtime such as connect-go: it
// wraps a unary method in an http.Handler. It is a library to crudmap (a
// vendored module), so crudmap sees the method passed to NewUnaryHandler
// as called there, the way it sees connect.NewUnaryHandler's.
package rpcrt

import (
	"context"
	"encoding/json"
	"net/http"
)

// Request wraps a request message.
type Request[T any] struct{ Msg *T }

// Response wraps a response message.
type Response[T any] struct{ Msg *T }

// HandlerOption configures a Handler.
type HandlerOption interface{ apply(*Handler) }

// Handler serves one procedure.
type Handler struct {
	procedure string
	serve     func(http.ResponseWriter, *http.Request)
}

// Procedure is the path the handler serves.
func (h *Handler) Procedure() string { return h.procedure }

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.serve(w, r) }

// NewUnaryHandler serves procedure with unary.
func NewUnaryHandler[Req, Res any](procedure string, unary func(context.Context, *Request[Req]) (*Response[Res], error), opts ...HandlerOption) *Handler {
	h := &Handler{procedure: procedure}
	h.serve = func(w http.ResponseWriter, r *http.Request) {
		var req Req
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		res, err := unary(r.Context(), &Request[Req]{Msg: &req})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		json.NewEncoder(w).Encode(res.Msg)
	}
	for _, o := range opts {
		o.apply(h)
	}
	return h
}
