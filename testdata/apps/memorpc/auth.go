package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/http"

	"connectrpc.com/connect"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// keyInterceptor checks the API key of every Connect call: unary calls
// also record when the key was last used, streams only read it.
type keyInterceptor struct {
	db *sql.DB
}

func (k *keyInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		id, err := k.keyID(ctx, req.Header().Get("X-API-Key"))
		if err != nil {
			return nil, connect.NewError(connect.CodeUnauthenticated, err)
		}
		k.db.ExecContext(ctx, "UPDATE api_keys SET last_used_at = now() WHERE id = $1", id)
		return next(ctx, req)
	}
}

func (k *keyInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (k *keyInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		if _, err := k.keyID(ctx, conn.RequestHeader().Get("X-API-Key")); err != nil {
			return connect.NewError(connect.CodeUnauthenticated, err)
		}
		return next(ctx, conn)
	}
}

func (k *keyInterceptor) keyID(ctx context.Context, key string) (int64, error) {
	sum := sha256.Sum256([]byte(key))
	var id int64
	err := k.db.QueryRowContext(ctx, "SELECT id FROM api_keys WHERE key_hash = $1", hex.EncodeToString(sum[:])).Scan(&id)
	return id, err
}

// logCalls records every unary Connect call; a UnaryInterceptorFunc does
// not wrap streams.
func logCalls(db *sql.DB) connect.UnaryInterceptorFunc {
	return func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			db.ExecContext(ctx, "INSERT INTO request_log (rpc) VALUES ($1)", req.Spec().Procedure)
			return next(ctx, req)
		}
	}
}

// sessionUnary checks the session token of a unary gRPC call and
// refreshes it.
func sessionUnary(db *sql.DB) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		token := tokenOf(ctx)
		var user int64
		if err := db.QueryRowContext(ctx, "SELECT user_id FROM sessions WHERE token = $1", token).Scan(&user); err != nil {
			return nil, err
		}
		db.ExecContext(ctx, "UPDATE sessions SET seen_at = now() WHERE token = $1", token)
		return handler(ctx, req)
	}
}

// sessionStream checks the session token of a streaming gRPC call.
func sessionStream(db *sql.DB) grpc.StreamServerInterceptor {
	return func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		var user int64
		if err := db.QueryRowContext(ss.Context(), "SELECT user_id FROM sessions WHERE token = $1", tokenOf(ss.Context())).Scan(&user); err != nil {
			return err
		}
		return handler(srv, ss)
	}
}

func tokenOf(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get("authorization"); len(v) > 0 {
		return v[0]
	}
	return ""
}

// logRequest is a plain gRPC unary interceptor that runs no SQL.
func logRequest(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if info.FullMethod == "" {
		return nil, errors.New("no method")
	}
	return handler(ctx, req)
}

// audit records every request to the REST gateway.
func audit(db *sql.DB, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		db.ExecContext(r.Context(), "INSERT INTO audit_log (method, path) VALUES ($1, $2)", r.Method, r.URL.Path)
		next.ServeHTTP(w, r)
	})
}

// gatewayKey checks the API key of every REST call, before the gateway
// calls the service.
func gatewayKey(db *sql.DB) runtime.Middleware {
	return func(next runtime.HandlerFunc) runtime.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request, pathParams map[string]string) {
			sum := sha256.Sum256([]byte(r.Header.Get("X-API-Key")))
			var id int64
			if err := db.QueryRowContext(r.Context(), "SELECT id FROM api_keys WHERE key_hash = $1", hex.EncodeToString(sum[:])).Scan(&id); err != nil {
				http.Error(w, "bad key", http.StatusUnauthorized)
				return
			}
			next(w, r, pathParams)
		}
	}
}
