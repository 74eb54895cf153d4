package main

import (
	"context"

	memov1 "memorpc/gen/memo/v1"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// memoServer serves MemoService over gRPC (and behind the gateway).
type memoServer struct {
	memov1.UnimplementedMemoServiceServer
	store *Store
}

func (m *memoServer) ListMemos(ctx context.Context, _ *emptypb.Empty) (*structpb.ListValue, error) {
	memos, err := m.store.listMemos(ctx)
	if err != nil {
		return nil, err
	}
	var out []any
	for _, x := range memos {
		out = append(out, x.Body)
	}
	return structpb.NewList(out)
}

func (m *memoServer) GetMemo(ctx context.Context, in *wrapperspb.Int64Value) (*structpb.Struct, error) {
	x, _, err := m.store.getMemo(ctx, in.GetValue())
	if err != nil {
		return nil, err
	}
	return structpb.NewStruct(map[string]any{"body": x.Body})
}

func (m *memoServer) CreateMemo(ctx context.Context, in *structpb.Struct) (*wrapperspb.Int64Value, error) {
	id, err := m.store.createMemo(ctx, in.GetFields()["body"].GetStringValue())
	return wrapperspb.Int64(id), err
}

func (m *memoServer) DeleteMemo(ctx context.Context, in *wrapperspb.Int64Value) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, m.store.deleteMemo(ctx, in.GetValue())
}

func (m *memoServer) WatchMemos(_ *emptypb.Empty, stream grpc.ServerStreamingServer[structpb.Struct]) error {
	memos, err := m.store.listMemos(stream.Context())
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

// tagServer serves TagService, only through the gateway, in process.
type tagServer struct {
	memov1.UnimplementedTagServiceServer
	store *Store
}

func (t *tagServer) ListTags(ctx context.Context, _ *emptypb.Empty) (*structpb.ListValue, error) {
	tags, err := t.store.listTags(ctx)
	if err != nil {
		return nil, err
	}
	var out []any
	for _, x := range tags {
		out = append(out, x)
	}
	return structpb.NewList(out)
}

func (t *tagServer) AddTag(ctx context.Context, in *structpb.Struct) (*emptypb.Empty, error) {
	f := in.GetFields()
	return &emptypb.Empty{}, t.store.addTag(ctx, int64(f["memo_id"].GetNumberValue()), f["name"].GetStringValue())
}
