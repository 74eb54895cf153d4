package main

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// querier is what the read helpers need; *sqlx.DB and *sqlx.Tx both satisfy it.
type querier interface {
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

var (
	_ querier = (*sqlx.DB)(nil)
	_ querier = (*sqlx.Tx)(nil)
)

const chairColumns = "id, owner_id, name, model, is_active, access_token, created_at, updated_at"

// ChairRepository is the owner console's view of chairs.
type ChairRepository interface {
	FindChair(ctx context.Context, id string) (*Chair, error)
	ListByOwner(ctx context.Context, ownerID string) ([]Chair, error)
}

type sqlChairRepository struct {
	db *sqlx.DB
}

func newChairRepository(db *sqlx.DB) ChairRepository {
	return &sqlChairRepository{db: db}
}

func (r *sqlChairRepository) FindChair(ctx context.Context, id string) (*Chair, error) {
	chair := &Chair{}
	// Called once per id from ownerHandler.compareChairs: n+1 through the interface.
	if err := r.db.GetContext(ctx, chair, "SELECT "+chairColumns+" FROM chairs WHERE id = ?", id); err != nil { // want "n+1: SELECT chairs"
		return nil, err
	}
	return chair, nil
}

func (r *sqlChairRepository) ListByOwner(ctx context.Context, ownerID string) ([]Chair, error) {
	chairs := []Chair{}
	err := r.db.SelectContext(ctx, &chairs, "SELECT "+chairColumns+" FROM chairs WHERE owner_id = ? ORDER BY created_at", ownerID)
	return chairs, err
}
