package analyzer_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/crudmap/crudmap/analyzer"
	"github.com/crudmap/crudmap/graph"
)

// TestDialectApps runs crudmap on the Postgres (pgx) and the SQLite
// sample apps and checks what holds for every query of theirs: none is
// "SQL not understood", every table a route touches is one the schema
// defines (no CTE name, keyword or table function is a table), the index
// check ran on the schema where the app keeps it (Go migration code, a
// migration set), and suggests indexes in the app's dialect.
func TestDialectApps(t *testing.T) {
	for _, tc := range []struct {
		app    string
		schema []string // the schema sources the report must name
	}{
		{"pgjournal", []string{"migrate.go"}},
		{"litemarks", []string{"migrations/0001_init.up.sql", "migrations/0002_visits.up.sql", "migrations/0003_tag_lookup.up.sql"}},
	} {
		t.Run(tc.app, func(t *testing.T) {
			r, err := analyzer.Run(analyzer.Config{Dir: filepath.Join("..", "testdata", "apps", tc.app), Patterns: []string{"./..."}})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.SchemaFiles, tc.schema) {
				t.Errorf("schema from %q, want %q", r.SchemaFiles, tc.schema)
			}
			suggestions := 0
			for _, f := range r.Findings {
				switch {
				case f.Kind == graph.KindSQLError:
					t.Errorf("%s: %s", f.Pos, f.Message)
				case f.Kind == graph.KindSchema:
					t.Errorf("%s: %s: the schema misses what a migration adds", f.Pos, f.Message)
				case f.Suggestion != "":
					suggestions++
					if !strings.HasPrefix(f.Suggestion, "CREATE INDEX ") {
						t.Errorf("%s: suggestion %q is not in the app's dialect (CREATE INDEX ... ON ...)", f.Pos, f.Suggestion)
					}
				}
			}
			if suggestions == 0 {
				t.Error("no index suggestion: the index check did not run")
			}
			for _, rt := range r.Routes {
				for _, tb := range rt.Tables {
					if !inSchema(r, tb.Table) {
						t.Errorf("%s %s: table %q is not in the schema", rt.Method, rt.Path, tb.Table)
					}
				}
			}
		})
	}
}

// inSchema reports whether the report's table list has name, defined by
// the schema.
func inSchema(r *graph.Report, name string) bool {
	for _, tb := range r.Tables {
		if tb.Name == name {
			return tb.InSchema
		}
	}
	return false
}
