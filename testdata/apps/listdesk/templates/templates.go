// Package templates maps its rows with go-gorp.
package templates

import (
	"database/sql"
	"strconv"
	"strings"

	"github.com/go-gorp/gorp/v3"
)

// Template is a row of templates.
type Template struct {
	ID        int64  `db:"id"`
	Name      string `db:"name"`
	Body      string `db:"body"`
	IsDefault bool   `db:"is_default"`
}

// Store runs the template queries.
type Store struct {
	dbmap *gorp.DbMap
}

// New maps Template to the templates table.
func New(db *sql.DB) *Store {
	dbmap := &gorp.DbMap{Db: db, Dialect: gorp.PostgresDialect{}}
	dbmap.AddTableWithName(Template{}, "templates").SetKeys(true, "id")
	return &Store{dbmap: dbmap}
}

// All reads every template.
func (s *Store) All() ([]Template, error) {
	var ts []Template
	_, err := s.dbmap.Select(&ts, "SELECT * FROM templates ORDER BY id")
	return ts, err
}

// Get reads a template by its key.
func (s *Store) Get(id int64) (*Template, error) {
	t, err := s.dbmap.Get(Template{}, id)
	if err != nil || t == nil {
		return nil, err
	}
	return t.(*Template), nil
}

// Create inserts a template.
func (s *Store) Create(t *Template) error {
	return s.dbmap.Insert(t)
}

// Update writes a template back.
func (s *Store) Update(t *Template) error {
	_, err := s.dbmap.Update(t)
	return err
}

// Delete removes a template.
func (s *Store) Delete(id int64) error {
	_, err := s.dbmap.Delete(&Template{ID: id})
	return err
}

// MakeDefault makes one template the default in a transaction: the
// current default is found by a column with no index.
func (s *Store) MakeDefault(id int64) error {
	tx, err := s.dbmap.Begin()
	if err != nil {
		return err
	}
	var cur Template
	if err := tx.SelectOne(&cur, "SELECT * FROM templates WHERE is_default = true"); err == nil { // want "unindexed: templates.is_default"
		cur.IsDefault = false
		if _, err := tx.Update(&cur); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	if _, err := tx.Exec("UPDATE templates SET is_default = true WHERE id = $1", id); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Rename renames a template, with SQL written with ? placeholders and
// renumbered for Postgres.
func (s *Store) Rename(id int64, name string) error {
	_, err := s.dbmap.Exec(postgres("UPDATE templates SET name = ? WHERE id = ?"), name, id)
	return err
}

// postgres renumbers the ? placeholders of query as $1, $2, ...
func postgres(query string) string {
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
