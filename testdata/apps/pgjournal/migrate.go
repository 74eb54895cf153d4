package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// migrations create and grow the schema, in the order they run. Later
// steps add columns and indexes to the tables of earlier ones: the
// partial index on live entries, the expression index on lower(email).
// They are the app's schema: crudmap reads them instead of .sql files,
// and does not report them as queries.
var migrations = []string{
	`CREATE TABLE IF NOT EXISTS users (
		id         BIGSERIAL PRIMARY KEY,
		email      TEXT NOT NULL,
		name       TEXT NOT NULL,
		created_at TIMESTAMPTZ NOT NULL DEFAULT now()
	)`,
	`CREATE TABLE IF NOT EXISTS entries (
		id         BIGSERIAL PRIMARY KEY,
		user_id    BIGINT NOT NULL REFERENCES users (id),
		title      TEXT NOT NULL,
		body       TEXT NOT NULL DEFAULT '',
		tags       TEXT[] NOT NULL DEFAULT '{}',
		created_at TIMESTAMPTZ NOT NULL DEFAULT now()
	)`,
	`CREATE INDEX IF NOT EXISTS entries_user_created ON entries (user_id, created_at DESC)`,
	`CREATE TABLE IF NOT EXISTS tombstones (
		entry_id   BIGINT PRIMARY KEY,
		user_id    BIGINT NOT NULL,
		deleted_at TIMESTAMPTZ NOT NULL DEFAULT now()
	)`,
	`CREATE TABLE IF NOT EXISTS entry_stats (
		entry_id BIGINT PRIMARY KEY REFERENCES entries (id),
		views    BIGINT NOT NULL DEFAULT 0
	)`,
	`CREATE TABLE IF NOT EXISTS tags (
		name TEXT PRIMARY KEY,
		uses BIGINT NOT NULL DEFAULT 0
	)`,
	`CREATE TABLE IF NOT EXISTS jobs (
		id      BIGSERIAL PRIMARY KEY,
		kind    TEXT NOT NULL,
		payload JSONB NOT NULL,
		status  TEXT NOT NULL DEFAULT 'queued',
		run_at  TIMESTAMPTZ NOT NULL DEFAULT now()
	)`,
	// v2: soft deletion and archiving.
	`ALTER TABLE entries ADD COLUMN IF NOT EXISTS deleted_at TIMESTAMPTZ`,
	`ALTER TABLE entries ADD COLUMN IF NOT EXISTS archived BOOLEAN NOT NULL DEFAULT false`,
	`CREATE INDEX IF NOT EXISTS entries_live ON entries USING btree (user_id, created_at) WHERE deleted_at IS NULL`,
	`CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower ON users (lower(email))`,
	`CREATE INDEX IF NOT EXISTS jobs_queued ON jobs (status, run_at)`,
}

// migrate applies the migrations at start-up, each in its own statement.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	for i, m := range migrations {
		if _, err := pool.Exec(ctx, m); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	return nil
}
