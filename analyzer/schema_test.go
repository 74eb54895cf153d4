package analyzer

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/crudmap/crudmap/sqlparse"
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
			name: "not in a sibling project whose module sits below its top",
			files: map[string]string{
				"realapps/sync/go.mod":                    "module app\n",
				"realapps/contest/webapp/go/go.mod":       "module contest\n",
				"realapps/contest/webapp/sql/schema.sql":  ddl,
				"realapps/contest/bench/db/schema.sql":    ddl,
				"realapps/service/internal/db/schema.sql": ddl,
				"realapps/service/cmd/server/go.mod":      "module service\n",
			},
			want: nil,
		},
		{
			name: "not in a sibling project with a licence",
			files: map[string]string{
				"src/app/go.mod":           "module app\n",
				"src/other/LICENSE":        "MIT\n",
				"src/other/db/schema.sql":  ddl,
				"src/other/README.md":      "other\n",
				"src/notes/sql/schema.sql": ddl,
			},
			want: []string{"src/notes/sql/schema.sql"},
		},
		{
			name: "not above a module with a licence",
			files: map[string]string{
				"src/app/go.mod":     "module app\n",
				"src/app/LICENSE":    "MIT\n",
				"src/db/schema.sql":  ddl,
				"src/app/README.md":  "app\n",
				"src/app/handler.go": "package main\n",
			},
			want: nil,
		},
		{
			name: "not in asset trees",
			files: map[string]string{
				"app/go.mod":                  "module app\n",
				"app/public/js/schema.sql":    ddl,
				"app/static/schema.sql":       ddl,
				"app/node_modules/x/db.sql":   ddl,
				"app/frontend/dist/a.sql":     ddl,
				"app/migrations/0001_up.sql":  ddl,
				"app/migrations/0002_idx.sql": "CREATE INDEX idx ON users (id);\n",
			},
			want: []string{"app/migrations/0001_up.sql", "app/migrations/0002_idx.sql"},
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
			writeFiles(t, dir, tt.files)
			root := ""
			for name, src := range tt.files {
				if filepath.Base(name) == "go.mod" && src == "module app\n" {
					root = filepath.Join(dir, filepath.Dir(name))
				}
			}
			files, _ := osSchemaSearch.find(root)
			if got := schemaNames(dir, files); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("schema files = %q, want %q", got, tt.want)
			}
		})
	}
}

// schemaNames returns the names of files relative to dir, with slashes.
func schemaNames(dir string, files []sqlparse.SchemaFile) []string {
	var names []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f.Name)
		names = append(names, filepath.ToSlash(rel))
	}
	return names
}

// failingSearch is the schema search on the real file system, except that
// opening the directories and reading the files named fail as they do for
// a user without permission (tests run as root in CI, where chmod cannot
// make them fail).
func failingSearch(dirs, files []string) schemaSearch {
	return schemaSearch{
		openDir: func(path string) (dirReader, error) {
			if slices.Contains(dirs, path) {
				return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrPermission}
			}
			return os.Open(path)
		},
		readFile: func(path string, max int64) ([]byte, error) {
			if slices.Contains(files, path) {
				return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrPermission}
			}
			return readRegular(path, max)
		},
	}
}

// TestSchemaSearchUnreadableDir checks that a directory the search cannot
// read (ISUCON's mysql/data, owned by mysql) is skipped, named in a note,
// and the walk goes on to the schema beside it.
func TestSchemaSearchUnreadableDir(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"webapp/go/go.mod":           "module app\n",
		"webapp/mysql/data/ibdata1":  "",
		"webapp/mysql/conf/my.cnf":   "",
		"webapp/sql/0_schema.sql":    "CREATE TABLE users (id BIGINT PRIMARY KEY);\n",
		"webapp/sql/1_more_data.sql": "INSERT INTO users VALUES (1);\n",
	})
	s := failingSearch([]string{filepath.Join(dir, "webapp/mysql/data")}, nil)
	files, notes := s.find(filepath.Join(dir, "webapp/go"))
	if got, want := schemaNames(dir, files), []string{"webapp/sql/0_schema.sql"}; !reflect.DeepEqual(got, want) {
		t.Errorf("schema files = %q, want %q", got, want)
	}
	want := []string{"schema search skipped directories it cannot read: ../mysql/data (permission denied)"}
	if !reflect.DeepEqual(notes, want) {
		t.Errorf("notes = %q, want %q", notes, want)
	}
}

// TestSchemaSearchUnreadableFile checks that a schema file the search
// cannot read is named as such, not reported as missing.
func TestSchemaSearchUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"webapp/go/go.mod":      "module app\n",
		"webapp/sql/schema.sql": "CREATE TABLE users (id BIGINT PRIMARY KEY);\n",
	})
	s := failingSearch(nil, []string{filepath.Join(dir, "webapp/sql/schema.sql")})
	files, notes := s.find(filepath.Join(dir, "webapp/go"))
	if len(files) != 0 {
		t.Errorf("schema files = %q, want none", schemaNames(dir, files))
	}
	want := []string{"../sql/schema.sql: permission denied, skipped"}
	if !reflect.DeepEqual(notes, want) {
		t.Errorf("notes = %q, want %q", notes, want)
	}
}

