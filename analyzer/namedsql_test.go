package analyzer

import (
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
)

func TestParseNamed(t *testing.T) {
	src := `-- Queries, yesql style.

-- name: get-user
-- A comment inside the section.
SELECT * FROM users
WHERE id = $1;

--name:create-user
-- tag: other
INSERT INTO users (email) VALUES ($1);
`
	want := map[string]string{
		"get-user":    "SELECT * FROM users\nWHERE id = $1;",
		"create-user": "INSERT INTO users (email) VALUES ($1);",
	}
	if got := parseNamed(src); !reflect.DeepEqual(got, want) {
		t.Errorf("parseNamed:\n got %q\nwant %q", got, want)
	}
}

// A queries file is read only inside the module, and only when it is a
// regular file.
func TestLoadNamedFileInModule(t *testing.T) {
	parent := t.TempDir()
	root := filepath.Join(parent, "app")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "q.sql"), "-- name: a\nSELECT 1 FROM t;\n")
	write(filepath.Join(parent, "outside.sql"), "-- name: b\nSELECT 1 FROM secret;\n")
	if err := syscall.Mkfifo(filepath.Join(root, "fifo.sql"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &resolver{ix: &index{program: &program{root: root}}}
	tests := []struct {
		path string
		want bool
	}{
		{"q.sql", true},
		{"../outside.sql", false},
		{filepath.Join(parent, "outside.sql"), false},
		{"fifo.sql", false},
		{"missing.sql", false},
	}
	for _, tt := range tests {
		id, ok := r.loadNamedFile(sqlText{text: tt.path}, nil)
		if ok != tt.want {
			t.Errorf("loadNamedFile(%q) = %v, want %v", tt.path, ok, tt.want)
		}
		if ok && r.sources().sets[id]["a"] != "SELECT 1 FROM t;" {
			t.Errorf("loadNamedFile(%q): sections %q", tt.path, r.sources().sets[id])
		}
	}
}
