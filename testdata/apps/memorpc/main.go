// Command memorpc serves one memo service three ways, a crudmap sample
// app: plain gRPC with session interceptors, the Connect protocol with an
// API-key interceptor on a net/http mux, and a REST gateway
// (grpc-gateway) behind an audit middleware, beside plain HTTP routes.
package main

import (
	"context"
	"database/sql"
	"log"
	"net"
	"net/http"
	"os"

	memov1 "memorpc/gen/memo/v1"
	"memorpc/gen/memo/v1/memov1connect"

	"connectrpc.com/connect"
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	_ "github.com/lib/pq"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

func main() {
	db, err := sql.Open("postgres", os.Getenv("MEMO_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	store := &Store{db: db}

	// gRPC: every method runs the session check first (unary methods
	// refresh the session, the stream only reads it).
	gs := grpc.NewServer(
		grpc.ChainUnaryInterceptor(logRequest, sessionUnary(db)),
		grpc.StreamInterceptor(sessionStream(db)),
	)
	memov1.RegisterMemoServiceServer(gs, &memoServer{store: store}) // want "route: gRPC /memo.v1.MemoService/CreateMemo memos:C sessions:RU" "route: gRPC /memo.v1.MemoService/DeleteMemo memos:D sessions:RU tags:D" "route: gRPC /memo.v1.MemoService/GetMemo memos:R sessions:RU tags:R" "route: gRPC /memo.v1.MemoService/ListMemos memos:R sessions:RU" "route: gRPC /memo.v1.MemoService/WatchMemos memos:R sessions:R"
	lis, err := net.Listen("tcp", ":9090")
	if err != nil {
		log.Fatal(err)
	}
	go gs.Serve(lis)

	mux := http.NewServeMux()
	// Connect: unary calls check and touch the API key and are logged;
	// the stream only checks the key.
	path, handler := memov1connect.NewMemoServiceHandler(&connectMemos{store: store},
		connect.WithInterceptors(&keyInterceptor{db: db}),
		connect.WithHandlerOptions(connect.WithInterceptors(logCalls(db))))
	mux.Handle(path, handler) // want "route: POST /memo.v1.MemoService/CreateMemo api_keys:RU memos:C request_log:C" "route: POST /memo.v1.MemoService/DeleteMemo api_keys:RU memos:D request_log:C tags:D" "route: POST /memo.v1.MemoService/GetMemo api_keys:RU memos:R request_log:C tags:R" "route: POST /memo.v1.MemoService/ListMemos api_keys:RU memos:R request_log:C" "route: POST /memo.v1.MemoService/WatchMemos api_keys:R memos:R"

	// The REST gateway: MemoService through the gRPC server above (its
	// interceptors run), TagService in process (no interceptor runs);
	// both behind the gateway's API-key middleware and, around the
	// gateway mux, the audit middleware.
	ctx := context.Background()
	gw := runtime.NewServeMux(runtime.WithMiddlewares(gatewayKey(db)))
	opts := []grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}
	if err := memov1.RegisterMemoServiceHandlerFromEndpoint(ctx, gw, "localhost:9090", opts); err != nil { // want "route: GET /api/v1/memos api_keys:R audit_log:C memos:R sessions:RU" "route: POST /api/v1/memos api_keys:R audit_log:C memos:C sessions:RU" "route: GET /api/v1/memos/{value} api_keys:R audit_log:C memos:R sessions:RU tags:R" "route: DELETE /api/v1/memos/{value} api_keys:R audit_log:C memos:D sessions:RU tags:D"
		log.Fatal(err)
	}
	if err := memov1.RegisterTagServiceHandlerServer(ctx, gw, &tagServer{store: store}); err != nil { // want "route: GET /api/v1/tags api_keys:R audit_log:C tags:R" "route: POST /api/v1/tags api_keys:R audit_log:C tags:C"
		log.Fatal(err)
	}
	mux.Handle("/api/", audit(db, gw))

	mux.HandleFunc("GET /export.csv", store.exportCSV)                            // want "route: GET /export.csv memos:R"
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { // want "route: GET /healthz"
		w.Write([]byte("ok"))
	})
	log.Fatal(http.ListenAndServe(":8080", mux))
}