// TestSchemaSearchBounds checks the walk's limits: a directory whose
// first entries are all images is not read further, and a tree too large
// to walk stops the walk with a note saying where.
func TestSchemaSearchBounds(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"app/go.mod":          "module app\n",
		"app/photos/.keep":    "",
		"app/zarchive/a.json": "{}",
		"app/zdb/schema.sql":  "CREATE TABLE users (id BIGINT PRIMARY KEY);\n",
	})
	photos := fstest.MapFS{}
	for i := range assetProbe * 3 {
		photos[fmt.Sprintf("IMG_%04d.JPG", i)] = &fstest.MapFile{}
	}
	photos["zz/old.sql"] = &fstest.MapFile{Data: []byte("CREATE TABLE photos (id INT);\n")}
	archive := fstest.MapFS{}
	for i := range maxSchemaWalk + 1 {
		archive[fmt.Sprintf("%05d.json", i)] = &fstest.MapFile{}
	}
	fakes := map[string]fstest.MapFS{filepath.Join(dir, "app/photos"): photos, filepath.Join(dir, "app/zarchive"): archive}
	s := schemaSearch{
		openDir: func(path string) (dirReader, error) {
			if fake, ok := fakes[path]; ok {
				f, err := fake.Open(".")
				return f.(dirReader), err
			}
			return os.Open(path)
		},
		readFile: readRegular,
	}
	files, notes := s.find(filepath.Join(dir, "app"))
	if len(files) != 0 {
		t.Errorf("schema files = %q, want none: the walk stops in zarchive/, before zdb/", schemaNames(dir, files))
	}
	want := []string{
		"schema search stopped after 20000 entries, in zarchive; give the schema with -schema FILE",
		"schema search left out asset directories: photos",
	}
	if !reflect.DeepEqual(notes, want) {
		t.Errorf("notes = %q, want %q", notes, want)
	}
	// With the archive small, the schema is found; the asset directory
	// left out is not worth a note then.
	delete(fakes, filepath.Join(dir, "app/zarchive"))
	files, notes = s.find(filepath.Join(dir, "app"))
	if got, want := schemaNames(dir, files), []string{"app/zdb/schema.sql"}; !reflect.DeepEqual(got, want) {
		t.Errorf("schema files = %q, want %q", got, want)
	}
	if len(notes) != 0 {
		t.Errorf("notes = %q, want none", notes)
	}
}

// TestSchemaSearchLinks checks that the search reads regular files only:
// a link is followed inside the tree searched, never out of it (to
// another project's file or to /dev/zero).
func TestSchemaSearchLinks(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"app/go.mod":           "module app\n",
		"app/db/real.sql":      "CREATE TABLE users (id BIGINT PRIMARY KEY);\n",
		"other/db/schema.sql":  "CREATE TABLE other (id BIGINT PRIMARY KEY);\n",
		"app/db/indexes/x.txt": "",
	})
	for link, target := range map[string]string{
		"app/db/inside.sql":     "real.sql",
		"app/db/outside.sql":    "../../other/db/schema.sql",
		"app/db/zero.sql":       "/dev/zero",
		"app/db/indexes/up.sql": "../real.sql",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	files, notes := osSchemaSearch.find(filepath.Join(dir, "app"))
	want := []string{"app/db/indexes/up.sql", "app/db/inside.sql", "app/db/real.sql"}
	if got := schemaNames(dir, files); !reflect.DeepEqual(got, want) {
		t.Errorf("schema files = %q, want %q", got, want)
	}
	wantNotes := []string{
		"db/outside.sql: not a regular file (symbolic link out of the tree searched), skipped",
		"db/zero.sql: not a regular file (symbolic link out of the tree searched), skipped",
	}
	if !reflect.DeepEqual(notes, wantNotes) {
		t.Errorf("notes = %q, want %q", notes, wantNotes)
	}
}

// TestFindSchemaFilesShared checks that the search never looks in the
// user's home directory, where unrelated projects and dumps live.
func TestFindSchemaFilesShared(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	writeFiles(t, home, map[string]string{
		"app/go.mod":   "module app\n",
		"dump.sql":     "CREATE TABLE users (id BIGINT PRIMARY KEY);\n",
		"old/db/a.sql": "CREATE TABLE posts (id BIGINT PRIMARY KEY);\n",
	})
	if files, _ := osSchemaSearch.find(filepath.Join(home, "app")); files != nil {
		t.Errorf("schema files = %q, want none from the home directory", schemaNames(home, files))
	}
}
