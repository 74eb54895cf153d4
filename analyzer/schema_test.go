package analyzer

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestFindSchemaFiles checks where crudmap looks for a schema when none is
// given: in the module, else in the nearest parent's tree, but never in
// another project's tree beside it.
func TestFindSchemaFiles(t *testing.T) {
	const ddl = "CREATE TABLE users (id BIGINT PRIMARY KEY);\n"
	tests := []struct {
		name  string
		files map[string]string // relative to a temporary directory
		want  []string
	}{
		{
			name: "in the module",
			files: map[string]string{
				"webapp/go/go.mod":        "module app\n",
				"webapp/go/db/schema.sql": ddl,
				"webapp/sql/0_schema.sql": ddl,
			},
			want: []string{"webapp/go/db/schema.sql"},
		},
		{
			name: "beside the module (ISUCON webapp/sql)",
			files: map[string]string{
				"webapp/go/go.mod":       "module app\n",
				"webapp/sql/schema.sql":  ddl,
				"webapp/sql/queries.sql": "SELECT 1;\n",
				"webapp/sql/indexes.sql": "ALTER TABLE users ADD INDEX idx (id);\n",
				"webapp/go/vendor/x.sql": ddl,
				"webapp/.cache/old.sql":  ddl,
			},
			want: []string{"webapp/sql/indexes.sql", "webapp/sql/schema.sql"},
		},
		{
			name: "migrations, without their down files",
			files: map[string]string{
				"app/go.mod":                              "module app\n",
				"app/db/migrations/000001_users.up.sql":   ddl,
				"app/db/migrations/000001_users.down.sql": "CREATE TABLE old_users (id INT);\n",
			},
			want: []string{"app/db/migrations/000001_users.up.sql"},
		},
		{
			name: "two levels up",
			files: map[string]string{
				"repo/.git/HEAD":         "ref: refs/heads/main\n",
				"repo/server/api/go.mod": "module app\n",
				"repo/db/schema.sql":     ddl,
			},
			want: []string{"repo/db/schema.sql"},
		},
		{
			name: "not in other projects beside it",
			files: map[string]string{
				"src/app/go.mod":           "module app\n",
				"src/gopathapp/main.go":    "package main\n",
				"src/gopathapp/schema.sql": ddl,
				"src/other/go.mod":         "module other\n",
				"src/other/schema.sql":     ddl,
				"src/cloned/.git/HEAD":     "ref: refs/heads/main\n",
				"src/cloned/db/schema.sql": ddl,
			},
			want: nil,
		},
		{
			name: "not above a repository root",
			files: map[string]string{
				"work/repo/.git/HEAD":  "ref: refs/heads/main\n",
				"work/repo/app/go.mod": "module app\n",
				"work/db/schema.sql":   ddl,
			},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			root := ""
			for name, src := range tt.files {
				path := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
					t.Fatal(err)
				}
				if filepath.Base(name) == "go.mod" && src == "module app\n" {
					root = filepath.Dir(path)
				}
			}
			var got []string
			for _, f := range findSchemaFiles(root) {
				rel, _ := filepath.Rel(dir, f)
				got = append(got, filepath.ToSlash(rel))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findSchemaFiles = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFindSchemaFilesShared checks that the search never looks in the
// user's home directory, where unrelated projects and dumps live.
func TestFindSchemaFilesShared(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for name, src := range map[string]string{
		"app/go.mod":   "module app\n",
		"dump.sql":     "CREATE TABLE users (id BIGINT PRIMARY KEY);\n",
		"old/db/a.sql": "CREATE TABLE posts (id BIGINT PRIMARY KEY);\n",
	} {
		path := filepath.Join(home, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := findSchemaFiles(filepath.Join(home, "app")); got != nil {
		t.Errorf("findSchemaFiles = %q, want none from the home directory", got)
	}
}
