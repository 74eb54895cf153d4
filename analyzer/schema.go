package analyzer

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/crudmap/crudmap/sqlparse"
)

// maxSchemaBytes bounds a schema file crudmap reads: larger .sql files are
// data dumps.
const maxSchemaBytes = 8 << 20

// indexDDL finds statements that add indexes, which schema files kept
// apart from the CREATE TABLEs hold (sql/indexes.sql).
var indexDDL = regexp.MustCompile("(?i)\\b(create\\s+(unique\\s+|fulltext\\s+|spatial\\s+)?index|alter\\s+table\\s+[`\\w.]+\\s+add\\s+(unique|fulltext|spatial|primary|index|key|constraint))\\b")

// maxSchemaWalk bounds the directory entries looked at for schema files.
const maxSchemaWalk = 20000

// schemaResult is what reading the schema gave.
type schemaResult struct {
	schema *sqlparse.Schema
	files  []string // relative to the module root
	notes  []string
}

// readSchema reads the schema files given, or finds them near the module
// rooted at root.
func readSchema(root string, patterns []string) schemaResult {
	var res schemaResult
	var paths []string
	if len(patterns) > 0 {
		for _, p := range patterns {
			matches, err := filepath.Glob(p)
			if err != nil || len(matches) == 0 {
				res.notes = append(res.notes, fmt.Sprintf("%s: no schema file matches; check the -schema path", p))
			}
			paths = append(paths, matches...)
		}
	} else {
		paths = findSchemaFiles(root)
	}
	var files []sqlparse.SchemaFile
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			res.notes = append(res.notes, fmt.Sprintf("%s: %v", p, err))
			continue
		}
		name := p
		if abs, err := filepath.Abs(p); err == nil {
			if rel, err := filepath.Rel(root, abs); err == nil {
				name = filepath.ToSlash(rel)
			}
		}
		files = append(files, sqlparse.SchemaFile{Name: name, Src: src})
		res.files = append(res.files, name)
	}
	if len(files) == 0 {
		if len(patterns) == 0 {
			res.notes = append(res.notes, "no schema file found (*.sql with CREATE TABLE): index check skipped; give one with -schema FILE")
		}
		return res
	}
	schema, warnings := sqlparse.ParseSchema(files)
	for _, w := range warnings {
		res.notes = append(res.notes, w.String())
	}
	res.schema = schema
	return res
}

// findSchemaFiles returns the *.sql files holding schema DDL in the
// module's tree or, when it has none, in the tree of the nearest parent
// that has some, up to maxSchemaUp levels, never above a repository root
// and never in a home or temporary directory: ISUCON apps keep webapp/sql
// beside webapp/go, or db/ further up.
// Above the module, the trees of other projects (a module, a repository,
// a directory of Go files) are not searched: their schema is not this
// app's.
func findSchemaFiles(root string) []string {
	dir, searched := root, ""
	for up := 0; up <= maxSchemaUp; up++ {
		if files := schemaFilesUnder(dir, searched); len(files) > 0 || isRepoRoot(dir) {
			return files
		}
		parent := filepath.Dir(dir)
		if parent == dir || filepath.Dir(parent) == parent || sharedDir(parent) {
			return nil // never search a file system root, a home or /tmp
		}
		dir, searched = parent, dir
	}
	return nil
}

// sharedDir reports whether dir is the temporary directory, the user's
// home or above it: their trees hold unrelated projects.
func sharedDir(dir string) bool {
	if tmp, err := filepath.Abs(os.TempDir()); err == nil && tmp == dir {
		return true
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return false
	}
	home, err = filepath.Abs(home)
	return err == nil && (home == dir || strings.HasPrefix(home, dir+string(filepath.Separator)))
}

// maxSchemaUp is how many directories above the module crudmap looks for
// the schema.
const maxSchemaUp = 2

func isModule(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "go.mod"))
	return err == nil
}

func isRepoRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil
}

// hasGoFiles reports whether dir directly holds Go source files.
func hasGoFiles(dir string) bool {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") {
			return true
		}
	}
	return false
}

// schemaFilesUnder lists the schema files below dir, sorted, skipping
// vendored, hidden and test data directories, other modules and the
// directory searched already. Above the module (searched is set), it also
// skips other repositories and directories of Go files.
func schemaFilesUnder(dir, searched string) []string {
	var out []string
	visited := 0
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if visited++; err != nil || visited > maxSchemaWalk {
			return filepath.SkipAll
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && (skippedDir(name) || path == searched || isModule(path) ||
				searched != "" && (isRepoRoot(path) || hasGoFiles(path))) {
				return filepath.SkipDir // not this app's code, or searched already
			}
			return nil
		}
		if lower := strings.ToLower(name); !strings.HasSuffix(lower, ".sql") || strings.HasSuffix(lower, ".down.sql") {
			return nil // not SQL, or a migration's undoing (golang-migrate)
		}
		if info, err := d.Info(); err != nil || info.Size() > maxSchemaBytes {
			return nil
		}
		if src, err := os.ReadFile(path); err == nil && (sqlparse.LooksLikeSchema(src) || indexDDL.Match(src)) {
			out = append(out, path)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// skippedDir reports whether a directory of this name never holds the
// app's schema: vendored code, test data, hidden and underscore
// directories.
func skippedDir(name string) bool {
	return name == "vendor" || name == "node_modules" || name == "testdata" ||
		strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}
