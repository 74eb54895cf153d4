package main

import (
	"context"
	"database/sql"

	"example.com/rpcrt"
	"jobsvc/gen/catalogv1connect"
)

// catalogService implements the generated CatalogServiceHandler. The
// generated NewCatalogServiceHandler binds its methods in a loop that
// runs once at start-up: that loop repeats nothing.
type catalogService struct {
	db *sql.DB
}

func (c *catalogService) GetCategory(ctx context.Context, req *rpcrt.Request[catalogv1connect.GetCategoryRequest]) (*rpcrt.Response[catalogv1connect.Category], error) {
	cat := &catalogv1connect.Category{Id: req.Msg.Id}
	err := c.db.QueryRowContext(ctx, "SELECT name FROM categories WHERE id = ?", req.Msg.Id).Scan(&cat.Name)
	return &rpcrt.Response[catalogv1connect.Category]{Msg: cat}, err
}

// ListProducts names each product's category with a query per product: an
// N+1 inside the RPC method, at its own loop (crudmap lists no HTTP route
// for an RPC, so it is off the request path it knows).
func (c *catalogService) ListProducts(ctx context.Context, req *rpcrt.Request[catalogv1connect.ListProductsRequest]) (*rpcrt.Response[catalogv1connect.ListProductsResponse], error) {
	rows, err := c.db.QueryContext(ctx, "SELECT id, name FROM products WHERE category_id = ?", req.Msg.CategoryId)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &catalogv1connect.ListProductsResponse{}
	for rows.Next() {
		p := &catalogv1connect.Product{}
		if err := rows.Scan(&p.Id, &p.Name); err != nil {
			return nil, err
		}
		if err := c.db.QueryRowContext(ctx, "SELECT name FROM categories WHERE id = ?", req.Msg.CategoryId).Scan(&p.Category); err != nil { // want "n+1: SELECT categories runs once per iteration of the loop at rpc.go:34:2 (off the request path)"
			return nil, err
		}
		res.Products = append(res.Products, p)
	}
	return &rpcrt.Response[catalogv1connect.ListProductsResponse]{Msg: res}, rows.Err()
}
