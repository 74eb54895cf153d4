// Package lists builds its SQL with squirrel.
package lists

import (
	"context"
	"database/sql"

	sq "github.com/Masterminds/squirrel"
)

// List is a mailing list.
type List struct {
	ID          int64
	Name        string
	Subscribers int64
}

// Store runs the list queries.
type Store struct {
	db *sql.DB
	sb sq.StatementBuilderType
}

// New returns a store whose builders use Postgres placeholders.
func New(db *sql.DB) *Store {
	return &Store{db: db, sb: sq.StatementBuilder.PlaceholderFormat(sq.Dollar)}
}

// All reads the lists of a type (type has no index), then counts each
// list's subscribers in a query of its own.
func (s *Store) All(ctx context.Context, typ string) ([]*List, error) {
	q := sq.Select("id", "name").From("lists").OrderBy("id")
	if typ != "" {
		q = q.Where(sq.Eq{"type": typ})
	}
	rows, err := q.PlaceholderFormat(sq.Dollar).RunWith(s.db).QueryContext(ctx) // want "unindexed: lists.type"
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*List
	for rows.Next() {
		var l List
		if err := rows.Scan(&l.ID, &l.Name); err != nil {
			return nil, err
		}
		out = append(out, &l)
	}
	for _, l := range out {
		query, args, err := sq.Select("COUNT(*)").From("subscriber_lists").
			Where(sq.Eq{"list_id": l.ID}).PlaceholderFormat(sq.Dollar).ToSql()
		if err != nil {
			return nil, err
		}
		if err := s.db.QueryRowContext(ctx, query, args...).Scan(&l.Subscribers); err != nil { // want "n+1: SELECT subscriber_lists"
			return nil, err
		}
	}
	return out, rows.Err()
}

// Get reads one list.
func (s *Store) Get(id int64) (*List, error) {
	var l List
	err := s.sb.Select("id", "name").From("lists").Where("id = ?", id).
		RunWith(s.db).QueryRow().Scan(&l.ID, &l.Name)
	return &l, err
}

// Create inserts a list.
func (s *Store) Create(name, typ string) (int64, error) {
	var id int64
	err := s.sb.Insert("lists").Columns("name", "type").Values(name, typ).
		Suffix("RETURNING id").RunWith(s.db).QueryRow().Scan(&id)
	return id, err
}

// Rename renames a list.
func (s *Store) Rename(id int64, name string) error {
	_, err := s.sb.Update("lists").Set("name", name).Where(sq.Eq{"id": id}).RunWith(s.db).Exec()
	return err
}

// Delete removes a list and its subscriptions, in a transaction.
func (s *Store) Delete(id int64) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := s.sb.Delete("subscriber_lists").Where(sq.Eq{"list_id": id}).RunWith(tx).Exec(); err != nil {
		return err
	}
	query, args, err := s.sb.Delete("lists").Where(sq.Eq{"id": id}).ToSql()
	if err != nil {
		return err
	}
	if _, err := tx.Exec(query, args...); err != nil {
		return err
	}
	return tx.Commit()
}
