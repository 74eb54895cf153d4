package main

import (
	"context"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// connectMemos serves MemoService over the Connect protocol.
type connectMemos struct {
	store *Store
}

func (c *connectMemos) ListMemos(ctx context.Context, _ *connect.Request[emptypb.Empty]) (*connect.Response[structpb.ListValue], error) {
	memos, err := c.store.listMemos(ctx)
	if err != nil {
		return nil, err
	}
	var out []any
	for _, x := range memos {
		out = append(out, x.Body)
	}
	l, err := structpb.NewList(out)
	return connect.NewResponse(l), err
}

func (c *connectMemos) GetMemo(ctx context.Context, req *connect.Request[wrapperspb.Int64Value]) (*connect.Response[structpb.Struct], error) {
	x, tags, err := c.store.getMemo(ctx, req.Msg.GetValue())
	if err != nil {
		return nil, connect.NewError(connect.CodeNotFound, err)
	}
	s, err := structpb.NewStruct(map[string]any{"body": x.Body, "tags": len(tags)})
	return connect.NewResponse(s), err
}

func (c *connectMemos) CreateMemo(ctx context.Context, req *connect.Request[structpb.Struct]) (*connect.Response[wrapperspb.Int64Value], error) {
	id, err := c.store.createMemo(ctx, req.Msg.GetFields()["body"].GetStringValue())
	return connect.NewResponse(wrapperspb.Int64(id)), err
}

func (c *connectMemos) DeleteMemo(ctx context.Context, req *connect.Request[wrapperspb.Int64Value]) (*connect.Response[emptypb.Empty], error) {
	return connect.NewResponse(&emptypb.Empty{}), c.store.deleteMemo(ctx, req.Msg.GetValue())
}

func (c *connectMemos) WatchMemos(ctx context.Context, _ *connect.Request[emptypb.Empty], stream *connect.ServerStream[structpb.Struct]) error {
	memos, err := c.store.listMemos(ctx)
	if err != nil {
		return err
	}
	for _, x := range memos {
		s, _ := structpb.NewStruct(map[string]any{"body": x.Body})
		if err := stream.Send(s); err != nil {
			return err
		}
	}
	return nil
}
