// Package campaigns keeps its SQL in campaigns.sql, read with dotsql from
// the path a command-line flag gives, relative to the module root.
package campaigns

import (
	"database/sql"
	"log"

	"github.com/qustavo/dotsql"
)

// DefaultFile is where the campaign queries live, from the module root.
const DefaultFile = "campaigns/campaigns.sql"

// Campaign is one mailing.
type Campaign struct {
	ID      int64
	Name    string
	Subject string
	Views   int64
}

// Store runs the campaign queries.
type Store struct {
	db  *sql.DB
	dot *dotsql.DotSql
}

// New loads the queries file.
func New(db *sql.DB, queriesFile string) *Store {
	dot, err := dotsql.LoadFromFile(queriesFile)
	if err != nil {
		log.Fatal(err)
	}
	return &Store{db: db, dot: dot}
}

// Get reads a campaign and its view count.
func (s *Store) Get(id int64) (*Campaign, error) {
	row, err := s.dot.QueryRow(s.db, "get-campaign", id)
	if err != nil {
		return nil, err
	}
	var c Campaign
	if err := row.Scan(&c.ID, &c.Name, &c.Subject); err != nil {
		return nil, err
	}
	c.Views, err = s.views(c.ID)
	return &c, err
}

// Create inserts a campaign.
func (s *Store) Create(name, subject string, listID int64) (int64, error) {
	row, err := s.dot.QueryRow(s.db, "create-campaign", name, subject, listID)
	if err != nil {
		return 0, err
	}
	var id int64
	return id, row.Scan(&id)
}

// ForList reads a list's campaigns, and the views of each, one by one.
func (s *Store) ForList(listID int64) ([]*Campaign, error) {
	rows, err := s.dot.Query(s.db, "campaigns-for-list", listID) // want "unindexed: campaigns.list_id"
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Campaign
	for rows.Next() {
		var c Campaign
		if err := rows.Scan(&c.ID, &c.Name, &c.Subject); err != nil {
			return nil, err
		}
		if c.Views, err = s.views(c.ID); err != nil {
			return nil, err
		}
		out = append(out, &c)
	}
	return out, rows.Err()
}

// views counts a campaign's views with the raw text of a named query.
func (s *Store) views(id int64) (int64, error) {
	q, err := s.dot.Raw("count-views")
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.db.QueryRow(q, id).Scan(&n) // want "n+1: SELECT campaign_views"
	return n, err
}

// RecordViews inserts one view per subscriber.
func (s *Store) RecordViews(campaignID int64, subscribers []int64) error {
	for _, sub := range subscribers {
		if _, err := s.dot.Exec(s.db, "record-view", campaignID, sub); err != nil { // want "n+1: INSERT campaign_views"
			return err
		}
	}
	return nil
}
