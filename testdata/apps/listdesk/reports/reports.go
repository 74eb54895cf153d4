// Package reports keeps its SQL in reports.sql, embedded and split into
// named queries by its own code at start-up.
package reports

import (
	_ "embed"
	"strings"

	"github.com/jmoiron/sqlx"
)

//go:embed reports.sql
var reportsSQL string

// Store runs the report queries.
type Store struct {
	db      *sqlx.DB
	queries map[string]string
}

// New splits reports.sql by its "-- name:" lines.
func New(db *sqlx.DB) *Store {
	s := &Store{db: db, queries: map[string]string{}}
	var name string
	for _, line := range strings.Split(reportsSQL, "\n") {
		if rest, ok := strings.CutPrefix(line, "-- name:"); ok {
			name = strings.TrimSpace(rest)
			continue
		}
		if name != "" && !strings.HasPrefix(line, "--") {
			s.queries[name] += line + "\n"
		}
	}
	return s
}

// Row is one line of a report.
type Row struct {
	ID    int64  `db:"id"`
	Name  string `db:"name"`
	Count int64  `db:"subscribers"`
}

// TopLists reads the lists with the most subscribers.
func (s *Store) TopLists() ([]Row, error) {
	var rows []Row
	err := s.db.Select(&rows, s.queries["top-lists"])
	return rows, err
}

// CampaignViews reads each campaign's views.
func (s *Store) CampaignViews() ([]Row, error) {
	var rows []Row
	err := s.db.Select(&rows, s.queries["campaign-views"])
	return rows, err
}
