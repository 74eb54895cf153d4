package main

import (
	"context"
	"database/sql"

	datamigrations "jobsvc/migrations"
)

// migration is one schema change, applied once.
type migration struct {
	version int
	up      string
}

var migrations = []migration{
	{1, "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)"},
	{2, "CREATE TABLE IF NOT EXISTS jobs (id INTEGER PRIMARY KEY, status TEXT NOT NULL, created_at INTEGER NOT NULL)"},
	{3, "CREATE TABLE IF NOT EXISTS job_items (job_id INTEGER NOT NULL, product_id INTEGER NOT NULL, PRIMARY KEY (job_id, product_id))"},
	{4, "CREATE INDEX IF NOT EXISTS idx_sessions_expires_at ON sessions (expires_at)"},
	{5, "ALTER TABLE categories ADD COLUMN product_count INTEGER NOT NULL DEFAULT 0"},
	{6, "CREATE TABLE IF NOT EXISTS stats (name TEXT PRIMARY KEY, value INTEGER NOT NULL)"},
}

// migrate applies the migrations not applied yet, in order: start-up code,
// one statement per migration and once per process, never an N+1.
func migrate(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, m := range migrations {
		var done int
		err := tx.QueryRow("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&done)
		if err != nil {
			return err
		}
		if done > 0 {
			continue
		}
		if _, err := tx.Exec(m.up); err != nil {
			return err
		}
		if _, err := tx.Exec("INSERT INTO schema_migrations (version) VALUES (?)", m.version); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// applyDataMigrations runs the Go data migrations in one transaction.
func applyDataMigrations(db *sql.DB) error {
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := datamigrations.TrimCategoryNames(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}
